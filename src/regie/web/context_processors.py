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


# The menu in the rooms of the flow (docs/architecture.md): the work on signals, meetings and
# cases; the mayor's instruments; the picture of subjects, areas and networks; steering and
# accounting; administration; the resilient organisation. Start leads and the account page closes
# the menu, each without a heading. (group, heading) in the order shown:
HOME, FLOW, INSTRUMENTS, PICTURE, STEERING, ADMIN, RESILIENCE, ACCOUNT = range(8)
GROUP_HEADINGS = {
    HOME: "", FLOW: "Werkstroom", INSTRUMENTS: "Instrumenten", PICTURE: "Beeld",
    STEERING: "Sturing en verantwoording", ADMIN: "Beheer", RESILIENCE: "Weerbaarheid", ACCOUNT: "",
}


def navigation_for(user):
    """The menu items this user may open: (label, url, path prefix that marks it current, group)."""
    if not user_is_cleared(user):
        return []
    role_spec = spec(user.role)
    items = [("Start", reverse("web:start"), reverse("web:start"), HOME)]
    if SIGNALS in role_spec.categories and user.role != Role.PARTNER:
        items.append(("Signalen", reverse("intake:list"), "/signalen/", FLOW))
    if user.role == Role.PARTNER:
        items.append(("Hit/no-hit-vragen", reverse("intake:questions"), reverse("intake:questions"), FLOW))
    if MEETINGS in role_spec.categories:
        items.append(("Overleggen", reverse("meetings:list"), "/overleggen/", FLOW))
    elif ACTIONS in role_spec.categories:
        items.append(("Mijn acties", reverse("meetings:actions"), "/overleggen/acties/", FLOW))
    if CASES in role_spec.categories:
        items.append(("Casussen", reverse("cases:list"), "/casussen/", FLOW))
    if user.role in MEASURE_READERS:
        items.append(("Maatregelen", reverse("measures:list"), "/maatregelen/", INSTRUMENTS))
    elif user.role == Role.RAADSLID:
        items.append(("Jaartabellen maatregelen", reverse("measures:tables"), reverse("measures:tables"), INSTRUMENTS))
    if user.role in CATALOGUE_MANAGERS and user.role not in MEASURE_READERS:
        items.append(("Maatregelcatalogus", reverse("measures:catalogue"), reverse("measures:catalogue"), INSTRUMENTS))
    if user.role in CONTROL_READERS:
        items.append(("Integrale controles", reverse("controls:list"), "/controles/", INSTRUMENTS))
    if user.role in BIBOB_READERS:
        items.append(("Bibob", reverse("bibob:list"), "/bibob/", INSTRUMENTS))
    elif user.role == Role.RAADSLID:
        items.append(("Jaartabellen Bibob", reverse("bibob:tables"), reverse("bibob:tables"), INSTRUMENTS))
    if CASES in role_spec.categories:
        items.append(("Risicolocaties", reverse("areas:risk_list"), "/gebieden/risicolocaties/", PICTURE))
    if AREAS in role_spec.categories:
        items.append(("Gebiedsindicatoren", reverse("areas:indicators"), reverse("areas:indicators"), PICTURE))
        items.append(("Gebiedsbeeld", reverse("areas:picture"), "/gebieden/gebiedsbeeld/", PICTURE))
        items.append(("Kaart", reverse("areas:map"), "/gebieden/kaart/", PICTURE))
    if NETWORK in role_spec.categories:
        items.append(("Netwerk", reverse("network:index"), "/netwerk/", PICTURE))
    if user.role in PLAN_READERS:
        items.append(("Plannen en doelen", reverse("plans:list"), "/plannen/", STEERING))
    is_municipality = user.organisation is not None and user.organisation.kind == "gemeente"
    if user.role in REPORT_READERS and is_municipality:
        items.append(("Raadsrapportage", reverse("reports:council"), "/rapportages/", STEERING))
    if may_view_regional(user):
        items.append(("Regionaal beeld", reverse("reports:regional"), reverse("reports:regional"), STEERING))
    if SUBJECTS in role_spec.categories:
        items.append(("Subjecten", reverse("subjects:list", args=["personen"]), "/subjecten/", PICTURE))
    if PARTNERS in role_spec.categories:
        items.append(("Partners", reverse("partners:list"), "/partners/", ADMIN))
    if role_spec.reads_audit:
        items.append(("Audit-log", reverse("audit:log"), reverse("audit:log"), ADMIN))
    if user.role in RESILIENCE_READERS:
        items.append(("Weerbare organisatie", reverse("resilience:overview"), reverse("resilience:overview"), RESILIENCE))
    if user.role == Role.BEHEERDER:
        items.append(("Gebruikers", reverse("web:users"), reverse("web:users"), ADMIN))
    if user.role in MANAGES_RULES:
        items.append(("Triageregels", reverse("intake:rules"), reverse("intake:rules"), ADMIN))
    if user.organisation is not None and user.organisation.kind == "gemeente":
        items.append(("Meld een vermoeden", reverse("intake:suspicion"), reverse("intake:suspicion"), RESILIENCE))
        items.append(("Mijn meldingen", reverse("intake:my_reports"), reverse("intake:my_reports"), RESILIENCE))
        items.append(("Introductie ondermijning", reverse("resilience:onboarding"), reverse("resilience:onboarding"), RESILIENCE))
    items.append(("Mijn account", reverse("web:account"), reverse("web:account"), ACCOUNT))
    return items


def shell(request):
    user = getattr(request, "user", None)
    nav = navigation_for(user) if user is not None else []
    path = request.path
    current = None
    for _label, url, prefix, _group in nav:
        if path.startswith(prefix):
            current = url
    groups: dict[int, list[tuple[str, str]]] = {}
    for label, url, _prefix, group in nav:
        groups.setdefault(group, []).append((label, url))
    nav_groups = [(GROUP_HEADINGS[group], groups[group]) for group in sorted(groups)]
    return {"nav_groups": nav_groups, "nav_current": current}
