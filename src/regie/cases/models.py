"""Cases (casussen): subjects and objects, themes, phase, escalation, the linked signals, the
interventiematrix and a timeline of everything that happened.

A :class:`Case` is the owned, scoped record (need-to-know ``CASES``). Its subjects, signal links,
timeline and interventions are plain child rows: they are only ever reached through a case the
caller may see, so the interventiematrix is visible exactly to who may see the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import CASES
from regie.organisations.scoping import OwnedModel


class Case(OwnedModel):
    need_to_know = CASES

    class TargetType(models.TextChoices):
        PERSON = "persoon", "persoon"
        COMPANY = "bedrijf", "bedrijf"
        LOCATION = "locatie", "locatie of pand"
        NETWORK = "netwerk", "crimineel netwerk (csv)"
        FACILITATOR = "facilitator", "facilitator"
        STRUCTURE = "structuur", "faciliterende structuur"

    class CaseType(models.TextChoices):
        INTEGRAL = "integraal", "integrale casus"
        MONO = "mono", "mono-casus"
        MULTI = "multi", "multidisciplinaire casus"
        CRIMINAL = "strafrechtelijk", "strafrechtelijk onderzoek"

    class Phase(models.TextChoices):
        EXPLORATION = "verkenning", "verkenning"
        ANALYSIS = "analyse", "analyse"
        INTERVENTION = "interventie", "interventie"
        AFTERCARE = "nazorg", "nazorg"
        CLOSED = "afgesloten", "afgesloten"

    class ClosedReason(models.TextChoices):
        RESULT = "resultaat", "resultaat behaald"
        CAPACITY = "capaciteit", "voortijdig wegens capaciteit"
        INSUFFICIENT = "onvoldoende", "onvoldoende onderbouwd"
        HANDED_OVER = "overgedragen", "overgedragen aan partner of andere regio"
        OTHER = "anders", "anders"

    class Escalation(models.TextChoices):
        LOCAL = "lokaal", "lokaal"
        DTO = "dto", "DTO (districtelijk)"
        RIEC = "riec", "RIEC (regionaal)"

    reference = models.CharField("kenmerk", max_length=24)
    title = models.CharField("titel", max_length=200)
    summary = models.TextField("samenvatting", max_length=10_000, blank=True)
    target_type = models.CharField("soort doelwit", max_length=16, choices=TargetType.choices, default=TargetType.PERSON)
    case_type = models.CharField("soort casus", max_length=16, choices=CaseType.choices, default=CaseType.INTEGRAL)
    phase = models.CharField("fase", max_length=16, choices=Phase.choices, default=Phase.EXPLORATION, db_index=True)
    closed_reason = models.CharField("reden afsluiten", max_length=16, choices=ClosedReason.choices, blank=True)
    closed_note = models.CharField("toelichting afsluiten", max_length=500, blank=True)
    escalation_level = models.CharField("opschaling", max_length=8, choices=Escalation.choices, default=Escalation.LOCAL)
    themes = models.ManyToManyField("intake.Theme", blank=True, related_name="cases", verbose_name="thema's")
    opened_at = models.DateTimeField("geopend op", default=timezone.now, db_index=True)
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True)
    next_discussion_on = models.DateField(
        "volgende bespreking", null=True, blank=True, help_text="Wanneer de casus weer in het overleg komt."
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="regisseur",
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        constraints = [models.UniqueConstraint(fields=["owner", "reference"], name="unique_case_reference_per_owner")]
        indexes = [models.Index(fields=["owner", "phase", "next_discussion_on"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.phase == self.Phase.CLOSED


class CaseSequence(models.Model):
    """The last case number handed out per organisation and year (CAS-2026-0001, -0002, ...).

    A row is locked while a number is drawn, so two cases opened at once never share one.
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_case_sequence")]


class CaseSubject(models.Model):
    """A person, company, address or vehicle the case is about."""

    class Role(models.TextChoices):
        SUBJECT = "subject", "subject"
        MAIN = "hoofdsubject", "hoofdsubject"
        FACILITATOR = "facilitator", "facilitator"
        OWNER = "pandeigenaar", "pandeigenaar"
        VICTIM = "slachtoffer", "slachtoffer"
        LOCATION = "locatie", "locatie"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("subjects.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey("subjects.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    address = models.ForeignKey("subjects.Address", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vehicle_plate = models.CharField("kenteken", max_length=10, blank=True)
    role = models.CharField("rol", max_length=16, choices=Role.choices, default=Role.SUBJECT)
    added_at = models.DateTimeField("toegevoegd op", default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "subject van een casus"
        verbose_name_plural = "subjecten van een casus"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, company__isnull=True, address__isnull=True, vehicle_plate="")
                    | models.Q(person__isnull=True, company__isnull=False, address__isnull=True, vehicle_plate="")
                    | models.Q(person__isnull=True, company__isnull=True, address__isnull=False, vehicle_plate="")
                    | (models.Q(person__isnull=True, company__isnull=True, address__isnull=True) & ~models.Q(vehicle_plate=""))
                ),
                name="case_subject_exactly_one_target",
            )
        ]

    @property
    def key(self) -> tuple:
        return (self.person_id, self.company_id, self.address_id, self.vehicle_plate)


