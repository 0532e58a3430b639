"""Plans and goals (issue 11): IVP → uitvoeringsplan → pillars → prioritised themes → actions →
goals, the baseline history and hand-entered figures of a goal, and the rekenkamer's
recommendations with their follow-up.

Seed 000 (conclusie 2): "prioritering en concrete uitvoeringsplannen ontbreken", so nobody could
account for goal realisation; seed 002 asks for an IVP as vision with yearly uitvoeringsplannen
and restatable baselines (fn 42). Nothing here holds personal data: owners are departments or
functions, typed as text. :class:`Plan` and :class:`Recommendation` are owned, scoped records
(need-to-know ``PLANS``); every other row is reached only through a plan or recommendation the
caller may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import PLANS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel

from .status import GoalStatus, TargetKind


class Plan(OwnedModel):
    """A multi-year IVP (the vision) or an uitvoeringsplan under it (one or two years)."""

    need_to_know = PLANS
    personal_data = False

    class Kind(models.TextChoices):
        IVP = "ivp", "integraal veiligheidsprogramma (IVP)"
        EXECUTION = "uitvoeringsplan", "uitvoeringsplan"

    kind = models.CharField("soort plan", max_length=16, choices=Kind.choices)
    title = models.CharField("titel", max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="onderdeel van (IVP)")
    first_year = models.PositiveSmallIntegerField("van jaar")
    last_year = models.PositiveSmallIntegerField("tot en met jaar")
    vision = models.TextField("visie en ambitie", blank=True, max_length=10_000)
    adopted_on = models.DateField("vastgesteld op", null=True, blank=True)
    #: plans and recommendations are council documents: public unless stated otherwise
    confidentiality = models.PositiveSmallIntegerField(
        "vertrouwelijkheid", choices=Confidentiality.choices, default=Confidentiality.OPENBAAR)

    class Meta:
        ordering = ["-first_year", "kind", "title"]
        verbose_name = "plan"
        verbose_name_plural = "plannen"

    def __str__(self):
        return f"{self.title} ({self.first_year}–{self.last_year})"

    @property
    def period(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"


class Pillar(models.Model):
    """A pillar of a plan (aanpakken, weerbare overheid, maatschappelijke weerbaarheid, ...)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pillars")
    name = models.CharField("naam", max_length=150)
    position = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "pijler"
        verbose_name_plural = "pijlers"

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A prioritised theme within a pillar; priority 1 comes first."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField("naam", max_length=150)
    priority = models.PositiveSmallIntegerField("prioriteit", default=1, help_text="1 is de hoogste prioriteit.")

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = "thema"
        verbose_name_plural = "thema's"

    def __str__(self):
        return self.name


