"""Demo cases for the fictitious Gemeente Ravenstede: about fifteen cases from triaged signals,
with interventions by different partners, some results, phases spread from verkenning to
afgesloten, and a few shared with the police. Everything goes through the services, so the
timeline, the audit log and the lead-time clock are filled as in real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from regie.accounts.access import access_for_user
from regie.intake.models import Signal, SignalEvent
from regie.organisations.models import Organisation

from . import services
from .models import Case, Intervention

TZ = ZoneInfo("Europe/Amsterdam")
#: the demo's "now": nothing is dated after it, so the data looks the same whenever it is built
HORIZON = datetime(2026, 11, 15, 12, tzinfo=TZ)
N_CASES = 15

TITLES = {
    "drugs-productie": "Hennepkwekerij {adres}",
    "drugs-dealen": "Drugshandel vanuit {adres}",
    "drugs-handel": "Koeriers en opslag rond {adres}",
    "witwassen": "Witwassen via autobedrijf {adres}",
    "autobranche": "Autobedrijf {adres}",
    "arbeidsuitbuiting": "Arbeidsuitbuiting en huisvesting {adres}",
    "illegale-prostitutie": "Nagelstudio {adres}",
    "zorgfraude": "Zorgbureau {adres}",
    "jonge-aanwas": "Jongeren als koerier rond {adres}",
}
TARGET = {
    "drugs-productie": "locatie", "witwassen": "bedrijf", "autobranche": "bedrijf", "zorgfraude": "bedrijf",
    "illegale-prostitutie": "bedrijf", "drugs-handel": "netwerk", "jonge-aanwas": "netwerk",
}
#: what each kind of partner typically does: (domain, nature, instrument, description, result)
ACTIONS = {
    Organisation.Kind.GEMEENTE: [
        ("bestuurlijk", "repressief", "sluiting 13b Opiumwet", "Pand sluiten na bestuurlijke rapportage.",
         "Pand voor zes maanden gesloten."),
        ("bestuurlijk", "repressief", "last onder dwangsom", "Last onder dwangsom wegens strijdig gebruik.",
         "Dwangsom verbeurd; gebruik beëindigd."),
        ("bestuurlijk", "preventief", "Bibob-toets", "Bibob-toets bij de aanvraag van de exploitatievergunning.",
         "Aanvraag ingetrokken na vragen over de financiering."),
        ("anders", "weerbaarheid", "gesprek pandeigenaar", "Pandeigenaar informeren over signalen van misbruik.",
         "Eigenaar neemt een huurbeding op en meldt voortaan."),
    ],
    Organisation.Kind.POLITIE: [
        ("strafrechtelijk", "repressief", "doorzoeking", "Doorzoeking van het pand op last van de officier.",
         "Kwekerij ontmanteld, twee aanhoudingen."),
        ("bestuurlijk", "repressief", "bestuurlijke rapportage", "Bestuurlijke rapportage aan de burgemeester.",
         "Rapportage ontvangen; basis voor sluiting."),
        ("strafrechtelijk", "repressief", "verhoogd toezicht", "Verhoogd toezicht en staandehoudingen in de straat.",
         "Vier staandehoudingen, één vuurwapen in beslag."),
    ],
    Organisation.Kind.OM: [
        ("strafrechtelijk", "repressief", "ontneming", "Ontnemingsvordering voorbereiden.", "Conservatoir beslag op twee auto's."),
    ],
    Organisation.Kind.BELASTINGDIENST: [
        ("fiscaal", "repressief", "boekenonderzoek", "Boekenonderzoek bij de onderneming.", "Naheffing opgelegd."),
        ("fiscaal", "repressief", "naheffing", "Naheffing inkomstenbelasting op onverklaard vermogen.", "Aanslag opgelegd."),
    ],
    Organisation.Kind.ARBEIDSINSPECTIE: [
        ("bestuurlijk", "repressief", "arbeidsinspectie", "Inspectie op arbeidsomstandigheden en huisvesting.",
         "Boete opgelegd; zes werknemers elders gehuisvest."),
    ],
    Organisation.Kind.OMGEVINGSDIENST: [
        ("bestuurlijk", "repressief", "integrale controle", "Integrale controle van het bedrijfspand.",
         "Milieuovertredingen vastgesteld; hersteltermijn gegeven."),
    ],
    Organisation.Kind.SOCIALE_DIENST: [
        ("anders", "preventief", "uitkeringscontrole", "Rechtmatigheid van de uitkering onderzoeken.",
         "Uitkering stopgezet en teruggevorderd."),
    ],
    Organisation.Kind.WONINGCORPORATIE: [
        ("anders", "repressief", "huurovereenkomst ontbinden", "Ontbinding van de huurovereenkomst vragen.",
         "Woning ontruimd."),
    ],
    Organisation.Kind.RIEC: [
        ("anders", "weerbaarheid", "analyse RIEC", "Integrale analyse van het netwerk rond de casus.",
         "Analyse opgeleverd aan het casusoverleg."),
    ],
}
#: phases in which the demo leaves its cases (afgesloten with its reason)
PHASES = [
    ("verkenning", ""), ("verkenning", ""), ("analyse", ""), ("analyse", ""), ("analyse", ""),
    ("interventie", ""), ("interventie", ""), ("interventie", ""), ("interventie", ""),
    ("nazorg", ""), ("nazorg", ""),
    ("afgesloten", "resultaat"), ("afgesloten", "resultaat"), ("afgesloten", "capaciteit"), ("afgesloten", "onvoldoende"),
]
POLICE_BASIS = "Convenant RIEC Middenland 2023, art. 5 lid 2"


def _first(signal: Signal, kind: str):
    return signal.events.filter(kind=kind).order_by("at").values_list("at", flat=True).first()


def build(gemeente, users, partners, rng, summary) -> None:
    access = access_for_user(users["coordinator"])
    signals = list(
        Signal.objects.visible_to(access)
        .filter(owner=gemeente, status=Signal.Status.TRIAGED, label=Signal.Label.SUBVERSIVE, received_at__lt=HORIZON - timedelta(days=90))
        .order_by("received_at", "pk")
    )
    if not signals:
        return
    rng.shuffle(signals)
    chosen, spare = signals[:N_CASES], signals[N_CASES:]
    chosen.sort(key=lambda s: (s.received_at, s.pk))
    phases = list(PHASES)
    rng.shuffle(phases)
    pool = [gemeente, *partners.values()]
    police = partners.get("Politie eenheid Middenland")
    counts = {"casussen": 0, "interventies": 0}
    for i, signal in enumerate(chosen):
        start = _first(signal, SignalEvent.Kind.DECISION) or _first(signal, SignalEvent.Kind.TRIAGED) or signal.received_at
        opened = min(start + timedelta(days=rng.randint(1, 14)), HORIZON - timedelta(days=60))
        linked = [signal]
        earlier = [s for s in spare if s.received_at < opened - timedelta(days=7)]
        if earlier and rng.random() < 0.3:  # a second, earlier signal about the same problem
            second = rng.choice(earlier)
            spare.remove(second)
            linked.append(second)
        theme = next(iter(signal.themes.values_list("code", flat=True)), "")
        place = str(signal.address).split(",")[0] if signal.address_id else "onbekend adres"
        phase, reason = phases[i % len(phases)]
        case = services.open_case(
            access, title=TITLES.get(theme, "Ondermijning {adres}").format(adres=place), signals=linked,
            target_type=TARGET.get(theme, "persoon"), case_type=rng.choice(["integraal", "integraal", "multi", "mono"]),
            summary=f"Casus naar aanleiding van {', '.join(s.reference for s in linked)}.",
            note="aangenomen in het lokaal overleg ondermijning", at=opened,
            coordinator=users["coordinator"] if rng.random() < 0.7 else users["analist"],
            next_discussion_on=None if phase == "afgesloten" else (HORIZON + timedelta(days=rng.randint(-14, 42))).date(),
        )
        counts["casussen"] += 1
        counts["interventies"] += _run(access, case, phase, reason, pool, rng, opened)
        if police is not None and i % 5 == 0:
            services.share_case(access, case, police, basis=POLICE_BASIS, at=opened + timedelta(hours=2))
    summary.add("casussen", counts["casussen"])
    summary.add("interventies", counts["interventies"])


def _day(moment: datetime):
    return min(moment, HORIZON).date()


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), TZ) + timedelta(hours=hour)


def _run(access, case: Case, target: str, reason: str, pool, rng, opened: datetime) -> int:
    """Walk the case from verkenning to ``target``: plan interventions in the analysis, start
    them in the intervention phase, report results, then aftercare or closing. Returns the
    number of interventions planned."""
    if target == "verkenning":
        return 0
    moment = min(opened + timedelta(days=rng.randint(7, 30)), HORIZON - timedelta(days=50))
    services.set_phase(access, case, "analyse", at=moment)
    planned = _plan(access, case, pool, rng, moment, n=rng.randint(1, 2) if target == "analyse" else rng.randint(2, 4))
    if target == "analyse" or reason == "onvoldoende":
        if reason:
            services.set_phase(access, case, "afgesloten", reason=reason, at=moment + timedelta(days=rng.randint(20, 40)))
        return len(planned)
    moment = min(moment + timedelta(days=rng.randint(10, 40)), HORIZON - timedelta(days=40))
    services.set_phase(access, case, "interventie", at=moment)
    last = moment
    for item, outcome in planned:
        started = _day(moment + timedelta(days=rng.randint(0, 20)))
        services.update_intervention(access, item, status=Intervention.Status.RUNNING, started_on=started, at=_at(started, 10))
        last = max(last, _at(started, 10))
        if target == "interventie" and rng.random() < 0.5:
            continue  # still running
        done = _day(_at(started, 15) + timedelta(days=rng.randint(5, 45)))
        stop = reason == "capaciteit" or rng.random() < 0.1
        result = "Gestaakt: onvoldoende capaciteit bij de partner." if stop else outcome
        services.update_intervention(access, item, status=Intervention.Status.STOPPED if stop else Intervention.Status.DONE,
                                     done_on=done, result=result, at=_at(done, 15))
        last = max(last, _at(done, 15))
    if target == "interventie":
        if rng.random() < 0.3:
            services.set_escalation(access, case, "riec", note="Het netwerk strekt zich uit over meerdere gemeenten.",
                                    at=last + timedelta(days=1))
        return len(planned)
    moment = min(last + timedelta(days=rng.randint(3, 20)), HORIZON - timedelta(days=2))
    if target == "nazorg" or reason == "resultaat":
        services.set_phase(access, case, "nazorg", at=moment)
    if target == "afgesloten":
        note = "Te weinig capaciteit bij politie en gemeente." if reason == "capaciteit" else ""
        services.set_phase(access, case, "afgesloten", reason=reason, note=note,
                           at=min(moment + timedelta(days=rng.randint(14, 60)), HORIZON - timedelta(days=1)))
    return len(planned)


def _plan(access, case: Case, pool, rng, moment: datetime, n: int) -> list[tuple[Intervention, str]]:
    """Plan ``n`` interventions of different partners, each with the result it will report."""
    items = []
    for k, partner in enumerate(rng.sample(pool, k=min(n, len(pool)))):
        domain, nature, instrument, description, result = rng.choice(ACTIONS.get(partner.kind, ACTIONS["gemeente"]))
        item = services.add_intervention(
            access, case, partner=partner, domain=domain, nature=nature, instrument=instrument, description=description,
            planned_on=_day(moment + timedelta(days=rng.randint(14, 45))), origin="besluit lokaal overleg ondermijning",
            at=moment + timedelta(hours=k + 1),
        )
        items.append((item, result))
    return items
