"""Demo data of the weerbare organisatie for the fictitious Gemeente Ravenstede, after seeds 000
and 004: seven awareness sessions with the RIEC in 2023-2024 reaching 140 colleagues, departments
with their aanspreekpunten, 2.3 fte for ondermijning against 3.5 in comparable municipalities,
€185,000 a year (incidental) for 2023-2026 with its spending, the four-eyes rule on the 13b
decision (enforced), an integrity incident, and a neighbourhood programme with its three tracks.
All names are fictitious; everything goes through the services, so the audit log is filled as in
real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regie.accounts.access import access_for_user

from . import services
from .models import (
    BudgetLine,
    IntegrityIncident,
    Project,
    ProjectEvaluation,
    SafeguardRule,
)

DEPARTMENTS = ("Vergunningen, Toezicht en Handhaving", "Burgerzaken", "Werk en Inkomen", "Economische Zaken",
               "Openbare Orde en Veiligheid", "Wijken")
SESSION_DATES = (date(2023, 3, 14), date(2023, 6, 20), date(2023, 10, 5), date(2024, 1, 23), date(2024, 4, 11),
                 date(2024, 9, 17), date(2024, 11, 28))
TOPICS = ("Signalen van ondermijning herkennen", "Ondermijning aan de balie", "Mensenhandel en uitbuiting",
          "Vastgoed en witwassen", "Weerbaar in de wijk", "Ondermijning bij vergunningverlening", "Drugs en jonge aanwas")
#: seed 000, Tabel 4.1: the formation on paper (function, team, fte)
CAPACITY = (("Beleidsmedewerker weerbaarheid/ondermijning", "Openbare Orde en Veiligheid", "0.90"),
            ("Handhavingsjuristen", "Vergunningen, Toezicht en Handhaving", "0.50"),
            ("Gemeentelijke boa's (taakaccent ondermijning)", "Vergunningen, Toezicht en Handhaving", "0.50"),
            ("Sociale recherche", "Werk en Inkomen", "0.40"))
CONTACTS = (("Sanne Verhoef", "Beleidsadviseur OOV"), ("Youssef Bouali", "Teamcoördinator handhaving"),
            ("Ilse Kramer", "Senior medewerker burgerzaken"), ("Daan Mulder", "Sociaal rechercheur"),
            ("Femke de Graaf", "Accountmanager bedrijven"), ("Ruben Smit", "Gebiedsregisseur"))


def _split(total: int, parts: int, rng) -> list[int]:
    """``total`` split into ``parts`` positive counts (deterministic from rng)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def build(gemeente, users, partners, rng, summary) -> None:
    coordinator = access_for_user(users["coordinator"])
    departments = [services.add_department(coordinator, name) for name in DEPARTMENTS]
    for department, (name, function) in zip(departments, CONTACTS):
        services.add_contact(coordinator, department, name=name, function=function,
                             email=f"{name.split()[0].lower()}@ravenstede.demo.invalid")
    summary.add("afdelingen", len(departments))
    summary.add("aanspreekpunten", len(CONTACTS))

    riec = partners.get("RIEC Middenland")
    for held_on, topic, attendees in zip(SESSION_DATES, TOPICS, _split(140, len(SESSION_DATES), rng)):
        chosen = rng.sample(departments, min(3, len(departments), attendees))
        counts = _split(attendees, len(chosen), rng) if len(chosen) > 1 else [attendees]
        services.add_session(coordinator, topic=topic, audience="alle medewerkers", held_on=held_on,
                             organiser="Kernteam ondermijning", partners=[riec] if riec else [],
                             attendance={d.pk: n for d, n in zip(chosen, counts)})
    summary.add("bewustwordingssessies", len(SESSION_DATES))

    for function, team, fte in CAPACITY:
        services.add_capacity(coordinator, year=2023, team=team, function=function, fte=Decimal(fte),
                              vacancy_fte=Decimal("0.00"), backlog=rng.randint(0, 6))
    services.add_capacity(coordinator, year=2023, team="Vergunningen, Toezicht en Handhaving", function="Bibob-coördinator",
                          fte=Decimal("0"), vacancy_fte=Decimal("1.00"), backlog=rng.randint(8, 14),
                          note="Functie niet belegd; Bibob-dossiers lopen achter.")
    services.set_capacity_reference(coordinator, year=2023, fte=Decimal("3.5"),
                                    source="Gemiddelde gemeente volgens de monitor bestuurlijke aanpak (fictief ingevuld).")
    summary.add("capaciteitsregels", len(CAPACITY) + 1)

    line = services.add_budget_line(coordinator, title="Uitvoeringsplan ondermijning", nature=BudgetLine.Nature.INCIDENTAL,
                                    first_year=2023, last_year=2026, amount_per_year=Decimal("185000"))
    for year in (2023, 2024, 2025):
        services.record_spending(coordinator, line, year=year, amount=Decimal(rng.randint(160, 185) * 1000))
    summary.add("begrotingsposten", 1)

    services.add_safeguard(coordinator, process="13b-besluit", process_name="Besluit sluiting art. 13b Opiumwet",
                           kind=SafeguardRule.Kind.FOUR_EYES, enforced=True,
                           description="De jurist legt het besluit vast; een tweede persoon (jurist, coördinator of burgemeester) keurt het goed.")
    services.add_safeguard(coordinator, process="reisdocumenten", process_name="Verstrekken identiteits- en reisdocumenten",
                           kind=SafeguardRule.Kind.SIX_EYES,
                           description="Aanvraag, controle en uitreiking door drie verschillende medewerkers; nooit uitgereikt door wie de aanvraag behandelde.")
    summary.add("waarborgen", 2)

    mayor = access_for_user(users["burgemeester"])
    services.record_incident(mayor, kind=IntegrityIncident.Kind.INFLUENCE, occurred_on=date(2024, 5, 13),
                             description="Een aanvrager bood een medewerker van vergunningen een cadeaubon aan (fictief).",
                             measures_taken="Geweigerd, gemeld bij de leidinggevende en het aanspreekpunt.")
    summary.add("integriteitsincidenten", 1)

    project = services.add_project(
        coordinator, name="Programma Straatkracht", kind=Project.Kind.PROGRAMME, started_on=date(2023, 2, 1),
        problem="Jongeren in kwetsbare wijken raken betrokken bij de handel in harddrugs (fictief, naar seed 000).",
        information_agreement="Informatie wordt gedeeld onder het RIEC-convenant; persoonsgegevens blijven in Regie en gaan alleen per casus naar de partners.",
    )
    for track, goals in (("preventie", "Jonge aanwas voorkomen; een maatschappelijke tegenbeweging op gang brengen."),
                         ("repressie", "Kopstukken van het netwerk aanpakken met politie en OM."),
                         ("zorg", "Jongeren naar een passend hulpverleningstraject leiden.")):
        services.set_track(coordinator, project, track=track, goals=goals)
    for name, role in (("Politie eenheid Middenland", "Recherche en wijkagenten"),
                       ("Openbaar Ministerie arrondissement Middenland", "Eigen officier van justitie"),
                       ("RIEC Middenland", "Analyse en advies")):
        if name in partners:
            services.add_project_partner(coordinator, project, organisation=partners[name], role=role)
    services.add_evaluation(coordinator, project, on=date(2024, 6, 1), decision=ProjectEvaluation.Decision.ADJUST,
                            summary="Tussenevaluatie: preventie loopt, repressie stokt door wisselingen in het team.")
    summary.add("projecten", 1)
