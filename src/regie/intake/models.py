"""Signals (signalen/meldingen): intake from every channel, triage, enrichment, feedback.

Every step is a dated :class:`SignalEvent`, so lead times (received → triaged → on an agenda →
decision → first intervention) come out of the data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import SIGNALS
from regie.organisations.scoping import OwnedModel


class Theme(models.Model):
    """The theme catalogue: national standard themes (no organisation) plus a municipality's own."""

    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        verbose_name="organisatie", help_text="Leeg voor de standaardcatalogus.",
    )
    code = models.SlugField("code", max_length=60)
    name = models.CharField("naam", max_length=120)
    group = models.CharField("hoofdthema", max_length=120, blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = "thema"
        verbose_name_plural = "thema's"
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_theme_code")]

    def __str__(self):
        return f"{self.group}: {self.name}" if self.group and self.group != self.name else self.name


class Channel(models.TextChoices):
    MMA = "mma", "Meld Misdaad Anoniem"
    INTERNAL = "internal", "Meld een vermoeden (medewerker)"
    PUBLIC = "public", "Webformulier inwoners"
    PARTNER = "partner", "Partner (API)"
    BOA = "boa", "Eigen waarneming boa/handhaving"
    EMAIL = "email", "E-mail meldpunt"
    COUNTER = "counter", "Balie of telefoon"
    CONTROL = "control", "Integrale controle"
    MEETING = "meeting", "Ingebracht in het overleg"
    IMPORT = "import", "Bulkimport"
    API = "api", "Koppeling (API) eigen organisatie"


class Signal(OwnedModel):
    need_to_know = SIGNALS

    class Hardness(models.TextChoices):
        FACT = "feit", "geverifieerd feit"
        INDICATION = "indicatie", "indicatie"

    class Severity(models.TextChoices):
        LOW = "laag", "laag"
        MEDIUM = "midden", "midden"
        HIGH = "hoog", "hoog"

    class Status(models.TextChoices):
        RECEIVED = "ontvangen", "ontvangen"
        TRIAGED = "beoordeeld", "beoordeeld (ondermijning)"
        FORWARDED = "doorgezet", "doorgezet naar partner of handhaving"
        ON_AGENDA = "geagendeerd", "geagendeerd"
        IN_CASE = "in_casus", "opgenomen in casus"
        CLOSED = "gesloten", "gesloten"
        COMBINED = "samengevoegd", "samengevoegd met ander signaal"

    class Label(models.TextChoices):
        SUBVERSIVE = "ondermijning", "ondermijningsgerelateerd"
        NOT = "niet", "niet ondermijningsgerelateerd"
        UNKNOWN = "onbekend", "onbekend"

    class Route(models.TextChoices):
        MEETING = "overleg", "lokaal overleg"
        ENFORCEMENT = "handhaving", "direct handhaving"
        POLICE = "politie", "reguliere politie"
        PARTNER = "partner", "partner-meldpunt"
        CLOSE = "sluiten", "sluiten zonder actie"

    reference = models.CharField("kenmerk", max_length=24, unique=True)
    received_at = models.DateTimeField("ontvangen op", default=timezone.now, db_index=True)
    reported_on = models.DateField("datum waarneming", null=True, blank=True)
    channel = models.CharField("kanaal", max_length=16, choices=Channel.choices)
    source_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="aangeleverd door",
    )
    anonymous = models.BooleanField("anoniem", default=False)
    text = models.TextField("omschrijving", max_length=10_000)
    # location: an address in the registry, or free coordinates; resolved to a buurt
    address = models.ForeignKey(
        "subjects.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="adres"
    )
    latitude = models.DecimalField("breedtegraad", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("lengtegraad", max_digits=9, decimal_places=6, null=True, blank=True)
    buurt = models.ForeignKey("areas.Buurt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="buurt")
    themes = models.ManyToManyField(Theme, blank=True, related_name="signals", verbose_name="thema's")
    hardness = models.CharField("hardheid", max_length=10, choices=Hardness.choices, default=Hardness.INDICATION)
    severity = models.CharField("zwaarte", max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    suggested_label = models.CharField("voorgesteld label", max_length=16, choices=Label.choices, blank=True)
    suggested_route = models.CharField("voorgestelde route", max_length=16, choices=Route.choices, blank=True)
    suggestion_reasons = models.JSONField("redenen voorstel", default=list, blank=True)
    label = models.CharField("label", max_length=16, choices=Label.choices, blank=True)
    route = models.CharField("route", max_length=16, choices=Route.choices, blank=True)
    closed_at = models.DateTimeField("gesloten op", null=True, blank=True)
    close_reason = models.CharField("reden sluiten", max_length=300, blank=True)
    combined_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="combined_from", verbose_name="samengevoegd in"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="ingevoerd door"
    )
    #: the sender's own number, e.g. the MMA Meldingnummer; an import refuses one it already holds
    external_reference = models.CharField(
        "extern kenmerk", max_length=40, null=True, blank=True, db_index=True,
        help_text="Kenmerk van de afzender, bijvoorbeeld het Meldingnummer van Meld Misdaad Anoniem.",
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "signaal"
        verbose_name_plural = "signalen"
        indexes = [
            models.Index(fields=["owner", "status", "received_at"]),
            # the area picture counts a year of signals per buurt from this index alone (id for the
            # Share sub-query: every column the query reads is in the index)
            models.Index(fields=["owner", "received_at", "buurt", "confidentiality", "id"],
                         name="signal_area_picture_idx"),
        ]
        constraints = [
            # one MMA report number per municipality, also when two imports run at once
            models.UniqueConstraint(
                fields=["owner", "external_reference"],
                condition=models.Q(external_reference__isnull=False),
                name="unique_external_reference_per_owner",
            )
        ]

    def __str__(self):
        return self.reference


class Reporter(models.Model):
    """Who reported a signal, kept apart from it: only the coördinator sees it, never partners."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="medewerker"
    )
    name = models.CharField("naam", max_length=200, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    wants_feedback = models.BooleanField("wil terugkoppeling", default=False)
    #: SHA-256 of the feedback code given to a public reporter who asked for feedback
    feedback_code_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "melder"
        verbose_name_plural = "melders"


class SignalSubject(models.Model):
    """A person, company or address mentioned in a signal, linked to the subjects registry."""

    class Method(models.TextChoices):
        BSN = "bsn", "BSN"
        KVK = "kvk", "KvK-nummer"
        ADDRESS = "adres", "postcode en huisnummer"
        NAME = "naam", "genormaliseerde naam"
        NEW = "nieuw", "nieuw in het register"
        MANUAL = "handmatig", "handmatig gekoppeld"

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey("subjects.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey("subjects.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    address = models.ForeignKey("subjects.Address", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vehicle_plate = models.CharField("kenteken", max_length=10, blank=True)
    method = models.CharField("gekoppeld op", max_length=12, choices=Method.choices)
    as_written = models.CharField("zoals genoemd", max_length=300, blank=True)

    class Meta:
        verbose_name = "genoemd subject"
        verbose_name_plural = "genoemde subjecten"

    @property
    def target(self):
        return self.person or self.company or self.address or self.vehicle_plate


class SignalEvent(models.Model):
    """A dated step in a signal's life: the status history and the lead-time clock."""

    class Kind(models.TextChoices):
        RECEIVED = "ontvangen", "ontvangen"
        TRIAGED = "beoordeeld", "beoordeeld"
        FORWARDED = "doorgezet", "doorgezet"
        CLOSED = "gesloten", "gesloten"
        ON_AGENDA = "geagendeerd", "geagendeerd"
        DECISION = "besluit", "besluit in overleg"
        FIRST_INTERVENTION = "eerste_interventie", "eerste interventie"
        COMBINED = "samengevoegd", "samengevoegd"
        HIT_QUESTION = "bevraging", "partner bevraagd"
        REOPENED = "heropend", "heropend"
        IN_CASE = "in_casus", "opgenomen in casus"

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("soort", max_length=24, choices=Kind.choices)
    at = models.DateTimeField("tijdstip", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField("toelichting", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "gebeurtenis"
        verbose_name_plural = "gebeurtenissen"
        indexes = [models.Index(fields=["signal", "kind"])]


class TriageRule(models.Model):
    """A rule the functioneel beheerder edits; each match adds a reason to the suggestion."""

    class Kind(models.TextChoices):
        KEYWORD = "woord", "trefwoord in de omschrijving"
        THEME = "thema", "thema"
        CHANNEL = "kanaal", "kanaal"

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    value = models.CharField("waarde", max_length=120, help_text="Trefwoord, themacode of kanaalcode.")
    label = models.CharField("label", max_length=16, choices=Signal.Label.choices)
    route = models.CharField("route", max_length=16, choices=Signal.Route.choices, blank=True)
    weight = models.PositiveSmallIntegerField("gewicht", default=1)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = "triageregel"
        verbose_name_plural = "triageregels"

    def __str__(self):
        return f"{self.get_kind_display()} “{self.value}” → {self.get_label_display()}"


class HitQuestion(models.Model):
    """A hit/no-hit question to a partner about a subject in a signal; no details are exchanged."""

    class Answer(models.TextChoices):
        HIT = "hit", "bekend (hit)"
        NO_HIT = "no_hit", "niet bekend (no-hit)"
        DO_NOT_INTERVENE = "niet_interveniëren", "niet interveniëren zonder overleg"

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="hit_questions")
    mention = models.ForeignKey(SignalSubject, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="partner")
    #: the minimum a partner needs to answer (name and birth date, KvK number or address); no signal text
    subject_description = models.CharField("subject", max_length=300)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField("antwoord", max_length=24, choices=Answer.choices, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = "hit/no-hit-vraag"
        verbose_name_plural = "hit/no-hit-vragen"


class Receipt(models.Model):
    """What an internal reporter may see of his own report: reference and status, nothing else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_receipts")
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="receipt")

    class Meta:
        verbose_name = "ontvangstbevestiging"


class RetentionLog(models.Model):
    """What the retention job removed: counts and basis, never personal data."""

    ran_at = models.DateTimeField(auto_now_add=True)
    organisation_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=16)  # "verwijderd" or "geanonimiseerd"
    record_type = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    basis = models.CharField(max_length=300)

    class Meta:
        ordering = ["-ran_at"]


def _attachment_path(instance, filename: str) -> str:
    """A random name under attachments/: the reporter's own file name is never kept."""
    import uuid
    from pathlib import PurePath

    return f"attachments/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    """A photo sent with a signal: re-encoded without metadata, stored outside the web root.

    It is served only through a view that checks the signal's visibility and audits the view.
    ``size`` and ``sha256`` are those of the stored (cleaned) file.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("bestand", upload_to=_attachment_path, max_length=200)
    content_type = models.CharField("bestandstype", max_length=50)
    size = models.PositiveIntegerField("grootte (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("ontvangen op", default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "bijlage"
        verbose_name_plural = "bijlagen"
