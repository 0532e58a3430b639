"""Records of the plans room for the authorisation matrix: per organisation and level an IVP with
one pillar, theme, action and goal, and a rekenkamer recommendation."""

from __future__ import annotations

from datetime import date

from regie.plans.models import Goal, Pillar, Plan, PlanAction, Recommendation, Theme

KINDS = {"plan", "planaction", "goal", "recommendation"}


def build(world, key: str, org, level: int) -> dict[str, object]:
    plan = Plan.objects.create(owner=org, confidentiality=level, kind=Plan.Kind.IVP, title=f"Matrix-IVP {key}{level}",
                               first_year=2024, last_year=2027)
    theme = Theme.objects.create(pillar=Pillar.objects.create(plan=plan, name="Aanpakken"), name="Drugs")
    action = PlanAction.objects.create(theme=theme, title=f"Matrixactie {key}{level}", owner="Team OOV")
    goal = Goal.objects.create(theme=theme, title=f"Matrixdoel {key}{level}", indicator_code="controls.held",
                               target_kind="minimum", target_value=12, deadline=date(2027, 12, 31), owner="Team OOV")
    rec = Recommendation.objects.create(
        owner=org, confidentiality=level, report_title="Matrixrapport", number=level, text="Matrixaanbeveling",
        decision=Recommendation.Decision.ADOPTED, decided_on=date(2025, 1, 15), responsible="Team OOV",
        approach_due=date(2025, 4, 15))
    return {"plan": plan, "planaction": action, "goal": goal, "recommendation": rec}
