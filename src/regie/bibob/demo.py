"""Demo Bibob files for the fictitious Gemeente Ravenstede: files in several domains since 2024
up to the demo's "now" (15 November 2026), in every phase — decided files for the annual tables,
running ones with their terms, and one horeca file whose LBB advice is pending, so its timer and
the suspended decision term show. Everything goes through the services, so steps, terms, the
confidential part and the audit log are filled as in real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date, timedelta

from regie.accounts.access import access_for_user
from regie.subjects.models import Company

from . import services
from .models import BibobDomain

HORIZON = date(2026, 11, 15)
#: decided files per year: (domain code, kind, description)
DECIDED = [
    ("horeca-alcohol", "aanvraag", "Drank- en horecavergunning eetcafé"),
    ("exploitatievergunning", "aanvraag", "Exploitatievergunning shishalounge"),
    ("seksbedrijf", "aanvraag", "Vergunning privéhuis"),
    ("omgevingsvergunning-bouw", "aanvraag", "Verbouwing bedrijfspand tot appartementen"),
    ("omgevingsvergunning-milieu", "aanvraag", "Milieuvergunning autodemontage"),
    ("vastgoed", "relatie", "Verkoop gemeentelijk pand aan belegger"),
    ("subsidie", "aanvraag", "Subsidie buurtsportvereniging"),
    ("evenementen", "aanvraag", "Evenementenvergunning dancefestival"),
]
OUTCOMES = ["verleend", "verleend", "verleend", "geen_vergunning_nodig", "procedure_beeindigd", "verleend_voorschriften"]
ASSESSMENT = {
    "geen": "Eigen onderzoek en registers geven geen aanwijzingen voor strafbare feiten bij aanvrager of relaties.",
    "mindere": "Een zakelijke relatie is eerder veroordeeld voor belastingfraude; voorschriften beperken het risico.",
    "ernstig": "De financiering komt van een persoon die in verband staat met witwassen; weigering ligt in de rede.",
}


def _decided(access, domain, kind, what, start, outcome, company, today):
    f = services.open_file(access, domain=domain, kind=kind, description=what, received_on=start, company=company,
                           today=today)
    if outcome in ("geen_vergunning_nodig", "procedure_beeindigd"):
        services.add_step(access, f, "besluit", on=start + timedelta(days=12), outcome=outcome, today=today)
        return f
    services.add_step(access, f, "formulier", on=start + timedelta(days=2), today=today)
    services.add_step(access, f, "volledigheid", on=start + timedelta(days=6), complete=True, today=today)
    services.add_step(access, f, "onderzoek", on=start + timedelta(days=7), today=today)
    degree = "mindere" if outcome == "verleend_voorschriften" else "geen"
    services.add_step(access, f, "beoordeling", on=start + timedelta(days=30), degree=degree,
                      finding=ASSESSMENT[degree], today=today)
    services.add_step(access, f, "besluit", on=start + timedelta(days=40), outcome=outcome, today=today)
    return f


def build(gemeente, users, partners, rng, summary) -> None:
    services.install_default_catalogue(gemeente)
    coordinator, jurist = users["bibob"], users["jurist"]
    access = access_for_user(coordinator)
    today = HORIZON  # deterministic: every date and term is relative to the demo's now
    domains = {d.code: d for d in BibobDomain.objects.filter(organisation=gemeente)}
    companies = list(Company.objects.visible_to(access).filter(owner=gemeente).order_by("pk")[:200])
    pick = (lambda: rng.choice(companies)) if companies else (lambda: None)
    made = 0
    for year in (2024, 2025, 2026):
        for code, kind, what in DECIDED:
            for _ in range(rng.randint(1, 3)):
                start = date(year, rng.randint(1, 8 if year == 2026 else 10), rng.randint(1, 28))
                _decided(access, domains[code], kind, what, start, rng.choice(OUTCOMES), pick(), today)
                made += 1
    # running files, one in every phase
    base = HORIZON - timedelta(days=70)
    horeca = services.open_file(access, domain=domains["horeca-alcohol"], description="Drank- en horecavergunning café De Gouden Leeuw",
                                received_on=base, company=pick(), today=today)
    services.add_step(access, horeca, "formulier", on=base + timedelta(days=3), today=today)
    services.add_step(access, horeca, "volledigheid", on=base + timedelta(days=8), complete=True, today=today)
    services.add_step(access, horeca, "onderzoek", on=base + timedelta(days=9), today=today)
    services.add_step(access, horeca, "riec_gevraagd", on=base + timedelta(days=12), today=today)
    services.add_step(access, horeca, "riec_ontvangen", on=base + timedelta(days=30), today=today,
                      finding="Het RIEC kent de financier uit een lopend casus over witwassen via vastgoed.")
    services.add_step(access, horeca, "lbb_gevraagd", on=HORIZON - timedelta(days=20), today=today)  # the running timer
    services.assign_jurist(access, horeca, jurist)
    seks = services.open_file(access, domain=domains["seksbedrijf"], description="Vergunning escortbedrijf",
                              received_on=HORIZON - timedelta(days=20), company=pick(), today=today)
    services.add_step(access, seks, "formulier", on=HORIZON - timedelta(days=15), today=today)
    services.add_step(access, seks, "volledigheid", on=HORIZON - timedelta(days=10), complete=False,
                      deadline=HORIZON + timedelta(days=4), today=HORIZON - timedelta(days=10))
    services.open_file(access, domain=domains["coffeeshop"], description="Overname coffeeshop Centrum",
                       received_on=HORIZON - timedelta(days=4), company=pick(), today=today)
    bouw = services.open_file(access, domain=domains["omgevingsvergunning-bouw"], description="Nieuwbouw loods Havenweg",
                              received_on=HORIZON - timedelta(days=40), company=pick(), today=today)
    services.add_step(access, bouw, "formulier", on=HORIZON - timedelta(days=38), today=today)
    services.add_step(access, bouw, "volledigheid", on=HORIZON - timedelta(days=30), complete=True, today=today)
    services.add_step(access, bouw, "onderzoek", on=HORIZON - timedelta(days=29), today=today)
    services.add_step(access, bouw, "beoordeling", on=HORIZON - timedelta(days=5), degree="ernstig",
                      finding=ASSESSMENT["ernstig"], today=today)
    aanbesteding = services.open_file(access, domain=domains["aanbesteding"], kind="relatie",
                                      description="Aanbesteding onderhoud openbare verlichting",
                                      received_on=HORIZON - timedelta(days=60), company=pick(), today=today)
    services.add_step(access, aanbesteding, "besluit", on=HORIZON - timedelta(days=50), outcome="geen_vergunning_nodig",
                      today=today)
    services.add_step(access, aanbesteding, "afgesloten", on=HORIZON - timedelta(days=49), today=today)
    toezicht = _decided(access, domains["exploitatievergunning"], "aanvraag", "Exploitatievergunning nachtcafé",
                        HORIZON - timedelta(days=90), "verleend_voorschriften", pick(), today)
    services.add_step(access, toezicht, "nazorg", on=HORIZON - timedelta(days=45), follow_up="toezicht",
                      deadline=today + timedelta(days=30), today=today)
    summary.add("Bibob-dossiers", made + 6)
