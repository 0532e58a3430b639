"""The mayor's instruments (maatregelen): a per-municipality catalogue of kinds and domains, the
measure register with its legal steps, and the documents of a measure.

A :class:`Measure` is the owned, scoped record (need-to-know ``MEASURES``). Its steps and
documents are plain child rows, only ever reached through a measure the caller may see. The
catalogue (:class:`MeasureKind`, :class:`MeasureDomain`) holds no personal data; like the
triage rules it belongs to one municipality, which edits it.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import MEASURES
from regie.organisations.scoping import OwnedModel


class Category(models.TextChoices):
    """What a kind of measure counts as in the annual tables."""

    WARNING = "waarschuwing", "bestuurlijke waarschuwing"
    CLOSURE = "sluiting", "sluiting"
    PENALTY = "dwangsom", "last onder dwangsom"
    ADMIN_ENFORCEMENT = "bestuursdwang", "last onder bestuursdwang"
    FINE = "boete", "bestuurlijke boete"
    ENTRY = "binnentreden", "machtiging tot binnentreden"
    PERMIT = "vergunning", "weigering of intrekking van een vergunning"
    BENEFIT = "uitkering", "stopzetting en terugvordering van een uitkering"
    OTHER = "overig", "overige maatregel"


class MeasureKind(models.Model):
    """A kind of measure in a municipality's catalogue, with its legal basis and what it needs."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField("code", max_length=60)
    name = models.CharField("naam", max_length=120)
    legal_basis = models.CharField("grondslag", max_length=200, blank=True, help_text="Bijvoorbeeld art. 13b Opiumwet.")
    category = models.CharField("telt in de jaartabellen als", max_length=16, choices=Category.choices)
    requires_voornemen = models.BooleanField(
        "voornemen en zienswijze nodig", default=True,
        help_text="Een belastend besluit wordt voorafgegaan door een voornemen (art. 4:8 Awb), behalve bij spoed.",
    )
    requires_weighing = models.BooleanField(
        "afweging verplicht", default=False,
        help_text="Geschiktheid, noodzakelijkheid, evenredigheid en de stap in de handhavingsstrategie.",
    )
    zienswijze_days = models.PositiveSmallIntegerField("zienswijzetermijn (dagen)", default=14)
    position = models.PositiveSmallIntegerField("volgorde", default=100)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "soort maatregel"
        verbose_name_plural = "soorten maatregelen"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_measure_kind_code")]

    def __str__(self):
        return self.name

    @property
    def is_closure(self) -> bool:
        return self.category == Category.CLOSURE

    @property
    def is_penalty(self) -> bool:
        return self.category == Category.PENALTY


class MeasureDomain(models.Model):
    """A domain of enforcement (seksbranche, drugspanden, explosies, DOR, ...) of a municipality."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField("code", max_length=60)
    name = models.CharField("naam", max_length=120)
    #: categories under which the instrument table (seed 000, Tabel 6.1) always shows this domain
    instrument_rows = models.JSONField("eigen regel in de instrumententabel bij", default=list, blank=True)
    position = models.PositiveSmallIntegerField("volgorde", default=100)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "domein"
        verbose_name_plural = "domeinen"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_measure_domain_code")]

    def __str__(self):
        return self.name


class MeasureSequence(models.Model):
    """The last measure number handed out per organisation and year (MTR-2026-0001, ...)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_measure_sequence")]