class PlanAction(models.Model):
    """An action under a theme: new or continued, with owner, partners, status and deviation."""

    class Origin(models.TextChoices):
        NEW = "nieuw", "nieuw"
        CONTINUED = "voortgezet", "voortgezet"

    class Status(models.TextChoices):
        PLANNED = "gepland", "gepland"
        ONGOING = "lopend", "lopend"
        DONE = "uitgevoerd", "uitgevoerd"
        PARTLY = "deels", "deels uitgevoerd"
        DIFFERENT = "anders", "anders uitgevoerd"
        MORE = "meer", "meer dan gepland"
        NOT_DONE = "niet_uitgevoerd", "niet uitgevoerd"
        ENDED = "voortijdig_beeindigd", "voortijdig beëindigd"

    #: statuses that are a deviation from the plan and need a reason
    DEVIATIONS = (Status.PARTLY, Status.DIFFERENT, Status.NOT_DONE, Status.ENDED)

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("actie", max_length=300)
    origin = models.CharField("nieuw of voortgezet", max_length=12, choices=Origin.choices, default=Origin.NEW)
    owner = models.CharField("eigenaar (afdeling of functie)", max_length=150)
    partners = models.CharField("partners", max_length=300, blank=True)
    status = models.CharField("status", max_length=24, choices=Status.choices, default=Status.PLANNED)
    deviation_reason = models.CharField("reden van afwijking", max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "actie"
        verbose_name_plural = "acties"

    def __str__(self):
        return self.title


class Goal(models.Model):
    """A goal of a theme: an indicator from the catalogue or hand-entered figures, a restatable
    baseline, a target of one of the kinds of :class:`TargetKind`, a deadline and an owner."""

    class Scope(models.TextChoices):
        YEAR = "jaar", "per jaar"
        CUMULATIVE = "cumulatief", "cumulatief over de planperiode"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="goals")
    action = models.ForeignKey(PlanAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals",
                               verbose_name="bij actie")
    title = models.CharField("doel", max_length=300)
    indicator_code = models.CharField("indicator uit de catalogus", max_length=80, blank=True)
    manual_label = models.CharField("eigen indicator (handmatig)", max_length=200, blank=True)
    unit = models.CharField("eenheid", max_length=30, blank=True)
    baseline_value = models.DecimalField("nulmeting", max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("jaar nulmeting", null=True, blank=True)
    target_kind = models.CharField("soort streefwaarde", max_length=16, choices=TargetKind.choices,
                                   default=TargetKind.NOT_SET)
    target_value = models.DecimalField("streefwaarde", max_digits=14, decimal_places=2, null=True, blank=True)
    target_upper = models.DecimalField("bovengrens", max_digits=14, decimal_places=2, null=True, blank=True)
    target_text = models.CharField("kwalitatieve streefwaarde", max_length=500, blank=True)
    scope = models.CharField("geldt", max_length=12, choices=Scope.choices, default=Scope.YEAR)
    deadline = models.DateField("deadline")
    owner = models.CharField("eigenaar (afdeling of functie)", max_length=150)
    status_override = models.CharField("status (handmatig)", max_length=12, choices=GoalStatus.choices, blank=True)
    override_reason = models.CharField("reden handmatige status", max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "doel"
        verbose_name_plural = "doelen"

    def __str__(self):
        return self.title


class BaselineRevision(models.Model):
    """One value the baseline had: the first setting and every restatement, with its reason."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="baseline_revisions")
    value = models.DecimalField("nulmeting", max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField("jaar nulmeting", null=True, blank=True)
    reason = models.CharField("reden", max_length=500)
    revised_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["revised_at", "pk"]
        verbose_name = "herziening nulmeting"
        verbose_name_plural = "herzieningen nulmeting"


class ManualMeasurement(models.Model):
    """A figure from outside Regie (e.g. the Veiligheidsmonitor), with its source and date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField("waarde", max_digits=14, decimal_places=2)
    source = models.CharField("bron", max_length=300)
    reference_date = models.DateField("peildatum")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="ingevoerd door")
    entered_at = models.DateTimeField("ingevoerd op", default=timezone.now)

    class Meta:
        ordering = ["reference_date", "pk"]
        verbose_name = "handmatige meting"
        verbose_name_plural = "handmatige metingen"


class Recommendation(OwnedModel):
    """A rekenkamer recommendation with the council's decision and its follow-up (seed 000,
    "Tot slot": a plan of approach within three months, an update after a year, an overview that
    looks back three years)."""

    need_to_know = PLANS
    personal_data = False

    class Addressee(models.TextChoices):
        COLLEGE = "college", "college"
        RAAD = "raad", "raad"

    class Decision(models.TextChoices):
        ADOPTED = "overgenomen", "overgenomen"
        PARTLY = "deels", "deels overgenomen"
        REJECTED = "niet_overgenomen", "niet overgenomen"

    class Status(models.TextChoices):
        OPEN = "open", "open"
        ONGOING = "in_uitvoering", "in uitvoering"
        DONE = "uitgevoerd", "uitgevoerd"
        SECURED = "geborgd", "uitgevoerd en geborgd"
        CLOSED = "vervallen", "vervallen"

    report_title = models.CharField("rekenkamerrapport", max_length=200)
    number = models.PositiveSmallIntegerField("nummer")
    text = models.TextField("aanbeveling", max_length=4000)
    addressee = models.CharField("gericht aan", max_length=8, choices=Addressee.choices, default=Addressee.COLLEGE)
    decision = models.CharField("besluit van de raad", max_length=20, choices=Decision.choices)
    decided_on = models.DateField("besloten op")
    responsible = models.CharField("eigenaar (afdeling of functie)", max_length=150)
    approach_due = models.DateField("plan van aanpak uiterlijk")
    approach_sent_on = models.DateField("plan van aanpak naar de raad op", null=True, blank=True)
    one_year_update_on = models.DateField("stand na een jaar naar de raad op", null=True, blank=True)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.OPEN)
    #: plans and recommendations are council documents: public unless stated otherwise
    confidentiality = models.PositiveSmallIntegerField(
        "vertrouwelijkheid", choices=Confidentiality.choices, default=Confidentiality.OPENBAAR)

    class Meta:
        ordering = ["-decided_on", "report_title", "number"]
        verbose_name = "aanbeveling"
        verbose_name_plural = "aanbevelingen"

    def __str__(self):
        return f"{self.report_title}, aanbeveling {self.number}"


class RecommendationUpdate(models.Model):
    """A dated status update of a recommendation: the plan of approach, a progress report, or the
    one-year update."""

    class Kind(models.TextChoices):
        APPROACH = "plan_van_aanpak", "plan van aanpak"
        PROGRESS = "stand", "stand van zaken"
        ONE_YEAR = "jaarupdate", "stand na een jaar"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField("soort", max_length=16, choices=Kind.choices, default=Kind.PROGRESS)
    on = models.DateField("datum")
    status = models.CharField("status", max_length=16, choices=Recommendation.Status.choices)
    text = models.TextField("toelichting", max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "stand van zaken"
        verbose_name_plural = "standen van zaken"
