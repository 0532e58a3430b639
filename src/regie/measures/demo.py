"""Demo measures for the fictitious Gemeente Ravenstede: 2023 up to the demo's "now" (15
November 2026), in the proportions of a mid-sized municipality (seed 004's Dordrecht as the
yardstick): 13b closures and warnings for drugspanden, lasten onder dwangsom for street dealing,
closures in the seksbranche, explosions, DOR, and a few other instruments. Some measures belong
to the demo cases and sit on their addresses. Everything goes through the services, so the
steps, their terms, the case timelines and the audit log are filled as in real use, and the
annual tables come out of the register.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from regie.accounts.access import access_for_user
from regie.cases.models import Case
from regie.subjects.models import Address

from . import services
from .models import MeasureDomain, MeasureKind

TZ = ZoneInfo("Europe/Amsterdam")
#: the demo's "now" (as regie.cases.demo): nothing is dated after it
HORIZON = date(2026, 11, 15)
YEARS = (2023, 2024, 2025, 2026)
#: per domain: (rapportages per year (low, high), the decisions drawn for them: kind code, weight)
PLAN = {
    "drugspanden": ((14, 22), [("sluiting-13b", 6), ("waarschuwing", 3), ("last-onder-dwangsom", 1), (None, 2)]),
    "drugsdealen": ((8, 14), [("last-onder-dwangsom", 8), ("waarschuwing", 1), (None, 1)]),
    "seksbranche": ((3, 7), [("sluiting-seksbranche", 3), ("waarschuwing", 1), ("last-onder-dwangsom", 2), (None, 1)]),
    "explosies": ((2, 6), [("sluiting-174a", 3), ("waarschuwing", 1), (None, 1)]),
    "dor": ((2, 5), [("waarschuwing", 2), ("last-onder-dwangsom", 2), (None, 1)]),
    "coffeeshops": ((0, 1), [("sluiting-apv", 1), ("waarschuwing", 1)]),
    "huisvesting": ((1, 3), [("last-onder-bestuursdwang", 2), ("bestuurlijke-boete", 1), (None, 1)]),
    "uitkeringen": ((0, 2), [("uitkering", 1)]),
}
WHAT = {
    "drugspanden": ["Hennepkwekerij", "Drugsopslag", "Harddrugshandel vanuit woning", "XTC-lab in schuur"],
    "drugsdealen": ["Dealen op straat", "Dealen vanuit auto", "Dealen bij schoolplein"],
    "seksbranche": ["Illegale prostitutie", "Massagesalon zonder vergunning", "Thuisprostitutie zonder melding"],
    "explosies": ["Explosie bij voordeur", "Handgranaat bij bedrijfspand", "Beschieting woning"],
    "dor": ["Opkoper zonder DOR-registratie", "Goudhandel registreert aankopen niet"],
    "coffeeshops": ["Coffeeshop overschrijdt handelsvoorraad"],
    "huisvesting": ["Illegale kamerverhuur", "Overbewoning arbeidsmigranten"],
    "uitkeringen": ["Onverklaard vermogen bij uitkering"],
}
WEIGHINGS = [
    ("Sluiting beëindigt de handel vanuit het pand en herstelt de rust in de straat.",
     "Een eerdere waarschuwing had geen effect; een lichter middel volstaat niet.",
     "De duur volgt het beleid; er wonen geen minderjarige kinderen in de woning."),
    ("Met de sluiting verdwijnt de loop naar het pand en het gevaar voor de omgeving.",
     "De hoeveelheid en de aanwijzingen voor handel maken een waarschuwing ontoereikend.",
     "De huurder kan tijdelijk bij familie verblijven; de duur is de kortste uit het beleid."),
]


def _day(year: int, rng) -> date:
    last = min(date(year, 12, 31), HORIZON - timedelta(days=5))
    first = date(year, 1, 2)
    return first + timedelta(days=rng.randrange((last - first).days))


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), TZ)


def _pick(options, rng):
    total = sum(weight for _, weight in options)
    n = rng.uniform(0, total)
    for value, weight in options:
        n -= weight
        if n <= 0:
            return value
    return options[-1][0]


class _Builder:
    def __init__(self, gemeente, users, rng):
        self.rng = rng
        self.access = access_for_user(users["jurist"])
        self.kinds = {k.code: k for k in MeasureKind.objects.filter(organisation=gemeente)}
        self.domains = {d.code: d for d in MeasureDomain.objects.filter(organisation=gemeente)}
        self.addresses = list(Address.objects.visible_to(self.access).filter(owner=gemeente).order_by("pk")[:400])
        # the demo cases that planned a closure or a dwangsom take a measure of their own
        self.cases = list(
            Case.objects.visible_to(self.access).filter(owner=gemeente, interventions__instrument__in=[
                "sluiting 13b Opiumwet", "last onder dwangsom"]).distinct().order_by("opened_at", "pk")
        )
        self.measures = self.steps = 0

    def step(self, m, kind: str, on: date, **fields) -> bool:
        if on > HORIZON:
            return False
        services.add_step(self.access, m, kind, on=on, at=_at(on), **fields)
        self.steps += 1
        return True

    def one(self, domain_code: str, kind_code: str | None, reported: date) -> None:
        rng = self.rng
        kind = self.kinds[kind_code or "waarschuwing"]
        fields = {}
        case = None
        if kind.is_closure:
            suitability, necessity, proportionality = rng.choice(WEIGHINGS)
            fields.update(suitability=suitability, necessity=necessity, proportionality=proportionality,
                          strategy_step=rng.choice(["eerste", "eerste", "tweede", "derde"]),
                          closure_months=rng.choice([3, 3, 6, 12]))
        if kind.is_penalty:
            fields.update(penalty_amount=Decimal(rng.choice([500, 1000, 2500, 5000])), term_days=rng.choice([7, 14]))
            fields["penalty_maximum"] = fields["penalty_amount"] * 4
        if kind.category == "bestuursdwang":
            fields["term_days"] = 28
        if kind_code in ("sluiting-13b", "last-onder-dwangsom") and self.cases and rng.random() < 0.8:
            case = self.cases.pop(0)
        address = rng.choice(self.addresses) if self.addresses and domain_code not in ("drugsdealen", "uitkeringen") else None
        what = rng.choice(WHAT[domain_code])
        place = f" {address.street} {address.house_number}" if address else ""
        m = services.open_measure(
            self.access, kind=kind, domain=self.domains[domain_code], description=f"{what}{place}"[:200], case=case,
            address=address, at=_at(reported), **fields,
        )
        self.measures += 1
        self.step(m, "rapportage", reported, source="boa" if domain_code in ("drugsdealen", "dor") else "politie")
        if kind_code is None:
            self.step(m, "einde", reported + timedelta(days=rng.randint(7, 30)), outcome="afgezien",
                      note="Onvoldoende grond voor een maatregel.")
            return
        decided = self._decide(m, kind, reported)
        if decided is not None:
            self._after(m, kind, decided)

    def _decide(self, m, kind, reported: date) -> date | None:
        rng = self.rng
        day = reported + timedelta(days=rng.randint(3, 14))
        if kind.requires_voornemen:
            if not self.step(m, "voornemen", day):
                return None
            if rng.random() < 0.5:
                day += timedelta(days=rng.randint(7, 13))
                if not self.step(m, "zienswijze", day, note="Zienswijze ontvangen en betrokken bij het besluit."):
                    return None
            day = max(day, reported) + timedelta(days=rng.randint(15, 25))
        else:
            day += timedelta(days=rng.randint(0, 7))
        return day if self.step(m, "besluit", day) else None

    def _after(self, m, kind, decided: date) -> None:
        rng = self.rng
        day = decided
        if rng.random() < 0.12:  # a bezwaar, decided in about two months
            day += timedelta(days=rng.randint(14, 40))
            if not self.step(m, "bezwaar", day, note="Bezwaar door de gemachtigde van betrokkene."):
                return
            day += timedelta(days=rng.randint(30, 60))
            if not self.step(m, "beslissing_bezwaar", day, note="Bezwaar ongegrond verklaard."):
                return
        if kind.category == "waarschuwing":
            self.step(m, "einde", day + timedelta(days=1), outcome="uitgevoerd")
            return
        if kind.is_penalty:
            day = max(day, decided + timedelta(days=m.term_days or 14)) + timedelta(days=rng.randint(1, 30))
            forfeited = rng.random() < 0.3
            if not self.step(m, "uitvoering", day, forfeited=forfeited,
                             note="Controle na de begunstigingstermijn: " + ("overtreding opnieuw vastgesteld." if forfeited
                                                                             else "geen overtreding.")):
                return
            if forfeited and day + timedelta(days=60) <= HORIZON:
                services.update_measure(self.access, m, collected_amount=m.penalty_amount)
            self.step(m, "einde", day + timedelta(days=rng.randint(30, 90)), outcome="uitgevoerd" if forfeited else "nageleefd")
            return
        day += timedelta(days=rng.randint(2, 10))
        if not self.step(m, "uitvoering", day, note="Pand gesloten en verzegeld." if kind.is_closure else "Uitgevoerd."):
            return
        end = day + timedelta(days=(m.closure_months or 1) * 30 + 1) if kind.is_closure else day + timedelta(days=20)
        self.step(m, "einde", end, outcome="uitgevoerd", note="Pand heropend." if kind.is_closure else "")


def build(gemeente, users, partners, rng, summary) -> None:
    services.install_default_catalogue(gemeente)
    if "jurist" not in users:
        return
    builder = _Builder(gemeente, users, rng)
    for year in YEARS:
        share = 1.0 if year < HORIZON.year else (HORIZON.timetuple().tm_yday / 365)
        for domain_code, ((low, high), decisions) in PLAN.items():
            for _ in range(round(rng.randint(low, high) * share)):
                builder.one(domain_code, _pick(decisions, rng), _day(year, rng))
    summary.add("maatregelen", builder.measures)
    summary.add("stappen van maatregelen", builder.steps)
