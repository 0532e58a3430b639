"""Demo integral controls for the fictitious Gemeente Ravenstede: the 2026 year plan with the
target of twelve (seed 000 §3.5: "iedere maand een integrale ondermijningscontrole"), one date a
month. Up to the demo's "now" (15 November 2026) most dates were executed, with partners, roles,
addresses (from signals and a random draw, about six per control as in seed 004 §B3.5) and
findings, some of which went back into intake as signals; a few were cancelled with their reason,
as in Amersfoort ("Controls often do not go ahead because partners cannot supply people"). The
dates after it are planned or confirmed. Everything goes through the services, so the audit log,
the signals and the report come out as in real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from regie.accounts.access import access_for_user
from regie.areas.models import Wijk
from regie.meetings.models import Forum
from regie.subjects.models import Address

from . import services
from .models import Control

TZ = ZoneInfo("Europe/Amsterdam")
#: the demo's "now" (as regie.cases.demo and regie.measures.demo): nothing is executed after it
HORIZON = date(2026, 11, 15)
YEAR = 2026
KINDS = [
    (Control.Kind.BUSINESS_PARK, "Bedrijvenpark De Raaf", "Zicht op bewoning van bedrijfspanden\nIllegale tewerkstelling"),
    (Control.Kind.HORECA, "Horeca Centrum", "Naleving vergunningvoorwaarden\nZicht op personeel en leidinggevenden"),
    (Control.Kind.CARS, "Autobedrijven Havenkwartier", "Herkomst voertuigen en onderdelen\nIllegale tewerkstelling"),
    (Control.Kind.PREMISES, "Panden Molenwijk", "Bewoning en inschrijving in de BRP\nAanwijzingen voor drugsopslag"),
    (Control.Kind.HOLIDAY_PARK, "Vakantiepark Ravenstein", "Permanente bewoning\nAanwijzingen voor ondermijning"),
    (Control.Kind.LABOUR, "Arbeidsmigranten Vlietpolder", "Huisvesting arbeidsmigranten\nArbeidsuitbuiting"),
]
#: (partner name, role, powers)
PARTICIPANTS = [
    ("Politie eenheid Middenland", "sterke arm", "Politiewet 2012, art. 3"),
    ("Nederlandse Arbeidsinspectie", "toezicht arbeidsmarkt", "Wet arbeid vreemdelingen, Arbeidsomstandighedenwet"),
    ("Belastingdienst regio Middenland", "fiscale controle", "Algemene wet inzake rijksbelastingen"),
    ("Omgevingsdienst Middenland", "milieutoezicht", "Omgevingswet"),
    ("Sociale Dienst Ravenstede", "toezicht BRP en uitkeringen", "Participatiewet, Wet BRP"),
]
CANCELLATIONS = [
    ("capaciteit", "Nederlandse Arbeidsinspectie", "Geen capaciteit Arbeidsinspectie"),
    ("prioriteit", None, "Politie ingezet bij acute explosie-aanpak"),
    ("capaciteit", "Politie eenheid Middenland", "Geen capaciteit politie door evenement"),
]
FINDINGS = [
    ("niet_ingeschreven", "Personen verblijven in het pand zonder inschrijving", True),
    ("tewerkstelling", "Werknemers zonder tewerkstellingsvergunning aangetroffen", True),
    ("vergunning", "Vergunningvoorwaarden (sluitingstijden) niet nageleefd", False),
    ("aangetroffen", "Partij nepsigaretten in de opslag", True),
    ("overtreding", "Brandveiligheid: nooduitgang geblokkeerd", False),
    ("niets", "", False),
]


def _day(month: int, rng) -> date:
    return date(YEAR, month, 8 + rng.randrange(14))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), TZ)


def build(gemeente, users, partners, rng, summary) -> None:
    coordinator = access_for_user(users["coordinator"])
    boa = access_for_user(users["boa"])
    services.save_plan(coordinator, YEAR, target=12,
                       note="Eén integrale controle per maand; data aan het begin van het jaar gereserveerd.")
    forum = Forum.objects.visible_to(coordinator).filter(owner=gemeente, kind=Forum.Kind.LOCAL).first()
    addresses = list(Address.objects.visible_to(coordinator).filter(owner=gemeente).order_by("pk")[:600])
    wijken = list(Wijk.objects.visible_to(coordinator).filter(owner=gemeente).order_by("pk"))
    cancel_months = set(rng.sample(range(2, 11), len(CANCELLATIONS)))
    counts = {"controls": 0, "executed": 0, "cancelled": 0, "findings": 0, "signals": 0}
    cancellations = iter(CANCELLATIONS)
    for month in range(1, 13):
        kind, title, goals = KINDS[(month - 1) % len(KINDS)]
        day = _day(month, rng)
        control = services.plan_control(coordinator, planned_on=day, kind=kind, title=title, goals=goals,
                                        area=title.split(" ", 1)[-1], lead=users["boa"].pk,
                                        requesting_forum=forum.pk if forum and month % 3 == 0 else None)
        counts["controls"] += 1
        chosen = rng.sample(PARTICIPANTS, 3)
        for name, role, powers in chosen:
            row = services.ask_partner(coordinator, control, partners[name], people=1 + rng.randrange(3))
            if day < HORIZON:
                services.answer_partner(coordinator, control, row, answer="toegezegd", people=row.people_asked)
            services.add_participant(coordinator, control, organisation=partners[name], role=role, powers=powers,
                                     people=row.people_asked)
        services.add_participant(coordinator, control, organisation=gemeente, role="leiding en briefing",
                                 name=users["boa"].get_full_name(), powers="Boa domein I en II")
        for address in rng.sample(addresses, 3):
            services.add_address(coordinator, control, address, source="gekozen",
                                 reason="Signalen van partners en de wijkboa")
        if wijken:
            services.draw_addresses(coordinator, control, wijk=rng.choice(wijken).pk, count=3, seed=rng.randrange(2**31))
        services.add_note(coordinator, control, kind="draaiboek",
                          text="Verzamelen 08.30 uur; per adres gaat de boa als eerste naar binnen en reikt de brief van de burgemeester uit.")
        if month in cancel_months and day < HORIZON:
            why, partner, reason = next(cancellations, CANCELLATIONS[0])
            services.cancel(coordinator, control, kind=why, reason=reason, partner=partners[partner] if partner else None,
                            at=_at(day))
            counts["cancelled"] += 1
            continue
        if day >= HORIZON and month == 12:
            continue  # December: planned, not yet confirmed
        services.confirm(coordinator, control, at=_at(day))
        if day >= HORIZON:
            continue
        services.add_note(boa, control, kind="briefing", confidentiality=4,
                          text="Lokale situatie, aard van de meldingen en aandachtspunten per partner besproken.")
        for row in control.addresses.all():
            if rng.random() < 0.85:
                services.mark_visited(boa, control, row.pk, letter=True)
                if rng.random() < 0.5:
                    kind_code, text, signal = rng.choice(FINDINGS)
                    name = rng.choice(chosen)[0]
                    finding = services.record_finding(
                        boa, control, kind=kind_code, text=text, address=row.pk, organisation=partners[name].pk,
                        persons=2 + rng.randrange(6) if kind_code == "niet_ingeschreven" else None,
                        to_signal=signal and rng.random() < 0.6)
                    counts["findings"] += 1
                    counts["signals"] += 1 if finding.signal_id else 0
        services.add_note(boa, control, kind="debriefing", confidentiality=4,
                          text="Afspraken over de verdere afhandeling van de overtredingen per partner gemaakt.")
        services.execute(boa, control, on=day, at=_at(day))
        counts["executed"] += 1
    summary.add("integrale controles (jaarplan 2026)", counts["controls"])
    summary.add("integrale controles uitgevoerd", counts["executed"])
    summary.add("integrale controles geannuleerd", counts["cancelled"])
    summary.add("bevindingen integrale controles", counts["findings"])
    summary.add("signalen uit integrale controles", counts["signals"])
