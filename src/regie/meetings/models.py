"""The lokaal overleg and its partners: forums, meetings, agenda items, decisions, actions and
escalations to DTO/RIEC.

Seed 000 §5.4 found the overleg informal: no preparation, signals pushed from meeting to meeting,
no follow-up and no feedback. Here every item is prepared (a snapshot of what is known, taken when
the agenda is made), every outcome is an explicit :class:`Decision` with an owner and a deadline
(postponing too, with a reason), and every follow-up is an :class:`Action` that returns on the next
agenda when it is overdue or done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from regie.accounts.roles import ACTIONS, MEETINGS
from regie.organisations.scoping import OwnedModel


class Forum(OwnedModel):
    """A standing table: lokaal overleg, casusoverleg, regiegroep, trends slot, DTO or RIEC."""

    need_to_know = MEETINGS
    personal_data = False

    class Kind(models.TextChoices):
        LOCAL = "lokaal_overleg", "Lokaal overleg ondermijning"
        CASE = "casusoverleg", "Casusoverleg"
        STEERING = "regiegroep", "Regiegroep"
        TRENDS = "trends", "Trendoverleg"
        DISTRICT = "dto", "DTO (districtelijk)"
        RIEC = "riec", "RIEC (regionaal)"

    #: the district and regional tables are escalation targets, not local meetings
    ESCALATION_KINDS = (Kind.DISTRICT, Kind.RIEC)

    name = models.CharField("naam", max_length=120)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    frequency_days = models.PositiveSmallIntegerField(
        "frequentie (dagen)", help_text="Bijvoorbeeld 14 voor tweewekelijks, 28 voor maandelijks, 42 voor zeswekelijks."
    )
    purpose = models.TextField("doel van het overleg", blank=True, max_length=2000)
    members = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="+", verbose_name="partners aan tafel",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="voorzitter"
    )
    trends_slot = models.BooleanField(
        "maandelijks trendmoment", default=False,
        help_text="De eerste vergadering van elke maand krijgt een agendapunt met geaggregeerde cijfers.",
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "overlegvorm"
        verbose_name_plural = "overlegvormen"

    def __str__(self):
        return self.name

    def owner_organisation(self):
        from regie.organisations.models import Organisation

        return Organisation.objects.get(pk=self.owner_id)

    @property
    def is_escalation_target(self) -> bool:
        return self.kind in self.ESCALATION_KINDS


class Meeting(OwnedModel):
    need_to_know = MEETINGS

    class Status(models.TextChoices):
        DRAFT = "concept", "concept"
        PREPARED = "voorbereid", "agenda gedeeld"
        HELD = "gehouden", "gehouden"

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings", verbose_name="overlegvorm")
    starts_at = models.DateTimeField("datum en tijd")
    location = models.CharField("locatie", max_length=200, blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DRAFT)
    prepared_at = models.DateTimeField("agenda gemaakt op", null=True, blank=True)
    shared_at = models.DateTimeField("agenda gedeeld op", null=True, blank=True)
    held_at = models.DateTimeField("afgesloten op", null=True, blank=True)
    notes = models.TextField("aantekeningen", blank=True, max_length=10_000)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "overleg"
        verbose_name_plural = "overleggen"

    def __str__(self):
        return f"{self.forum.name} {timezone.localtime(self.starts_at):%d-%m-%Y}"


class AgendaItem(OwnedModel):
    """One point on the agenda, prepared before the meeting.

    ``snapshot`` holds what is known, grouped by the field groups of
    :data:`regie.partners.sharing.FIELD_GROUPS`; ``partner_fields`` which groups each partner
    organisation at the table may see (from the partner registry, fixed when the agenda is shared).
    """

    need_to_know = MEETINGS

    class Kind(models.TextChoices):
        SIGNAL = "signaal", "signaal"
        CASE = "casus", "casus"
        ACTION = "actie", "actie over termijn"
        FEEDBACK = "terugkoppeling", "terugkoppeling"
        TRENDS = "trends", "trends en cijfers"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name="overleg")
    position = models.PositiveSmallIntegerField("volgorde", default=0)
    kind = models.CharField("soort", max_length=16, choices=Kind.choices)
    title = models.CharField("titel", max_length=200)
    signal = models.ForeignKey(
        "intake.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="signaal"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="casus")
    action = models.ForeignKey(
        "meetings.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="actie"
    )
    priority = models.PositiveSmallIntegerField("prioriteit", default=0, help_text="Hoger eerst.")
    waiting_since = models.DateTimeField("wacht sinds", null=True, blank=True)
    postponements = models.PositiveSmallIntegerField("eerder uitgesteld", default=0)
    snapshot = models.JSONField("voorbereiding", default=dict, blank=True)
    prepared_at = models.DateTimeField("voorbereid op", default=timezone.now)
    share_with_partners = models.BooleanField(
        "delen met partners aan tafel", default=True,
        help_text="Uit: alleen de eigen organisatie ziet dit punt, ook als de deelregels het toestaan.",
    )
    #: {organisation id (str): [field group codes]} fixed when the agenda is shared
    partner_fields = models.JSONField("zichtbare velden per partner", default=dict, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"

    def __str__(self):
        return self.title

    @property
    def decision(self):
        return self.decisions.order_by("-decided_at").first()


class Decision(models.Model):
    """The outcome of an agenda item. Reached through its item (same visibility)."""

    class Kind(models.TextChoices):
        NOT_SUBVERSIVE = "geen_ondermijning", "geen ondermijning (afsluiten)"
        GATHER = "informatie", "informatie verzamelen"
        INTERVENE = "interventie", "interventie"
        ESCALATE = "opschalen", "opschalen naar DTO/RIEC"
        COMBINE = "combineren", "combineren met een casus"
        POSTPONE = "uitstellen", "uitstellen"

    class Detail(models.TextChoices):
        BOAS = "boas_posten", "boa's posten / waarnemen"
        HIT = "hit_no_hit", "hit/no-hit-bevraging partners"
        GATHER_OTHER = "informatie_anders", "andere informatie verzamelen"
        CONTROL = "integrale_controle", "integrale controle"
        MEASURE = "bestuurlijke_maatregel", "bestuurlijke maatregel"
        BIBOB = "bibob", "Bibob-onderzoek"
        FORWARD = "doorzetten_partner", "doorzetten naar partner"
        DTO = "dto", "DTO"
        RIEC = "riec", "RIEC"

    #: which details belong to which decision kind
    DETAILS = {
        Kind.GATHER: (Detail.BOAS, Detail.HIT, Detail.GATHER_OTHER),
        Kind.INTERVENE: (Detail.CONTROL, Detail.MEASURE, Detail.BIBOB, Detail.FORWARD),
        Kind.ESCALATE: (Detail.DTO, Detail.RIEC),
    }

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions", verbose_name="agendapunt")
    kind = models.CharField("besluit", max_length=20, choices=Kind.choices)
    detail = models.CharField("uitwerking", max_length=24, choices=Detail.choices, blank=True)
    text = models.TextField("toelichting", blank=True, max_length=4000)
    reason = models.CharField("reden", max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="eigenaar"
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="uitvoerende organisatie",
    )
    deadline = models.DateField("uiterlijk")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="casus")
    decided_at = models.DateTimeField("besloten op", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="vastgelegd door"
    )
    #: "niet interveniëren zonder overleg" flags that were confirmed for this decision
    confirmed_flags = models.PositiveSmallIntegerField("bevestigde markeringen", default=0)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.item}"


class Action(OwnedModel):
    """A follow-up with an owner and a due date, from a decision. Overdue and done actions return
    on the forum's next agenda."""

    need_to_know = ACTIONS

    class Status(models.TextChoices):
        OPEN = "open", "open"
        DONE = "gereed", "gereed"
        CANCELLED = "vervallen", "vervallen"

    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="actions", verbose_name="overlegvorm")
    description = models.CharField("actie", max_length=500)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="eigenaar"
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="uitvoerende organisatie",
    )
    due_on = models.DateField("uiterlijk")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    done_at = models.DateTimeField("gereed op", null=True, blank=True)
    result = models.TextField("resultaat", blank=True, max_length=4000)
    #: set when the result has been reported back to the forum (feedback loop)
    reported_at = models.DateTimeField("teruggekoppeld op", null=True, blank=True)
    created_at = models.DateTimeField("aangemaakt op", default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "actie"
        verbose_name_plural = "acties"

    def __str__(self):
        return self.description

    @property
    def overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class Escalation(OwnedModel):
    """A signal or case handed to the DTO or the RIEC with only what the convenant allows."""

    need_to_know = MEETINGS

    class Target(models.TextChoices):
        DTO = "dto", "DTO"
        RIEC = "riec", "RIEC"

    class Status(models.TextChoices):
        SENT = "aangeboden", "aangeboden"
        ACCEPTED = "opgepakt", "opgepakt door de regio"
        TOO_LIGHT = "te_licht", "te licht voor RIEC: terug naar lokaal"
        FINISHED = "afgerond", "afgerond"

    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations")
    target = models.CharField("naar", max_length=8, choices=Target.choices)
    target_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="ontvangende organisatie",
    )
    signal = models.ForeignKey("intake.Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("titel", max_length=200)
    #: the package as handed over: only the field groups the convenant allows the target
    package = models.JSONField("aangeboden informatie", default=dict)
    basis = models.CharField("grondslag", max_length=300, blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField("aangeboden op", default=timezone.now)
    regional_decision = models.TextField("besluit van de regio", blank=True, max_length=4000)
    answered_at = models.DateTimeField("beantwoord op", null=True, blank=True)
    reported_at = models.DateTimeField("teruggekoppeld op", null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "opschaling"
        verbose_name_plural = "opschalingen"

    def __str__(self):
        return f"{self.get_target_display()}: {self.title}"
