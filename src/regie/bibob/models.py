"""Wet Bibob: integrity screening files in every domain (issue 6).

A :class:`BibobFile` is the owned, scoped record (need-to-know ``BIBOB``). Its steps are plain
child rows reached only through a file the caller may see; the confidential part — the RIEC and
LBB advice and the assessment of the degree of danger — lives in :class:`BibobFinding`, read only
through :mod:`regie.bibob.confidential`, which checks the file's own team and logs every read
(art. 28 Wet Bibob). The catalogue of domains (:class:`BibobDomain`) holds no personal data and
belongs to one municipality, which marks the domains its Bibob-beleidslijn covers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import BIBOB
from regie.organisations.scoping import OwnedModel


class BibobDomain(models.Model):
    """A domain in which the municipality screens (horeca, omgevingsvergunning bouw, vastgoed ...)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField("code", max_length=60)
    name = models.CharField("naam", max_length=120)
    #: the row of the per-domain annual table the domain is counted under (several domains may share one)
    group = models.CharField("groep in de jaartabellen", max_length=120)
    in_policy = models.BooleanField(
        "valt onder het Bibob-beleid", default=False,
        help_text="Aan als de lokale Bibob-beleidslijn dit domein dekt; domeinen zonder beleid staan apart in het overzicht.",
    )
    decision_weeks = models.PositiveSmallIntegerField("beslistermijn (weken)", default=8)
    position = models.PositiveSmallIntegerField("volgorde", default=100)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "Bibob-domein"
        verbose_name_plural = "Bibob-domeinen"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_bibob_domain_code")]

    def __str__(self):
        return self.name


