"""The resilient organisation (weerbare overheid, issue 12): awareness sessions and their reach,
the onboarding module's completions, contact persons per department, capacity against a
reference, budget lines, safeguards (four/six eyes, segregation of duties), the
integrity-incident register and the projects and programmes of the approach.

Everything but the integrity incidents is need-to-know ``RESILIENCE``; the incidents are
``INTEGRITY`` (the mayor only). Child rows (attendance, spending, tracks, partners,
evaluations) are plain models reached only through their parent.

Budget lines and projects link to the goal of a plan they serve (``plans.Goal``), so spending and
projects can be set against the results the plans dashboard computes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from regie.accounts.roles import INTEGRITY, RESILIENCE
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel


class Department(OwnedModel):
    """An afdeling of the municipality (users carry only a free-text department)."""

    need_to_know = RESILIENCE
    personal_data = False

    name = models.CharField("naam", max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = "afdeling"
        verbose_name_plural = "afdelingen"
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_department_name")]

    def __str__(self):
        return self.name


class ContactPerson(OwnedModel):
    """An aanspreekpunt ondermijning in a department, shown to every employee."""

    need_to_know = RESILIENCE

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="contacts", verbose_name="afdeling")
    name = models.CharField("naam", max_length=150)
    function = models.CharField("functie", max_length=150, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)

    class Meta:
        ordering = ["department__name", "name"]
        verbose_name = "aanspreekpunt"
        verbose_name_plural = "aanspreekpunten"

    def __str__(self):
        return f"{self.name} ({self.department})"


class AwarenessSession(OwnedModel):
    """A bewustwordingssessie: audience, topic, date, organiser and partners."""

    need_to_know = RESILIENCE
    personal_data = False

    topic = models.CharField("onderwerp", max_length=200)
    audience = models.CharField("doelgroep", max_length=200)
    held_on = models.DateField("datum")
    organiser = models.CharField("organisator", max_length=200)
    partners = models.ManyToManyField("organisations.Organisation", blank=True, related_name="+", verbose_name="partners")

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = "bewustwordingssessie"
        verbose_name_plural = "bewustwordingssessies"

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d-%m-%Y})"

    @property
    def attendees(self) -> int:
        return sum(row.attendees for row in self.attendance.all())


class SessionAttendance(models.Model):
    """How many colleagues of one department attended a session (counts, no names)."""

    session = models.ForeignKey(AwarenessSession, on_delete=models.CASCADE, related_name="attendance")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name="afdeling")
    attendees = models.PositiveIntegerField("aantal deelnemers", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "opkomst"
        verbose_name_plural = "opkomst"
        constraints = [models.UniqueConstraint(fields=["session", "department"], name="unique_attendance_department")]


class OnboardingCompletion(OwnedModel):
    """One employee completed (a version of) the onboarding module, answers checked."""

    need_to_know = RESILIENCE

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField("versie")
    completed_at = models.DateTimeField("afgerond op")

    class Meta:
        verbose_name = "afgeronde introductie"
        verbose_name_plural = "afgeronde introducties"
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="unique_onboarding_completion")]


class CapacityLine(OwnedModel):
    """FTE for ondermijning of one function in one team in a year, with vacancies and backlog."""

    need_to_know = RESILIENCE
    personal_data = False

    year = models.PositiveSmallIntegerField("jaar")
    team = models.CharField("team", max_length=150)
    function = models.CharField("functie", max_length=150)
    fte = models.DecimalField("fte voor ondermijning", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    vacancy_fte = models.DecimalField("vacature (fte)", max_digits=5, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    backlog = models.PositiveIntegerField("achterstand (aantal zaken)", default=0)
    note = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "team", "function"]
        verbose_name = "capaciteit"
        verbose_name_plural = "capaciteit"


class CapacityReference(OwnedModel):
    """What comparable municipalities have for ondermijning in a year (e.g. 3,5 fte)."""

    need_to_know = RESILIENCE
    personal_data = False

    year = models.PositiveSmallIntegerField("jaar")
    fte = models.DecimalField("referentie (fte)", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField("bron", max_length=300)

    class Meta:
        ordering = ["-year"]
        verbose_name = "referentie capaciteit"
        verbose_name_plural = "referenties capaciteit"
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="unique_capacity_reference_year")]


class BudgetLine(OwnedModel):
    """A budget line of the approach: incidental or structural, a period, an amount per year."""

    need_to_know = RESILIENCE
    personal_data = False

    class Nature(models.TextChoices):
        INCIDENTAL = "incidenteel", "incidenteel"
        STRUCTURAL = "structureel", "structureel"

    title = models.CharField("omschrijving", max_length=200)
    nature = models.CharField("aard", max_length=12, choices=Nature.choices)
    first_year = models.PositiveSmallIntegerField("van jaar")
    last_year = models.PositiveSmallIntegerField("tot en met jaar")
    amount_per_year = models.DecimalField("bedrag per jaar (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    #: the goal of a plan this serves (its plan follows from it)
    goal = models.ForeignKey("plans.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="doel")

    class Meta:
        ordering = ["first_year", "title"]
        verbose_name = "begrotingspost"
        verbose_name_plural = "begrotingsposten"

    def __str__(self):
        return self.title


class BudgetSpending(models.Model):
    """What was spent on a budget line in one year."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="spending")
    year = models.PositiveSmallIntegerField("jaar")
    amount = models.DecimalField("besteed (€)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField("toelichting", max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="unique_budget_spending_year")]


class SafeguardRule(OwnedModel):
    """A four- or six-eyes rule or a segregation of duties for one process."""

    need_to_know = RESILIENCE
    personal_data = False

    class Kind(models.TextChoices):
        FOUR_EYES = "vier_ogen", "vier-ogenprincipe"
        SIX_EYES = "zes_ogen", "zes-ogenprincipe"
        SEGREGATION = "functiescheiding", "functiescheiding"

    process = models.SlugField("proces (code)", max_length=60, help_text="Bijvoorbeeld 13b-besluit.")
    process_name = models.CharField("proces", max_length=200)
    kind = models.CharField("soort waarborg", max_length=20, choices=Kind.choices)
    description = models.TextField("functiescheiding en werkwijze", max_length=2000)
    enforced = models.BooleanField("afgedwongen in Regie", default=False)

    class Meta:
        ordering = ["process_name"]
        verbose_name = "waarborg"
        verbose_name_plural = "waarborgen"
        constraints = [models.UniqueConstraint(fields=["owner", "process", "kind"], name="unique_safeguard_process_kind")]

    def __str__(self):
        return f"{self.process_name}: {self.get_kind_display()}"


class IntegrityIncident(OwnedModel):
    """An integrity incident (threat, leak, attempted influence): the mayor's restricted register."""

    need_to_know = INTEGRITY

    class Kind(models.TextChoices):
        THREAT = "bedreiging", "bedreiging of intimidatie"
        INFLUENCE = "beinvloeding", "poging tot beïnvloeding"
        LEAK = "lek", "informatielek"
        CONFLICT = "belangenverstrengeling", "belangenverstrengeling"
        OTHER = "anders", "anders"

    class Status(models.TextChoices):
        OPEN = "open", "in behandeling"
        CLOSED = "afgesloten", "afgesloten"

    reference = models.CharField("kenmerk", max_length=20)
    kind = models.CharField("soort", max_length=24, choices=Kind.choices)
    occurred_on = models.DateField("datum")
    description = models.TextField("omschrijving", max_length=4000)
    measures_taken = models.TextField("genomen maatregelen", max_length=4000, blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = "integriteitsincident"
        verbose_name_plural = "integriteitsincidenten"
        constraints = [models.UniqueConstraint(fields=["owner", "reference"], name="unique_integrity_reference")]

    def __str__(self):
        return self.reference


#: incidents are kept at "geheim": only the mayor (clearance 8) reads them
INCIDENT_CONFIDENTIALITY = Confidentiality.GEHEIM
#: the other registers hold no case content: "intern", so the functioneel beheerder (clearance 3) sees them
REGISTER_CONFIDENTIALITY = Confidentiality.INTERN


class Project(OwnedModel):
    """A project or programme of the approach (e.g. a neighbourhood programme or a branch approach)."""

    need_to_know = RESILIENCE
    personal_data = False

    class Kind(models.TextChoices):
        PROJECT = "project", "project"
        PROGRAMME = "programma", "programma"

    class Status(models.TextChoices):
        RUNNING = "lopend", "lopend"
        STOPPED = "gestopt", "gestopt"
        FINISHED = "afgerond", "afgerond"

    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=12, choices=Kind.choices, default=Kind.PROJECT)
    problem = models.TextField("probleemstelling", max_length=4000)
    information_agreement = models.TextField(
        "afspraken over opslaan en delen van informatie", max_length=4000, blank=True,
    )
    started_on = models.DateField("gestart op")
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.RUNNING)
    #: the goal of a plan this serves (its plan follows from it)
    goal = models.ForeignKey("plans.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="doel")

    class Meta:
        ordering = ["name"]
        verbose_name = "project of programma"
        verbose_name_plural = "projecten en programma's"

    def __str__(self):
        return self.name


class ProjectTrack(models.Model):
    """The goals of a project on one track: prevention, repression or care."""

    class Track(models.TextChoices):
        PREVENTION = "preventie", "preventie"
        REPRESSION = "repressie", "repressie"
        CARE = "zorg", "zorg"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tracks")
    track = models.CharField("spoor", max_length=12, choices=Track.choices)
    goals = models.TextField("doelen", max_length=2000)

    class Meta:
        ordering = ["track"]
        constraints = [models.UniqueConstraint(fields=["project", "track"], name="unique_project_track")]


class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partner")
    role = models.CharField("rol", max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="unique_project_partner")]


class ProjectEvaluation(models.Model):
    """An evaluation of a project with its stop/go decision."""

    class Decision(models.TextChoices):
        GO = "go", "doorgaan"
        ADJUST = "bijsturen", "bijsturen"
        STOP = "stop", "stoppen"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    on = models.DateField("datum")
    summary = models.TextField("bevindingen", max_length=4000)
    decision = models.CharField("besluit", max_length=10, choices=Decision.choices)

    class Meta:
        ordering = ["on", "pk"]


class IncidentSequence(models.Model):
    """The counter behind the incidents' references (INT-2026-0001), per organisation and year."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_incident_sequence")]
