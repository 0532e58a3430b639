"""The council report pages (public and besloten, HTML and PDF) and the regional view over HTTP."""

from datetime import date
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.cases.models import Intervention
from regie.reports import report as council_report
from tests.conftest import verified_client

from .conftest import at, make_cases, make_signals

PUBLIC = [Role.COORDINATOR, Role.ANALIST, Role.BURGEMEESTER, Role.RAADSLID]
BESLOTEN = [Role.BURGEMEESTER, Role.COORDINATOR]


@pytest.fixture
def data(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    make_signals(a, 12, year=2025, theme="drugs-handel")
    make_signals(a, 2, year=2025, theme="mensenhandel")  # a small cell: "<5"
    make_signals(b, 7, year=2025, theme="witwassen")  # another municipality
    make_cases(a, 6, opened=at(2025), interventions=[Intervention.Domain.ADMINISTRATIVE])
    return town


def get(user, name, **query):
    return verified_client(user).get(reverse(name), query)


@pytest.mark.parametrize("role", Role.values)
def test_who_reads_the_public_report(data, role):
    response = get(data["users"][role], "reports:council", jaar=2025)
    assert response.status_code == (200 if role in PUBLIC else 403)


@pytest.mark.parametrize("role", Role.values)
def test_who_reads_the_besloten_report(data, role):
    response = get(data["users"][role], "reports:besloten", jaar=2025)
    assert response.status_code == (200 if role in BESLOTEN else 403)
    response = get(data["users"][role], "reports:besloten_pdf", jaar=2025)
    assert response.status_code == (200 if role in BESLOTEN else 403)


def test_the_public_report_shows_counts_after_disclosure_and_no_personal_data(data):
    response = get(data["users"][Role.RAADSLID], "reports:council", jaar=2025)
    html = response.content.decode()
    assert "Jaarrapportage aanpak ondermijning 2025" in html
    assert "Drugs: handel" in html and "Mensenhandel" in html
    assert "&lt;5" in html  # the two mensenhandel signals
    assert "Witwassen" not in html  # Gemeente Bedorp's signals
    for name in ("Jan Jansen", "Piet Pietersen", "SIG-T-", "CAS-T-", "Hennepgeur"):
        assert name not in html
    assert "<svg" in html and "<rect" in html  # the charts
    assert "BESLOTEN" not in html
    assert "Casussen naar fase en opschaling" not in html  # besloten only
    assert "t/m" not in html.split("<h1", 1)[1].split("</h1>", 1)[0]  # 2025 is complete


def test_a_raadslid_reads_the_same_figures_as_the_coordinator(data):
    def tables(role):
        html = get(data["users"][role], "reports:council", jaar=2025).content.decode()
        return html.split('class="report', 1)[1]

    assert tables(Role.RAADSLID) == tables(Role.COORDINATOR)


def test_views_and_downloads_are_audited(data):
    user = data["users"][Role.BURGEMEESTER]
    get(user, "reports:council", jaar=2025)
    get(user, "reports:besloten_pdf", jaar=2025)
    entries = list(AuditEntry.objects.filter(user_id=user.pk, object_type="organisations.organisation").order_by("seq"))
    assert len(entries) == 2
    view, export = entries
    assert view.action == AuditEntry.Action.VIEW
    assert view.detail == {"rapportage": "raad", "variant": "openbaar", "jaar": 2025, "peildatum": "2025-12-31",
                           "formaat": "html"}
    assert export.action == AuditEntry.Action.EXPORT
    assert (export.detail["variant"], export.detail["formaat"]) == ("besloten", "pdf")
    assert view.organisation_id == data["orgs"]["a"].pk and view.object_id == str(data["orgs"]["a"].pk)


def test_the_pdf_is_a_pdf(data):
    response = get(data["users"][Role.RAADSLID], "reports:council_pdf", jaar=2025)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="jaarrapportage-ondermijning-2025.pdf"' in response["Content-Disposition"]


def test_the_besloten_variant_is_watermarked_in_html_and_in_the_pdf_source(data):
    html = get(data["users"][Role.COORDINATOR], "reports:besloten", jaar=2025).content.decode()
    assert 'class="report-watermark"' in html and "BESLOTEN" in html
    assert "Casussen naar fase en opschaling" in html
    a = data["orgs"]["a"]
    besloten = council_report.build(a, 2025, date(2025, 12, 31), besloten=True)
    source = render_to_string("reports/council_print.html", {"report": besloten})
    assert "report--besloten" in source and 'class="report-watermark"' in source
    public = render_to_string("reports/council_print.html",
                              {"report": council_report.build(a, 2025, date(2025, 12, 31))})
    assert "BESLOTEN" not in public and "report--besloten" not in public
    response = get(data["users"][Role.COORDINATOR], "reports:besloten_pdf", jaar=2025)
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"


def test_the_stylesheet_watermarks_every_besloten_page():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("reports/report.css")).read_text(encoding="utf-8")
    assert "@page besloten" in css and ".report--besloten { page: besloten; }" in css
    assert "position: fixed" in css  # repeated on every page by WeasyPrint


