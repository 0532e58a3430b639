"""The SVG bar chart (no script, no inline style; suppressed cells get no bar) and the menu."""

import re
from decimal import Decimal

from regie.accounts.roles import Role
from regie.reports.charts import bar_chart
from regie.reports.sections import ReportTable
from regie.web.context_processors import navigation_for
from tests.conftest import verified_client


def test_a_bar_per_row_scaled_to_the_largest_and_none_for_a_suppressed_cell():
    table = ReportTable("Signalen", ["2024", "2025"], [("Drugs", [3, 20]), ("Mensenhandel & co", [1, "<5"]),
                                                       ("Witwassen", [0, 10])], chart_column=1)
    svg = str(bar_chart(table))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 2  # 20 and 10; "<5" has no bar
    assert 'width="300"' in svg and 'width="150"' in svg  # 20 is the full width, 10 half of it
    assert "&lt;5" in svg and "Mensenhandel &amp; co" in svg  # escaped
    assert "style=" not in svg and "<script" not in svg


def test_no_chart_without_a_chart_column_and_decimals_in_dutch():
    assert str(bar_chart(ReportTable("T", ["a"], [("x", [5])]))) == ""
    svg = str(bar_chart(ReportTable("T", ["n", "mediaan"], [("x", [5, Decimal("4.5")])], chart_column=1)))
    assert "4,5" in svg and svg.count("<rect") == 1


def menu(user):
    user.is_verified = lambda: True  # signed in with the second factor, as the OTP middleware marks it
    return [label for label, *_ in navigation_for(user)]


def test_the_menu_shows_the_reports_to_their_readers(town):
    labels = {role: menu(town["users"][role]) for role in Role.values}
    for role in (Role.COORDINATOR, Role.ANALIST, Role.BURGEMEESTER, Role.RAADSLID):
        assert "Raadsrapportage" in labels[role]
    for role in (Role.BOA, Role.JURIST, Role.PARTNER, Role.MEDEWERKER, Role.PRIVACY):
        assert "Raadsrapportage" not in labels[role]
    assert all("Regionaal beeld" not in items for items in labels.values())
    riec = menu(town["users"]["riec_analist"])
    assert "Regionaal beeld" in riec and "Raadsrapportage" not in riec


def test_the_menu_is_grouped_by_the_rooms_of_the_flow(town):
    page = verified_client(town["users"][Role.COORDINATOR]).get("/signalen/").content.decode()
    nav = page[page.index('aria-label="Hoofdmenu"'):page.index("</nav>")]
    headings = re.findall(r'<span class="regie-nav__heading" id="(menu-\d+)">([^<]+)</span>\s*<ul aria-labelledby="(menu-\d+)"', nav)
    assert [h for _id, h, _ul in headings] == ["Werkstroom", "Instrumenten", "Beeld", "Sturing en verantwoording",
                                               "Beheer", "Weerbaarheid"]
    assert all(span_id == ul_id for span_id, _h, ul_id in headings)  # each list is named by its heading

    blocks = re.findall(r'<div class="regie-nav__group[^"]*">(.*?)</div>', nav, re.DOTALL)
    group_of = {}
    for block in blocks:
        heading = re.search(r'regie-nav__heading" id="menu-\d+">([^<]+)<', block)
        for label in re.findall(r">([^<>]+)</a>", block):
            group_of[label] = heading.group(1) if heading else ""

    assert group_of["Signalen"] == group_of["Casussen"] == "Werkstroom"
    assert group_of["Bibob"] == "Instrumenten" and group_of["Subjecten"] == group_of["Netwerk"] == "Beeld"
    assert group_of["Raadsrapportage"] == "Sturing en verantwoording" and group_of["Triageregels"] == "Beheer"
    assert group_of["Start"] == group_of["Mijn account"] == ""  # no heading: they stand apart
    assert nav.index(">Start</a>") < nav.index("Werkstroom") and nav.rindex("Weerbaarheid") < nav.index(">Mijn account</a>")
    assert nav.count('aria-current="page"') == 1 and 'aria-current="page">Signalen</a>' in nav
    # a role with few rooms gets only the groups it has items in
    boa = verified_client(town["users"][Role.BOA]).get("/start/").content.decode()
    boa_nav = boa[boa.index('aria-label="Hoofdmenu"'):boa.index("</nav>")]
    assert "Sturing en verantwoording" not in boa_nav and "regie-nav__heading" in boa_nav
    assert set(re.findall(r">([^<>]+)</a>", boa_nav)) == set(menu(town["users"][Role.BOA]))
