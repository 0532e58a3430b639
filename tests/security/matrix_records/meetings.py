"""Matrix records of the meetings room: per organisation and level a forum, a meeting with one
agenda item (about that organisation's signal of the same level), an action carried out by the
police ("P") whose owner is the matrix boa, and an escalation to the police's organisation."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from regie.accounts.roles import Role
from regie.meetings.models import Action, AgendaItem, Escalation, Forum, Meeting

KINDS = {"forum", "meeting", "agendaitem", "action", "escalation"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    forum = Forum.objects.create(owner=org, confidentiality=level, name=f"Matrixoverleg {key}{level}",
                                 kind=Forum.Kind.LOCAL, frequency_days=14)
    meeting = Meeting.objects.create(owner=org, confidentiality=level, forum=forum, starts_at=timezone.now())
    signal = world.records[("signal", key, level)]
    item = AgendaItem.objects.create(owner=org, confidentiality=level, meeting=meeting, kind=AgendaItem.Kind.SIGNAL,
                                     title=f"Signaal {signal.reference}", signal=signal, snapshot={"titel": "Matrix"})
    action = Action.objects.create(owner=org, confidentiality=level, forum=forum, description=f"Matrixactie {key}{level}",
                                   owner_user=world.users[Role.BOA], owner_organisation=world.orgs["P"],
                                   due_on=date(2030, 1, 1))
    escalation = Escalation.objects.create(owner=org, confidentiality=level, target=Escalation.Target.RIEC,
                                           target_organisation=world.orgs["P"], title=f"Opschaling {key}{level}",
                                           package={"titel": "Matrix"})
    return {"forum": forum, "meeting": meeting, "agendaitem": item, "action": action, "escalation": escalation}


def gated_record(kind: str, obj):
    """An agenda item is changed through its meeting: the purpose is stated for the meeting."""
    return obj.meeting if kind == "agendaitem" else obj