class BibobSequence(models.Model):
    """The last file number handed out per organisation and year (BIB-2026-0001, ...)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_bibob_sequence")]


class Phase(models.TextChoices):
    APPLICATION = "aanvraag", "aanvraag ontvangen"
    FORM = "formulier", "vragenformulier"
    RESEARCH = "onderzoek", "eigen onderzoek"
    ADVICE = "advies", "advies RIEC of LBB"
    ASSESSMENT = "beoordeling", "beoordeling mate van gevaar"
    DECISION = "besluit", "besluit genomen"
    FOLLOW_UP = "nazorg", "nazorg (toezicht, herbeoordeling)"
    CLOSED = "afgesloten", "afgesloten"


class Outcome(models.TextChoices):
    GRANTED = "verleend", "verleend"
    GRANTED_CONDITIONS = "verleend_voorschriften", "verleend met voorschriften"
    REFUSED = "geweigerd", "geweigerd"
    REVOKED = "ingetrokken", "ingetrokken"
    NOT_PROCESSED = "buiten_behandeling", "buiten behandeling gesteld"
    ENDED = "procedure_beeindigd", "procedure beëindigd / aanvraag ingetrokken"
    NOT_NEEDED = "geen_vergunning_nodig", "geen vergunning nodig"


class Degree(models.TextChoices):
    """The degree of danger of art. 3 Wet Bibob."""

    NONE = "geen", "geen mate van gevaar"
    LESSER = "mindere", "mindere mate van gevaar"
    SERIOUS = "ernstig", "ernstig gevaar"


class BibobFile(OwnedModel):
    need_to_know = BIBOB

    class Kind(models.TextChoices):
        APPLICATION = "aanvraag", "aanvraag om een beschikking (vergunning, subsidie)"
        REVIEW = "herbeoordeling", "herbeoordeling van een verleende beschikking"
        RELATIONSHIP = "relatie", "rechtsbetrekking (vastgoedtransactie, overheidsopdracht)"

    reference = models.CharField("kenmerk", max_length=24)
    domain = models.ForeignKey(BibobDomain, on_delete=models.PROTECT, related_name="+", verbose_name="domein")
    kind = models.CharField("soort dossier", max_length=16, choices=Kind.choices, default=Kind.APPLICATION)
    description = models.CharField("omschrijving", max_length=200)
    person = models.ForeignKey("subjects.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="aanvrager (persoon)")
    company = models.ForeignKey("subjects.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="aanvrager (bedrijf)")
    address = models.ForeignKey("subjects.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="adres of pand")
    received_on = models.DateField("aanvraag ontvangen op", db_index=True)
    phase = models.CharField("fase", max_length=12, choices=Phase.choices, default=Phase.APPLICATION, db_index=True)
    decision_due = models.DateField("uiterste beslisdatum", null=True, blank=True)
    outcome = models.CharField("uitkomst", max_length=24, choices=Outcome.choices, blank=True)
    decided_on = models.DateField("besluit op", null=True, blank=True)
    closed_on = models.DateField("afgesloten op", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "Bibob-dossier"
        verbose_name_plural = "Bibob-dossiers"
        constraints = [models.UniqueConstraint(fields=["owner", "reference"], name="unique_bibob_reference_per_owner")]
        indexes = [models.Index(fields=["owner", "phase"])]

    def __str__(self):
        return self.reference


class BibobStep(models.Model):
    """One dated step of a file, with the term it starts (if any). Never holds the content of an
    advice or assessment: that is a :class:`BibobFinding`."""

    class Kind(models.TextChoices):
        APPLICATION = "aanvraag", "aanvraag ontvangen"
        FORM = "formulier", "Bibob-vragenformulier ontvangen"
        COMPLETENESS = "volledigheid", "volledigheid van het formulier beoordeeld"
        RESEARCH = "onderzoek", "eigen onderzoek gestart"
        RIEC_REQUEST = "riec_gevraagd", "advies RIEC gevraagd"
        RIEC_ADVICE = "riec_ontvangen", "advies RIEC ontvangen"
        LBB_REQUEST = "lbb_gevraagd", "advies Landelijk Bureau Bibob gevraagd"
        LBB_EXTENSION = "lbb_verlengd", "adviestermijn LBB verlengd"
        LBB_ADVICE = "lbb_ontvangen", "advies Landelijk Bureau Bibob ontvangen"
        ASSESSMENT = "beoordeling", "beoordeling mate van gevaar"
        DECISION = "besluit", "besluit"
        FOLLOW_UP = "nazorg", "nazorg gepland"
        FOLLOW_UP_DONE = "nazorg_uitgevoerd", "nazorg uitgevoerd"
        CLOSED = "afgesloten", "dossier afgesloten"

    class Term(models.TextChoices):
        DECISION = "beslistermijn", "uiterste beslisdatum"
        CHECK = "volledigheid", "volledigheid beoordelen"
        REPAIR = "herstel", "einde hersteltermijn (art. 4:5 Awb)"
        RESEARCH = "onderzoek", "eigen onderzoek afronden"
        RIEC = "riec", "advies RIEC verwacht"
        LBB = "lbb", "advies LBB uiterlijk"
        FOLLOW_UP = "nazorg", "nazorg gepland"

    class FollowUp(models.TextChoices):
        SUPERVISION = "toezicht", "toezicht op de naleving"
        REVIEW = "herbeoordeling", "herbeoordeling"

    file = models.ForeignKey(BibobFile, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("stap", max_length=20, choices=Kind.choices)
    on = models.DateField("datum")
    deadline = models.DateField("termijn tot en met", null=True, blank=True)
    term = models.CharField("termijn", max_length=16, choices=Term.choices, blank=True)
    done_on = models.DateField("termijn afgehandeld op", null=True, blank=True)
    complete = models.BooleanField("formulier volledig", null=True, blank=True)
    outcome = models.CharField("uitkomst", max_length=24, choices=Outcome.choices, blank=True)
    follow_up = models.CharField("soort nazorg", max_length=16, choices=FollowUp.choices, blank=True)
    note = models.TextField("toelichting", max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = "stap van een Bibob-dossier"
        verbose_name_plural = "stappen van een Bibob-dossier"
        indexes = [models.Index(fields=["deadline", "done_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.deadline is not None and self.done_on is None


class BibobFinding(models.Model):
    """The confidential content of a file: an advice (RIEC, LBB) or the assessment of the degree
    of danger with its reasoning. Only :mod:`regie.bibob.confidential` reads it."""

    class Kind(models.TextChoices):
        RIEC = "riec", "advies RIEC"
        LBB = "lbb", "advies Landelijk Bureau Bibob"
        ASSESSMENT = "beoordeling", "beoordeling van de Bibob-coördinator"

    file = models.ForeignKey(BibobFile, on_delete=models.CASCADE, related_name="findings")
    step = models.OneToOneField(BibobStep, on_delete=models.CASCADE, related_name="finding")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    degree = models.CharField("mate van gevaar", max_length=8, choices=Degree.choices, blank=True)
    text = models.TextField("inhoud", max_length=10000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("vastgelegd op", default=timezone.now)

    class Meta:
        ordering = ["step__on", "pk"]
        verbose_name = "vertrouwelijk advies of beoordeling"
        verbose_name_plural = "vertrouwelijke adviezen en beoordelingen"
