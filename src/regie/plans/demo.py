"""Demo plans for the fictitious Gemeente Ravenstede: an IVP 2023–2026 with the uitvoeringsplan
2026, the three pillars, prioritised themes, actions (new and continued, one not carried out with
its reason) and goals on computed indicators, one goal on a hand-entered Veiligheidsmonitor
figure (fictitious), a restated baseline, and the rekenkamer's recommendations in the style of
seed 000 (paraphrased, fictitious dates) with their follow-up. Everything goes through the
services, so the audit log comes out as in real use.

Called as ``build(gemeente, users, partners, rng, summary)`` from ``regie.demo.builder``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from regie.accounts.access import access_for_user

from . import services
from .models import Plan

#: (pillar, [(theme, priority, [(action, origin, owner, partners, status, deviation)],
#:            [(goal title, indicator or None, manual label, unit, kind, target, upper, baseline, baseline year)])])
PILLARS = [
    ("Aanpakken", [
        ("Drugscriminaliteit en drugspanden", 1,
         [("Iedere maand een integrale controle", "voortgezet", "Team Openbare Orde en Veiligheid",
           "Politie, Belastingdienst, Arbeidsinspectie", "lopend", ""),
          ("Handhavingsstrategie art. 13b Opiumwet actualiseren", "nieuw", "Juridische Zaken", "Politie, OM", "uitgevoerd", "")],
         [("Twaalf integrale controles per jaar", "controls.held", "", "", "minimum", 12, None, 7, 2022),
          ("Drugspanden sluiten waar dat nodig is", "measures.closures_13b", "", "", "bandbreedte", 2, 6, None, None)]),
        ("Signalen en lokaal overleg", 2,
         [("Vast lokaal overleg ondermijning met voorbereide agenda", "nieuw", "Coördinator ondermijning",
           "Politie, RIEC", "lopend", "")],
         [("Signalen binnen vier weken besproken", "meetings.discussed_4w", "", "", "minimum", 80, None, None, None),
          ("Weinig signalen die twee keer of vaker worden uitgesteld", "meetings.postponed_twice", "", "", "maximum", 3, None, None, None),
          ("Kortere doorlooptijd tot de eerste interventie", "intake.lead_time_intervention", "", "", "maximum", 60, None, None, None)]),
    ]),
    ("Weerbare overheid", [
        ("Bibob-beleid in alle domeinen", 1,
         [("Bibob-coördinator aanstellen", "nieuw", "Bibob-coördinator", "RIEC, LBB", "uitgevoerd", ""),
          ("Bibob-toets bij vastgoedtransacties", "nieuw", "Vastgoed en Grondzaken", "RIEC", "niet_uitgevoerd",
           "Beleidslijn vastgoed nog niet vastgesteld door het college")],
         [("Bibob-toetsen horeca en alcohol", "bibob.files.horeca-alcohol", "", "", "minimum", 10, None, None, None),
          ("Bibob-toetsen in alle domeinen", "bibob.files", "", "", "percentage", 20, None, 25, 2022)]),
    ]),
    ("Maatschappelijke weerbaarheid", [
        ("Weerbare wijken", 1,
         [("Voorlichting ondernemers en verhuurders", "voortgezet", "Wijkteams", "Ondernemersvereniging", "deels",
           "Twee van de vier bijeenkomsten verschoven naar 2027")],
         [("Minder inwoners voelen zich onveilig in de buurt", None, "% inwoners dat zich weleens onveilig voelt in de buurt",
           "%", "maximum", Decimal(21), None, Decimal("23.4"), 2021)]),
    ]),
]

#: seed 000, "3 Aanbevelingen", paraphrased: (number, addressee, text, decision)
RECOMMENDATIONS = [
    (1, "college", ("Zorg voor formatie voor de aanpak van ondermijning die past bij de omvang van de gemeente en "
                    "stel een Bibob-coördinator aan."), "overgenomen"),
    (2, "college", ("Werk de prioriteiten van het IVP ieder jaar uit in een uitvoeringsplan met concrete acties, doelen, "
                    "rollen en verantwoordelijkheden."), "overgenomen"),
    (3, "college", "Neem de regie over het lokaal overleg ondermijning en leg vast wat deelnemers mogen delen.", "overgenomen"),
    (4, "college", "Versterk de informatiepositie met een analist en een centraal intern meldpunt.", "deels"),
    (5, "raad", ("Organiseer jaarlijks een raadsinformatiebijeenkomst over aard en omvang van ondermijning en de "
                 "voortgang van de uitvoeringsplannen."), "overgenomen"),
    (6, "raad", "Geef meer invulling aan de kaderstellende rol en bepaal de accenten in het beleid.", "overgenomen"),
]


def build(gemeente, users, partners, rng, summary) -> None:
    access = access_for_user(users["coordinator"])
    ivp = services.create_plan(access, kind=Plan.Kind.IVP, title="Integraal Veiligheidsprogramma Ravenstede 2023–2026",
                               first_year=2023, last_year=2026, adopted_on=date(2022, 12, 15),
                               vision="Ravenstede is een gemeente waar criminelen geen ruimte krijgen: we zien meer, "
                                      "pakken integraal aan en maken overheid en samenleving weerbaar.")
    plan = services.create_plan(access, kind=Plan.Kind.EXECUTION, title="Uitvoeringsplan ondermijning 2026", parent=ivp,
                                first_year=2026, last_year=2026, adopted_on=date(2026, 2, 10))
    n_goals = n_actions = 0
    for position, (pillar_name, themes) in enumerate(PILLARS):
        pillar = services.add_pillar(access, plan, name=pillar_name, position=position)
        for theme_name, priority, actions, goals in themes:
            theme = services.add_theme(access, pillar, name=theme_name, priority=priority)
            made = [services.add_action(access, theme, title=t, origin=o, owner=own, partners=p, status=s, deviation_reason=d)
                    for t, o, own, p, s, d in actions]
            n_actions += len(made)
            for title, code, label, unit, kind, target, upper, baseline, base_year in goals:
                goal = services.add_goal(
                    access, theme, title=title, indicator_code=code or "", manual_label=label, unit=unit,
                    target_kind=kind, target_value=Decimal(target), target_upper=None if upper is None else Decimal(upper),
                    baseline_value=None if baseline is None else Decimal(baseline), baseline_year=base_year,
                    scope="jaar", deadline=date(2026, 12, 31), owner=made[0].owner, action=made[0])
                n_goals += 1
                if code is None:
                    # the Veiligheidsmonitor figures (fictitious), and a restated baseline after a new weighting
                    services.restate_baseline(access, goal, value=Decimal("23.9"), year=2021,
                                              reason="CBS heeft de Veiligheidsmonitor 2021 opnieuw gewogen")
                    for year, value in ((2023, "22.8"), (2025, "22.0")):
                        value = Decimal(value) + Decimal(rng.randint(-3, 3)) / 10
                        services.add_measurement(access, goal, value=value, source=f"Veiligheidsmonitor {year} (fictief)",
                                                 reference_date=date(year, 3, 1))
    recs = []
    for number, addressee, text, decision in RECOMMENDATIONS:
        recs.append(services.add_recommendation(
            access, report_title="Rekenkamer: aanpak ondermijning (2023)", number=number, text=text, addressee=addressee,
            decision=decision, decided_on=date(2023, 11, 9), responsible="Team Openbare Orde en Veiligheid"))
    for rec in recs:
        services.add_update(access, rec, kind="plan_van_aanpak", on=date(2024, 2, rng.randint(1, 9)), status="in_uitvoering",
                            text="Plan van aanpak met de raadsinformatiebrief aan de raad gezonden.")
        done = rng.random() < 0.5
        services.add_update(access, rec, kind="jaarupdate", on=date(2024, 11, rng.randint(10, 28)),
                            status="uitgevoerd" if done else "in_uitvoering",
                            text="Uitgevoerd; borging in het uitvoeringsplan." if done else "Loopt; zie uitvoeringsplan 2025.")
    summary.add("plannen", 2)
    summary.add("doelen", n_goals)
    summary.add("planacties", n_actions)
    summary.add("aanbevelingen", len(recs))
