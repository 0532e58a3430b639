"""Integrale controles: the year plan, the control file, its field list and its findings.

Seed 000 §3.5 (Amersfoort): the target is "iedere maand een integrale ondermijningscontrole", all
dates are to be "aan het begin van het jaar gepland", but in February 2023 there was no year plan,
controls fell through because partners could not supply people, goals and roles were not made
explicit, and "De gemeente houdt het aantal integrale controles en het onderwerp van de controles
en de deelnemers eraan niet bij". Seed 004 §B3.5 (Dordrecht): addresses selected from signals plus
"willekeurige ondernemingen", a confidential briefing, a debriefing with "concrete afspraken ...
over de verdere afhandeling". Seed 002 asks to count controls per year and theme with their yield.

:class:`YearPlan` and :class:`Control` are owned, scoped records (need-to-know ``CONTROLS``);
the draaiboek and the (de)briefing are :class:`ControlNote`\\ s with their own confidentiality
level, so the scoped manager hides them from whom may see the control but not the notes. Partners
asked, participants, addresses, draws and findings are plain child rows, only reached through a
control the caller may see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import CONTROLS
from regie.organisations.confidentiality import Confidentiality
from regie.organisations.scoping import OwnedModel

#: seed 000 §3.5: "iedere maand een integrale ondermijningscontrole" — twelve a year
DEFAULT_TARGET = 12


class YearPlan(OwnedModel):
    """A municipality's plan of integral controls for one year, with its target."""

    need_to_know = CONTROLS
    personal_data = False

    year = models.PositiveSmallIntegerField("jaar")
    target = models.PositiveSmallIntegerField(
        "streefaantal controles", default=DEFAULT_TARGET,
        help_text="Amersfoort streeft naar één integrale controle per maand (12 per jaar).",
    )
    note = models.TextField("toelichting", blank=True, max_length=2000)

    class Meta:
        ordering = ["-year"]
        verbose_name = "jaarplan integrale controles"
        verbose_name_plural = "jaarplannen integrale controles"
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="unique_control_plan_per_year")]

    def __str__(self):
        return f"Jaarplan integrale controles {self.year}"


class ControlSequence(models.Model):
    """The last control number handed out per organisation and year (CTL-2026-0001, ...)."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_control_sequence")]


class Control(OwnedModel):
    """One integral control: a reserved date in the year plan and, as it is prepared, its file."""

    need_to_know = CONTROLS

    class Kind(models.TextChoices):
        BUSINESS_PARK = "bedrijventerrein", "bedrijventerrein"
        HORECA = "horeca", "horeca"
        COFFEESHOP = "coffeeshop", "coffeeshop"
        PREMISES = "woning_pand", "woning of pand"
        PROSTITUTION = "prostitutie", "prostitutie"
        CARS = "autobranche", "autobranche"
        LABOUR = "arbeidsuitbuiting", "arbeidsuitbuiting"
        HOLIDAY_PARK = "vakantiepark", "vakantiepark"
        HOUSING = "arbeid_bewoning", "illegale arbeid en bewoning"
        OTHER = "anders", "anders"

    class Status(models.TextChoices):
        PLANNED = "gepland", "gepland"
        CONFIRMED = "bevestigd", "bevestigd"
        EXECUTED = "uitgevoerd", "uitgevoerd"
        CANCELLED = "geannuleerd", "geannuleerd"

    class CancelKind(models.TextChoices):
        CAPACITY = "capaciteit", "geen capaciteit bij een partner"
        OWN_CAPACITY = "eigen_capaciteit", "geen capaciteit bij de gemeente"
        PRIORITY = "prioriteit", "andere prioriteit of acute inzet"
        INFORMATION = "informatie", "onvoldoende informatie of adressen"
        WEATHER = "omstandigheden", "weer of andere omstandigheden"
        OTHER = "anders", "anders"

    plan = models.ForeignKey(YearPlan, on_delete=models.PROTECT, related_name="controls", verbose_name="jaarplan")
    reference = models.CharField("kenmerk", max_length=24)
    planned_on = models.DateField("datum")
    kind = models.CharField("soort controle", max_length=20, choices=Kind.choices)
    title = models.CharField("titel", max_length=200)
    goals = models.TextField(
        "doelen", blank=True, max_length=4000,
        help_text="Wat deze controle moet opleveren, één doel per regel. Verplicht voordat de controle wordt bevestigd.",
    )
    area = models.CharField("gebied of locatie", max_length=200, blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    confirmed_at = models.DateTimeField("bevestigd op", null=True, blank=True)
    executed_on = models.DateField("uitgevoerd op", null=True, blank=True)
    cancelled_at = models.DateTimeField("geannuleerd op", null=True, blank=True)
    cancel_kind = models.CharField("soort reden", max_length=20, choices=CancelKind.choices, blank=True)
    cancel_reason = models.CharField("reden van annulering", max_length=300, blank=True)
    cancel_partner = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="partner zonder capaciteit",
    )
    requesting_forum = models.ForeignKey(
        "meetings.Forum", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="aangevraagd door overleg",
        help_text="Het overleg dat om de controle vroeg krijgt het resultaat op zijn volgende agenda.",
    )
    result_action = models.ForeignKey(
        "meetings.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="terugkoppeling aan het overleg",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="leiding ter plaatse",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = "integrale controle"
        verbose_name_plural = "integrale controles"
        constraints = [models.UniqueConstraint(fields=["owner", "reference"], name="unique_control_reference_per_owner")]
        indexes = [models.Index(fields=["owner", "planned_on"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def goal_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.goals.splitlines() if line.strip(" -•\t")]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.CONFIRMED)

    @property
    def in_the_field(self) -> bool:
        """The field list is used once the control is confirmed (and after, to complete it)."""
        return self.status in (self.Status.CONFIRMED, self.Status.EXECUTED)


class ControlNote(OwnedModel):
    """The draaiboek, the briefing or the debriefing of a control: confidential, every read logged.

    Seed 004 §B3.5: the briefing "is confidential: the researchers were not admitted"."""

    need_to_know = CONTROLS

    class Kind(models.TextChoices):
        RUNBOOK = "draaiboek", "draaiboek"
        BRIEFING = "briefing", "briefing"
        DEBRIEFING = "debriefing", "debriefing en afspraken"

    #: the default level of a note: above the control's own (zaakvertrouwelijk)
    DEFAULT_LEVEL = Confidentiality.VERTROUWELIJK

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="notes", verbose_name="controle")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    text = models.TextField("tekst", max_length=20_000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["control", "kind", "created_at", "pk"]
        verbose_name = "draaiboek of (de)briefing"
        verbose_name_plural = "draaiboeken en (de)briefings"

    def __str__(self):
        return f"{self.get_kind_display()} {self.control_id}"


class PartnerRequest(models.Model):
    """A partner asked to supply people for a control date, and its answer."""

    class Answer(models.TextChoices):
        ASKED = "gevraagd", "gevraagd"
        PROMISED = "toegezegd", "toegezegd"
        DECLINED = "afgezegd", "afgezegd (geen capaciteit)"

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="requests")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partner")
    people_asked = models.PositiveSmallIntegerField("gevraagde mensen", default=1)
    people_promised = models.PositiveSmallIntegerField("toegezegde mensen", null=True, blank=True)
    answer = models.CharField("antwoord", max_length=12, choices=Answer.choices, default=Answer.ASKED)
    note = models.CharField("toelichting", max_length=300, blank=True)
    asked_at = models.DateTimeField("gevraagd op", default=timezone.now)
    answered_at = models.DateTimeField("beantwoord op", null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["control", "organisation"], name="unique_control_request")]


class Participant(models.Model):
    """Who takes part for a partner, in which role and with which powers (seed 004 §B3.5: the
    coordinator explains "de controle, de deelnemers en hun bevoegdheden" at each address)."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partner")
    name = models.CharField("naam of functie", max_length=120, blank=True)
    role = models.CharField("rol", max_length=120)
    powers = models.CharField("bevoegdheden", max_length=300, blank=True)
    people = models.PositiveSmallIntegerField("aantal mensen", default=1)

    class Meta:
        ordering = ["organisation__name", "pk"]