class CaseSignal(models.Model):
    """A signal that is part of the case (the signal's status becomes 'in casus')."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signal_links")
    signal = models.ForeignKey("intake.Signal", on_delete=models.CASCADE, related_name="case_links")
    linked_at = models.DateTimeField("gekoppeld op", default=timezone.now)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["linked_at", "pk"]
        verbose_name = "signaal in een casus"
        verbose_name_plural = "signalen in een casus"
        constraints = [models.UniqueConstraint(fields=["case", "signal"], name="unique_case_signal")]


class CaseEvent(models.Model):
    """One dated line of the case's timeline."""

    class Kind(models.TextChoices):
        OPENED = "geopend", "casus geopend"
        CHANGED = "gewijzigd", "gegevens gewijzigd"
        SIGNAL = "signaal", "signaal gekoppeld"
        SUBJECT = "subject", "subject toegevoegd"
        PHASE = "fase", "fase gewijzigd"
        ESCALATION = "opschaling", "opschaling gewijzigd"
        INTERVENTION = "interventie", "interventie"
        RESULT = "resultaat", "resultaat interventie"
        SHARED = "gedeeld", "gedeeld met partner"
        MEETING = "overleg", "besproken in overleg"
        DECISION = "besluit", "besluit"
        NOTE = "notitie", "notitie"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("tijdstip", default=timezone.now)
    #: one of :class:`Kind`, or another short word a later room uses (shown as written)
    kind = models.CharField("soort", max_length=24, choices=Kind.choices)
    text = models.CharField("omschrijving", max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: where the line comes from: "casus", "fase", "interventie", "overleg", ...
    source = models.CharField("bron", max_length=40, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "gebeurtenis in een casus"
        verbose_name_plural = "tijdlijn van een casus"
        indexes = [models.Index(fields=["case", "at"])]


class Intervention(models.Model):
    """One row of the interventiematrix: which partner does what, how far it is, what came of it."""

    class Domain(models.TextChoices):
        ADMINISTRATIVE = "bestuurlijk", "bestuurlijk"
        FISCAL = "fiscaal", "fiscaal"
        CRIMINAL = "strafrechtelijk", "strafrechtelijk"
        OTHER = "anders", "anders"

    class Nature(models.TextChoices):
        REPRESSIVE = "repressief", "repressief"
        PREVENTIVE = "preventief", "preventief"
        RESILIENCE = "weerbaarheid", "weerbaarheid"

    class Status(models.TextChoices):
        PLANNED = "gepland", "gepland"
        RUNNING = "in_uitvoering", "in uitvoering"
        DONE = "uitgevoerd", "uitgevoerd"
        STOPPED = "gestaakt", "gestaakt"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    partner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partner",
        help_text="De organisatie die de interventie uitvoert (ook de gemeente zelf).",
    )
    domain = models.CharField("domein", max_length=16, choices=Domain.choices)
    nature = models.CharField("aard", max_length=16, choices=Nature.choices, default=Nature.REPRESSIVE)
    instrument = models.CharField(
        "instrument", max_length=120, blank=True,
        help_text="Bijvoorbeeld integrale controle, sluiting 13b Opiumwet, boekenonderzoek, aanhouding.",
    )
    description = models.TextField("omschrijving", max_length=5000)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="trekker",
    )
    contact = models.CharField("contactpersoon bij de partner", max_length=200, blank=True)
    #: where the intervention was agreed, e.g. "besluit LOO 12-03-2026"
    origin = models.CharField("afgesproken in", max_length=200, blank=True)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField("gepland op", null=True, blank=True)
    started_on = models.DateField("gestart op", null=True, blank=True)
    done_on = models.DateField("afgerond op", null=True, blank=True)
    result = models.TextField("resultaat", max_length=5000, blank=True)
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    #: last change of status or result: what flows back to the forum that decided it
    changed_at = models.DateTimeField("status of resultaat gewijzigd", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = "interventie"
        verbose_name_plural = "interventies"

    def __str__(self):
        return f"{self.get_domain_display()} ({self.get_nature_display()}): {self.instrument or self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.RUNNING)