def test_the_current_year_is_marked_partial(data):
    today = timezone.localdate()
    response = get(data["users"][Role.ANALIST], "reports:council")
    html = response.content.decode()
    if today < date(today.year, 12, 31):
        assert f"{today.year} t/m {today:%d-%m-%Y}" in html
    assert "het jaar is nog niet voorbij" in html or today == date(today.year, 12, 31)


@pytest.mark.parametrize("value", ["abc", "3000", "1800", "20 25"])
def test_a_bad_year_is_a_dutch_400(data, value):
    response = get(data["users"][Role.COORDINATOR], "reports:council", jaar=value)
    assert response.status_code == 400
    assert "jaar" in response.content.decode().lower()
    response = get(data["users"][Role.COORDINATOR], "reports:council_pdf", jaar=value)
    assert response.status_code == 400


def test_a_user_of_another_kind_of_organisation_is_refused(data):
    assert get(data["users"]["riec_coordinator"], "reports:council", jaar=2025).status_code == 403


def test_each_municipality_reads_its_own_report(data):
    html = get(data["users"]["coordinator_b"], "reports:council", jaar=2025).content.decode()
    assert "Gemeente Bedorp" in html and "Witwassen" in html
    assert "Drugs: handel" not in html


def test_a_failing_section_does_not_take_the_report_down(data, monkeypatch):
    from regie.reports import sections

    def broken(organisation, year, peildatum):
        raise RuntimeError("kapot")

    monkeypatch.setitem(sections.SECTIONS, "kapot", sections.ReportSection("kapot", "Kapot onderdeel", 99, broken))
    html = get(data["users"][Role.COORDINATOR], "reports:council", jaar=2025).content.decode()
    assert "Kapot onderdeel" in html and council_report.SECTION_FAILED in html
    assert "Drugs: handel" in html


def _page_texts(html: str) -> list[list[str]]:
    """The text of every laid-out PDF page (page boxes, margin boxes included), as WeasyPrint lays it out."""
    import weasyprint
    from django.contrib.staticfiles import finders

    from regie.reports.pdf import STYLESHEET

    document = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(filename=finders.find(STYLESHEET))])

    def texts(box):
        found = [box.text] if hasattr(box, "text") else []
        for child in getattr(box, "children", None) or []:
            found += texts(child)
        return found

    return [texts(page._page_box) for page in document.pages]


def test_every_pdf_page_of_the_besloten_variant_carries_the_watermark(data):
    a = data["orgs"]["a"]
    besloten = council_report.build(a, 2025, date(2025, 12, 31), besloten=True)
    pages = _page_texts(render_to_string("reports/council_print.html", {"report": besloten}))
    assert len(pages) > 1
    for number, texts in enumerate(pages, start=1):
        assert "BESLOTEN – niet openbaar" in texts  # the header of the named page
        assert "BESLOTEN" in texts  # the fixed watermark, repeated on each page
        assert f"pagina {number} van {len(pages)}" in texts
    assert any("Drugs: handel" in t for t in pages[0] + pages[1])
    public = _page_texts(render_to_string("reports/council_print.html",
                                          {"report": council_report.build(a, 2025, date(2025, 12, 31))}))
    assert not any("BESLOTEN" in t for texts in public for t in texts)


def test_the_report_tables_export_to_csv_and_xlsx_after_disclosure_and_are_audited(data):
    import io

    from openpyxl import load_workbook

    user = data["users"][Role.RAADSLID]
    csv_response = get(user, "reports:council", jaar=2025, formaat="csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="jaarrapportage-ondermijning-2025-tabellen.csv"' in csv_response["Content-Disposition"]
    text = csv_response.content.decode("utf-8-sig")
    assert "Drugs: handel" in text and "Mensenhandel" in text and "<5" in text
    assert "Witwassen" not in text and "Jan Jansen" not in text
    assert "Onthullingsbeheersing" in text  # the rule applied is stated with the tables
    xlsx = get(user, "reports:council", jaar=2025, formaat="xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "Drugs: handel" in cells and "<5" in cells and "Witwassen" not in cells
    exports = AuditEntry.objects.filter(user_id=user.pk, action=AuditEntry.Action.EXPORT)
    assert sorted(e.detail["formaat"] for e in exports) == ["csv", "xlsx"]
    # an unknown format is a Dutch 400, and nothing is exported or logged as an export
    bad = get(user, "reports:council", jaar=2025, formaat="docx")
    assert bad.status_code == 400 and "Kies als formaat csv of xlsx." in bad.content.decode()
    assert exports.count() == 2