class AddressDraw(models.Model):
    """A random selection of addresses in a wijk or buurt, reproducible from its stored seed."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="draws")
    wijk = models.ForeignKey("areas.Wijk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    buurt = models.ForeignKey("areas.Buurt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    count = models.PositiveSmallIntegerField("aantal")
    seed = models.BigIntegerField("startwaarde")
    pool_size = models.PositiveIntegerField("aantal adressen in de pot")
    drawn_at = models.DateTimeField("getrokken op", default=timezone.now)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["drawn_at", "pk"]


class ControlAddress(models.Model):
    """An address on the control's list, with why it is there and whether it was visited."""

    class Source(models.TextChoices):
        SIGNAL = "signaal", "signaal"
        CASE = "casus", "casus"
        RANDOM = "willekeurig", "willekeurige trekking"
        CHOSEN = "gekozen", "gekozen door de regie"
        ON_SITE = "ter_plaatse", "ter plaatse toegevoegd"

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="addresses")
    address = models.ForeignKey("subjects.Address", on_delete=models.PROTECT, related_name="+", verbose_name="adres")
    source = models.CharField("herkomst", max_length=12, choices=Source.choices)
    signal = models.ForeignKey("intake.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    draw = models.ForeignKey(AddressDraw, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses")
    reason = models.CharField("reden", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("volgorde", default=0)
    visited = models.BooleanField("bezocht", default=False)
    visited_at = models.DateTimeField("bezocht op", null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    letter_handed = models.BooleanField("brief burgemeester uitgereikt", default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "adres op de lijst van een integrale controle"
        verbose_name_plural = "adressen op de lijst van een integrale controle"
        constraints = [models.UniqueConstraint(fields=["control", "address"], name="unique_control_address")]


class Finding(models.Model):
    """What a partner found at an address, and where it led: a signal, a measure, an action."""

    class Kind(models.TextChoices):
        VIOLATION = "overtreding", "overtreding"
        FOUND = "aangetroffen", "aangetroffen zaken"
        NOT_REGISTERED = "niet_ingeschreven", "personen niet ingeschreven op het adres"
        WORK_PERMIT = "tewerkstelling", "illegale tewerkstelling of geen werkvergunning"
        PERMIT = "vergunning", "vergunningvoorwaarden niet nageleefd"
        SIGNS = "signaal", "aanwijzing voor ondermijning"
        NOTHING = "niets", "niets bijzonders aangetroffen"
        OTHER = "anders", "anders"

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="findings")
    address = models.ForeignKey(ControlAddress, on_delete=models.PROTECT, related_name="findings", verbose_name="adres")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="partner")
    kind = models.CharField("soort bevinding", max_length=20, choices=Kind.choices)
    text = models.TextField("bevinding", max_length=4000, blank=True)
    persons = models.PositiveSmallIntegerField("aantal personen", null=True, blank=True)
    recorded_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signal = models.ForeignKey("intake.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="nieuw signaal")
    measure = models.ForeignKey("measures.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="maatregel")
    action = models.ForeignKey("meetings.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="vervolgactie")

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = "bevinding"
        verbose_name_plural = "bevindingen"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"
