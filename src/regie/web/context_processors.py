from django.urls import reverse

from regie.accounts.access import user_is_cleared
from regie.accounts.roles import (
    ACTIONS,
    AREAS,
    CASES,
    MEETINGS,
    NETWORK,
    PARTNERS,
    SIGNALS,
    SUBJECTS,
    Role,
    spec,
)
from regie.bibob.permissions import READERS as BIBOB_READERS
from regie.controls.permissions import READERS as CONTROL_READERS
from regie.intake.permissions import MANAGES_RULES
from regie.measures.permissions import CATALOGUE_MANAGERS
from regie.measures.permissions import READERS as MEASURE_READERS
from regie.plans.permissions import READERS as PLAN_READERS
from regie.reports.permissions import PUBLIC_READERS as REPORT_READERS
from regie.reports.regional import may_view as may_view_regional
from regie.resilience.permissions import READERS as RESILIENCE_READERS


def navigation_for(user):
    if not user_is_cleared(user):
        return []
    role_spec = spec(user.role)
    items = [("Start", reverse("web:start"), reverse("web:start"))]
    if SIGNALS in role_spec.categories and user.role != Role.PARTNER:
        items.append(("Signalen", reverse("intake:list"), "/signalen/"))
    if user.role == Role.PARTNER:
        items.append(("Hit/no-hit-vragen", reverse("intake:questions"), reverse("intake:questions")))
    if MEETINGS in role_spec.categories:
        items.append(("Overleggen", reverse("meetings:list"), "/overleggen/"))
    elif ACTIONS in role_spec.categories:
        items.append(("Mijn acties", reverse("meetings:actions"), "/overleggen/acties/"))
    if CASES in role_spec.categories:
        items.append(("Casussen", reverse("cases:list"), "/casussen/"))
    if user.role in MEASURE_READERS:
        items.append(("Maatregelen", reverse("measures:list"), "/maatregelen/"))
    elif user.role == Role.RAADSLID:
        items.append(("Jaartabellen maatregelen", reverse("measures:tables"), reverse("measures:tables")))
    if user.role in CATALOGUE_MANAGERS and user.role not in MEASURE_READERS:
        items.append(("Maatregelcatalogus", reverse("measures:catalogue"), reverse("measures:catalogue")))
    if user.role in CONTROL_READERS:
        items.append(("Integrale controles", reverse("controls:list"), "/controles/"))
    if user.role in BIBOB_READERS:
        items.append(("Bibob", reverse("bibob:list"), "/bibob/"))
    elif user.role == Role.RAADSLID:
        items.append(("Jaartabellen Bibob", reverse("bibob:tables"), reverse("bibob:tables")))
    if CASES in role_spec.categories:
        items.append(("Risicolocaties", reverse("areas:risk_list"), "/gebieden/risicolocaties/"))
    if AREAS in role_spec.categories:
        items.append(("Gebiedsindicatoren", reverse("areas:indicators"), reverse("areas:indicators")))
        items.append(("Gebiedsbeeld", reverse("areas:picture"), "/gebieden/gebiedsbeeld/"))
        items.append(("Kaart", reverse("areas:map"), "/gebieden/kaart/"))
    if NETWORK in role_spec.categories:
        items.append(("Netwerk", reverse("network:index"), "/netwerk/"))
    if user.role in PLAN_READERS:
        items.append(("Plannen en doelen", reverse("plans:list"), "/plannen/"))
    is_municipality = user.organisation is not None and user.organisation.kind == "gemeente"
    if user.role in REPORT_READERS and is_municipality:
        items.append(("Raadsrapportage", reverse("reports:council"), "/rapportages/"))
    if may_view_regional(user):
        items.append(("Regionaal beeld", reverse("reports:regional"), reverse("reports:regional")))
    if SUBJECTS in role_spec.categories:
        items.append(("Subjecten", reverse("subjects:list", args=["personen"]), "/subjecten/"))
    if PARTNERS in role_spec.categories:
        items.append(("Partners", reverse("partners:list"), "/partners/"))
    if role_spec.reads_audit:
        items.append(("Audit-log", reverse("audit:log"), reverse("audit:log")))
    if user.role in RESILIENCE_READERS:
        items.append(("Weerbare organisatie", reverse("resilience:overview"), reverse("resilience:overview")))
    if user.role == Role.BEHEERDER:
        items.append(("Gebruikers", reverse("web:users"), reverse("web:users")))
    if user.role in MANAGES_RULES:
        items.append(("Triageregels", reverse("intake:rules"), reverse("intake:rules")))
    if user.organisation is not None and user.organisation.kind == "gemeente":
        items.append(("Meld een vermoeden", reverse("intake:suspicion"), reverse("intake:suspicion")))
        items.append(("Mijn meldingen", reverse("intake:my_reports"), reverse("intake:my_reports")))
        items.append(("Introductie ondermijning", reverse("resilience:onboarding"), reverse("resilience:onboarding")))
    items.append(("Mijn account", reverse("web:account"), reverse("web:account")))
    return items


def shell(request):
    user = getattr(request, "user", None)
    nav = navigation_for(user) if user is not None else []
    path = request.path
    current = None
    for _label, url, prefix in nav:
        if path.startswith(prefix):
            current = url
    return {"nav_items": [(label, url) for label, url, _ in nav], "nav_current": current}