class Measure(OwnedModel):
    need_to_know = MEASURES

    class Strategy(models.TextChoices):
        FIRST = "eerste", "eerste overtreding"
        SECOND = "tweede", "tweede overtreding (recidive)"
        THIRD = "derde", "derde of volgende overtreding"
        DEVIATION = "afwijking", "gemotiveerde afwijking van de handhavingsstrategie"

    class Outcome(models.TextChoices):
        DONE = "uitgevoerd", "uitgevoerd"
        COMPLIED = "nageleefd", "last nageleefd"
        WAIVED = "afgezien", "afgezien van een maatregel"
        WITHDRAWN = "ingetrokken", "besluit ingetrokken"
        ANNULLED = "vernietigd", "vernietigd in bezwaar of beroep"
        OTHER = "anders", "anders"

    reference = models.CharField("kenmerk", max_length=24)
    kind = models.ForeignKey(MeasureKind, on_delete=models.PROTECT, related_name="+", verbose_name="soort maatregel")
    domain = models.ForeignKey(MeasureDomain, on_delete=models.PROTECT, related_name="+", verbose_name="domein")
    description = models.CharField("omschrijving", max_length=200)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="casus"
    )
    address = models.ForeignKey(
        "subjects.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="adres of pand"
    )
    person = models.ForeignKey(
        "subjects.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="persoon"
    )
    company = models.ForeignKey(
        "subjects.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="bedrijf"
    )
    # the weighing a closure needs (proportionality test) and the step of the enforcement strategy
    suitability = models.TextField("geschiktheid", max_length=5000, blank=True)
    necessity = models.TextField("noodzakelijkheid", max_length=5000, blank=True)
    proportionality = models.TextField("evenredigheid", max_length=5000, blank=True)
    strategy_step = models.CharField("stap in de handhavingsstrategie", max_length=12, choices=Strategy.choices, blank=True)
    strategy_note = models.CharField("toelichting handhavingsstrategie", max_length=1000, blank=True)
    # last onder dwangsom (and the begunstigingstermijn of any last)
    penalty_amount = models.DecimalField("bedrag dwangsom (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    penalty_maximum = models.DecimalField("maximum dwangsom (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    term_days = models.PositiveSmallIntegerField("begunstigingstermijn (dagen)", null=True, blank=True)
    term_ends_on = models.DateField("einde begunstigingstermijn", null=True, blank=True)
    forfeited = models.BooleanField("dwangsom verbeurd", default=False)
    forfeited_on = models.DateField("verbeurd op", null=True, blank=True)
    collected_amount = models.DecimalField("ingevorderd bedrag (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    # closure
    closure_months = models.PositiveSmallIntegerField("duur sluiting (maanden)", null=True, blank=True)
    closure_starts_on = models.DateField("sluiting ingegaan", null=True, blank=True)
    closure_ends_on = models.DateField("heropening", null=True, blank=True)
    # where the measure stands (derived from its steps)
    stage = models.CharField("laatste stap", max_length=20, blank=True, db_index=True)
    outcome = models.CharField("afloop", max_length=12, choices=Outcome.choices, blank=True)
    reported_on = models.DateField("rapportage ontvangen op", null=True, blank=True)
    decided_on = models.DateField("besluit op", null=True, blank=True, db_index=True)
    ended_on = models.DateField("beëindigd op", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "maatregel"
        verbose_name_plural = "maatregelen"
        constraints = [models.UniqueConstraint(fields=["owner", "reference"], name="unique_measure_reference_per_owner")]
        indexes = [
            models.Index(fields=["owner", "stage"]),
            # the area picture counts a year of measures per buurt (through the address) from this index
            models.Index(fields=["owner", "created_at", "address", "confidentiality", "id"],
                         name="measure_area_picture_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.description}"

    @property
    def is_ended(self) -> bool:
        return self.stage == "einde"

    @property
    def stage_label(self) -> str:
        return MeasureStep.Kind(self.stage).label if self.stage else "nog geen stap"


class MeasureStep(models.Model):
    """One legal step of a measure, dated, with the term it starts (if any)."""

    class Kind(models.TextChoices):
        REPORT = "rapportage", "bestuurlijke rapportage"
        INTENTION = "voornemen", "voornemen (zienswijze gevraagd)"
        VIEW = "zienswijze", "zienswijze"
        DECISION = "besluit", "besluit"
        OBJECTION = "bezwaar", "bezwaar ingediend"
        OBJECTION_DECISION = "beslissing_bezwaar", "beslissing op bezwaar"
        APPEAL = "beroep", "beroep of voorlopige voorziening"
        EXECUTION = "uitvoering", "uitvoering"
        END = "einde", "einde"

    class Term(models.TextChoices):
        VIEW = "zienswijze", "einde zienswijzetermijn"
        GRACE = "begunstiging", "einde begunstigingstermijn"
        OBJECTION = "beslistermijn_bezwaar", "beslissing op bezwaar uiterlijk (art. 7:10 Awb)"
        REOPENING = "heropening", "heropening (einde sluiting)"

    class Source(models.TextChoices):
        POLICE = "politie", "politie"
        BOA = "boa", "boa / handhaving"
        OTHER = "anders", "andere partner"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("stap", max_length=20, choices=Kind.choices)
    on = models.DateField("datum")
    deadline = models.DateField("termijn tot en met", null=True, blank=True)
    term = models.CharField("termijn", max_length=24, choices=Term.choices, blank=True)
    done_on = models.DateField("termijn afgehandeld op", null=True, blank=True)
    note = models.TextField("toelichting", max_length=2000, blank=True)
    urgent = models.BooleanField("spoedeisend", default=False)
    source = models.CharField("afkomstig van", max_length=12, choices=Source.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    # four eyes (issue 12, point 6): a besluit under an enforced safeguard rule waits for a second person
    approval_required = models.BooleanField("goedkeuring door tweede persoon nodig", default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="goedgekeurd door")
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "stap van een maatregel"
        verbose_name_plural = "stappen van een maatregel"
        indexes = [models.Index(fields=["kind", "on"]), models.Index(fields=["deadline", "done_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.deadline is not None and self.done_on is None

    @property
    def awaits_approval(self) -> bool:
        return self.approval_required and self.approved_at is None


def _document_path(instance, filename: str) -> str:
    """A random name under measures/: the uploader's file name is never kept."""
    return f"measures/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class MeasureDocument(models.Model):
    """A decision, rapportage or photo of a measure: type-checked, stored outside the web root,
    served only through a view that checks the measure's visibility and logs the download."""

    class Kind(models.TextChoices):
        REPORT = "rapportage", "bestuurlijke rapportage"
        INTENTION = "voornemen", "voornemen"
        VIEW = "zienswijze", "zienswijze"
        DECISION = "besluit", "besluit"
        PHOTO = "foto", "foto"
        OTHER = "overig", "overig"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("soort document", max_length=12, choices=Kind.choices)
    description = models.CharField("omschrijving", max_length=200, blank=True)
    file = models.FileField("bestand", upload_to=_document_path, max_length=200)
    content_type = models.CharField("bestandstype", max_length=50)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("toegevoegd op", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "document van een maatregel"
        verbose_name_plural = "documenten van een maatregel"

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/png": ".png"}.get(self.content_type, ".jpg")
