"""Demo meetings for the fictitious Gemeente Ravenstede: the standard forums with their partners,
two held lokaal overleggen with decisions (one item postponed twice, an overdue boa action, an
intervention whose result comes back, an escalation to the RIEC) and a draft meeting whose agenda
the coördinator makes in the demo. Everything goes through the services, as in real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``, after
the intake and cases steps.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from regie.accounts.access import access_for_user
from regie.intake import services as intake
from regie.intake.models import Signal, SignalEvent

from . import services
from .models import Action, AgendaItem, Forum

TZ = ZoneInfo("Europe/Amsterdam")
FIRST = datetime(2026, 10, 20, 10, tzinfo=TZ)
SECOND = datetime(2026, 11, 3, 10, tzinfo=TZ)
NEXT = datetime(2026, 11, 24, 10, tzinfo=TZ)

LOCAL_TABLE = ["Politie eenheid Middenland", "Omgevingsdienst Middenland", "Woningstichting Ravenwonen",
               "Sociale Dienst Ravenstede", "Belastingdienst regio Middenland"]
CASE_TABLE = ["Politie eenheid Middenland", "Openbaar Ministerie arrondissement Middenland",
              "Belastingdienst regio Middenland", "RIEC Middenland"]


def _settle_history(access, gemeente) -> int:
    """Signals decided before Regie's meetings existed (the intake demo records only their
    milestones) get the status their history implies, so they don't flood the next agenda."""
    settled = 0
    waiting = Signal.objects.visible_to(access).filter(owner=gemeente, status=Signal.Status.TRIAGED)
    for signal in waiting.filter(events__kind=SignalEvent.Kind.DECISION).distinct().order_by("pk"):
        decided = signal.events.filter(kind=SignalEvent.Kind.DECISION).order_by("at").first().at
        if signal.events.filter(kind=SignalEvent.Kind.FIRST_INTERVENTION).exists():
            intake.set_status(access, signal, Signal.Status.FORWARDED, at=decided,
                              note="Besproken in het overleg en doorgezet naar de partner voor interventie (historie).")
        else:
            intake.set_status(access, signal, Signal.Status.CLOSED, at=decided,
                              note="Besproken in het overleg; geen verdere actie (historie).")
        settled += 1
    return settled


def _candidates(access, meeting, n: int, rng) -> list[Signal]:
    pool = list(services.signal_candidates(access, meeting).filter(received_at__lt=meeting.starts_at).order_by("pk"))
    rng.shuffle(pool)
    return pool[:n]


def build(gemeente, users, partners, rng, summary) -> None:
    coordinator = users["coordinator"]
    access = access_for_user(coordinator)
    services.install_default_forums(gemeente)
    forums = {f.kind: f for f in Forum.objects.visible_to(access)}
    for kind, table in ((Forum.Kind.LOCAL, LOCAL_TABLE), (Forum.Kind.CASE, CASE_TABLE), (Forum.Kind.STEERING, CASE_TABLE)):
        forum = forums[kind]
        forum.chair = coordinator
        forum.purpose = ("Signalen van ondermijning wegen, besluiten wie wat doet en de uitvoering volgen "
                         "(integrale aanpak, gemeentelijke regierol).")
        services.save_forum(access, forum, [partners[name] for name in table])
    local = forums[Forum.Kind.LOCAL]
    summary.add("overlegvormen", len(forums))
    _settle_history(access, gemeente)

    # first lokaal overleg, five signals, five different decisions
    first = services.plan_meeting(access, local, FIRST, location="Stadhuis, kamer 2.14")
    picked = _candidates(access, first, 5, rng)
    if not picked:  # a very small demo (--scale) has nothing to discuss yet
        services.plan_meeting(access, local, NEXT, location="Stadhuis, kamer 2.14")
        summary.add("overleggen", 2)
        return
    for signal in picked:
        services.add_signal(access, first, signal)
    services.share_agenda(access, first)
    items = [AgendaItem.objects.visible_to(access).get(meeting=first, signal=s) for s in picked]
    at = FIRST + timedelta(hours=1)
    day = FIRST.date()
    postponed = items[0]
    services.decide(access, postponed, kind="uitstellen", reason="Politie zoekt eerst uit of er een lopend onderzoek is",
                    at=at)
    if len(items) > 1:
        services.decide(access, items[1], kind="informatie", detail="boas_posten", owner=users["boa"],
                        deadline=day + timedelta(days=14), text="Drie avonden waarnemen bij het pand", at=at)
    if len(items) > 2:
        services.decide(access, items[2], kind="interventie", detail="integrale_controle", owner=coordinator,
                        owner_organisation=partners["Omgevingsdienst Middenland"], deadline=day + timedelta(days=21),
                        text="Controle met omgevingsdienst en politie", at=at)
    if len(items) > 3:
        services.decide(access, items[3], kind="geen_ondermijning", reason="Burenruzie; doorgezet naar het wijkteam",
                        at=at)
    if len(items) > 4:
        services.decide(access, items[4], kind="opschalen", detail="riec", owner_organisation=partners["RIEC Middenland"],
                        deadline=day + timedelta(days=28), text="Vermoeden van een netwerk over meerdere gemeenten", at=at)
    services.close_meeting(access, first, at=FIRST + timedelta(hours=2))

    # the controle was carried out: its result goes back to the forum
    for action in Action.objects.visible_to(access).filter(decision__kind="interventie", decision__item__meeting=first):
        services.complete_action(access, action, result="Controle uitgevoerd: 400 planten aangetroffen, pand gesloten "
                                                        "voorbereid (13b).")

    # second lokaal overleg: the postponed signal again (postponed a second time), and new ones
    second = services.plan_meeting(access, local, SECOND, location="Stadhuis, kamer 2.14")
    services.add_signal(access, second, postponed.signal)
    for signal in _candidates(access, second, 3, rng):
        services.add_signal(access, second, signal)
    services.share_agenda(access, second)
    again = AgendaItem.objects.visible_to(access).get(meeting=second, signal=postponed.signal)
    services.decide(access, again, kind="uitstellen", reason="Nog geen antwoord van de politie", at=SECOND + timedelta(hours=1))
    others = AgendaItem.objects.visible_to(access).filter(meeting=second, kind="signaal").exclude(pk=again.pk).order_by("pk")
    if others:
        services.decide(access, others[0], kind="informatie", detail="hit_no_hit", owner=users["analist"],
                        deadline=SECOND.date() + timedelta(days=14), text="Hit/no-hit bij Belastingdienst en politie",
                        at=SECOND + timedelta(hours=1))
    services.close_meeting(access, second, at=SECOND + timedelta(hours=2))  # the rest is postponed explicitly: not discussed

    # the next one is a draft: the coördinator makes and shares its agenda in the demo
    services.plan_meeting(access, local, NEXT, location="Stadhuis, kamer 2.14")
    summary.add("overleggen", 3)
    summary.add("acties", Action.objects.visible_to(access).count())
