"""Point 3 and 5: the area picture (counts per area × year × theme from records of every room,
trend, snapshots and their comparison, theme ratings with source and date), the map's layers,
the council's suppressed aggregates without points, tenancy, need-to-know, audit, bad input."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.areas import geo, picture, picture_services
from regie.areas.models import Buurt
from regie.areas.picture_models import PictureSnapshot, ThemeRating
from regie.audit.models import AuditEntry
from regie.bibob.models import BibobDomain, BibobFile
from regie.cases.models import Case, CaseSubject
from regie.controls.models import Control, ControlAddress, YearPlan
from regie.intake.models import Signal, Theme
from regie.subjects.models import Address
from tests.conftest import verified_client

from .conftest import GOOD, make_measure

YEAR = timezone.localdate().year


@pytest.fixture
def city(town, geo_access):
    org = town["orgs"]["a"]
    geo.import_areas(geo_access, org, GOOD)
    oude = Buurt.objects.visible_to(geo_access).get(code="BU99910001")
    nieuwe = Buurt.objects.visible_to(geo_access).get(code="BU99910002")
    addr = Address.objects.create(owner=org, street="Kade", house_number=1, postcode="9901AA", city="Aastad", buurt=oude)
    theme = Theme.objects.filter(organisation__isnull=True).order_by("code").first()
    return {"org": org, "oude": oude, "nieuwe": nieuwe, "addr": addr, "theme": theme}


def signal(org, buurt, when, theme=None, n=[0]):
    n[0] += 1
    s = Signal.objects.create(owner=org, reference=f"SIG-T-{n[0]}", channel="internal", text="x", buurt=buurt,
                              received_at=datetime(when, 3, 1, tzinfo=UTC))
    if theme:
        s.themes.add(theme)
    return s


@pytest.fixture
def records(city, town, access):
    org, oude, nieuwe, addr, theme = (city[k] for k in ("org", "oude", "nieuwe", "addr", "theme"))
    for _ in range(6):
        signal(org, oude, YEAR, theme)
    signal(org, oude, YEAR - 1)
    signal(org, nieuwe, YEAR)
    signal(org, nieuwe, YEAR - 1, theme)
    case = Case.objects.create(owner=org, reference="CAS-T-1", title="Loods", opened_at=datetime(YEAR, 2, 1, tzinfo=UTC))
    case.themes.add(theme)
    CaseSubject.objects.create(case=case, address=addr)
    measure = make_measure(access, org)
    measure.address, measure.case = addr, case
    measure.save()
    plan = YearPlan.objects.create(owner=org, year=YEAR)
    control = Control.objects.create(owner=org, plan=plan, reference="CTL-T-1", planned_on=date(YEAR, 1, 10), kind="horeca", title="Horeca")
    ControlAddress.objects.create(control=control, address=addr)
    domain = BibobDomain.objects.create(organisation=org, code="horeca", name="Horeca", group="Horeca")
    BibobFile.objects.create(owner=org, reference="BIB-T-1", domain=domain, description="Vergunning", address=addr,
                             received_on=date(YEAR, 1, 5))
    # another municipality's records never count
    other = town["orgs"]["b"]
    Signal.objects.create(owner=other, reference="SIG-B-1", channel="internal", text="x", buurt=oude)
    return {**city, "case": case, "measure": measure}


def row(data, code):
    return next(r for r in data["rows"] if r["code"] == code)


def test_counts_per_category_area_year_and_theme(records, access):
    data = picture.build(access, year=YEAR, level="buurt")
    oude, nieuwe = row(data, "BU99910001")["figures"], row(data, "BU99910002")["figures"]
    assert oude["signalen"] == {YEAR - 2: 0, YEAR - 1: 1, YEAR: 6} and nieuwe["signalen"][YEAR] == 1
    assert oude["casussen"][YEAR] == 1 and oude["maatregelen"][YEAR] == 1
    assert oude["controles"][YEAR] == 1 and oude["bibob"][YEAR] == 1 and nieuwe["bibob"][YEAR] == 0
    assert data["exact"] and data["total"]["signalen"][YEAR] == 7
    wijk = picture.build(access, year=YEAR, level="wijk")
    assert row(wijk, "WK999101")["figures"]["signalen"][YEAR - 1] == 2
    themed = picture.build(access, year=YEAR, level="buurt", theme=records["theme"].code)
    assert row(themed, "BU99910001")["figures"]["signalen"][YEAR] == 6 and row(themed, "BU99910002")["figures"]["signalen"][YEAR - 1] == 1
    assert "controles" not in row(themed, "BU99910001")["figures"] or row(themed, "BU99910001")["figures"]["controles"][YEAR] == 0
    shown = picture.for_display(data)
    cell = next(c for c in next(r for r in shown["rows"] if r["code"] == "BU99910001")["cells"] if c["key"] == "signalen")
    assert cell["change"] == 5  # trend against the year before
    themes = picture.themes_of_area(access, "BU99910001", YEAR)
    assert themes[0]["code"] == records["theme"].code and themes[0]["figures"]["signalen"][YEAR] == 6
    assert themes[0]["figures"]["casussen"][YEAR] == 1 and themes[0]["figures"]["maatregelen"][YEAR] == 1


def test_picture_page_for_the_kernteam_and_area_click(records, town):
    client = verified_client(town["analist"])
    page = client.get("/gebieden/gebiedsbeeld/?niveau=buurt").content.decode()
    assert "Oude Haven" in page and "Nieuwe Haven" in page and "&lt; 5" not in page and "Momentopname vastleggen" in page
    page = client.get("/gebieden/gebiedsbeeld/?gebied=BU99910001").content.decode()
    assert "Per thema in BU99910001" in page and records["theme"].name in page and "Nieuwe Haven" not in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LIST, detail__gebied="BU99910001").exists()


def test_council_sees_suppressed_aggregates_and_no_points(records, town):
    client = verified_client(town["raadslid"])
    page = client.get("/gebieden/gebiedsbeeld/?niveau=buurt").content.decode()
    assert "Oude Haven" in page and "&lt; 5" in page  # 1s suppressed, 6 shown
    data = picture.build(access_for_user(town["raadslid"]), year=YEAR, level="buurt")
    shown = picture.for_display(data)
    oude = next(r for r in shown["rows"] if r["code"] == "BU99910001")
    signals = next(c for c in oude["cells"] if c["key"] == "signalen")
    assert signals["values"] == [0, "< 5", 6] and signals["change"] is None and not data["exact"]
    layer = client.get("/gebieden/kaart/gebieden.json").json()
    buurt = next(f for f in layer["features"] if f["properties"].get("code") == "BU99910001")
    assert ["Signalen", 6] in buurt["properties"]["cijfers"] and ["Casussen", "< 5"] in buurt["properties"]["cijfers"]
    assert client.get("/gebieden/kaart/risicolocaties.json").status_code == 403
    assert client.get("/gebieden/kaart/signalen.json").status_code == 403
    assert "data-points" not in client.get("/gebieden/kaart/").content.decode()


def test_point_layers_for_case_access_only_own_rows(records, town, access):
    from regie.areas import risk

    risk.create_location(access, kind="pand", name="Loods aan de kade", address=records["addr"])
    risk.create_location(access_for_user(town["coordinator_b"]), kind="pand", name="Pand bij de buren")
    client = verified_client(town["coordinator"])
    page = client.get("/gebieden/kaart/").content.decode()
    assert "data-points" in page and "vendor/leaflet/leaflet.js" in page and "<script>" not in page
    points = client.get("/gebieden/kaart/risicolocaties.json").json()["features"]
    assert [p["properties"]["label"] for p in points] == ["Loods aan de kade (nulmeting)"]
    assert points[0]["geometry"]["coordinates"] == [5.5, 52.5]  # centre of its buurt: the address has no coordinates
    assert len(client.get("/gebieden/kaart/signalen.json").json()["features"]) == 9
    assert client.get("/gebieden/kaart/onzin.json").status_code == 400
    # a boa (no CASES) gets aggregates only
    assert verified_client(town["boa"]).get("/gebieden/kaart/maatregelen.json").status_code == 403


def test_other_municipality_sees_nothing_of_ours(records, town):
    data = picture.build(access_for_user(town["coordinator_b"]), year=YEAR, level="buurt")
    assert data["rows"] == [] and data["total"]["signalen"][YEAR] == 0
    client = verified_client(town["coordinator_b"])
    assert client.get("/gebieden/kaart/gebieden.json").json()["features"] == []
    assert client.get("/gebieden/kaart/signalen.json").json()["features"] == []


def test_need_to_know_hides_categories(records, town):
    boa = picture.build(access_for_user(town["boa"]), year=YEAR, level="buurt")  # no CASES: suppressed aggregates
    assert not boa["exact"]
    jurist = picture.build(access_for_user(town["jurist"]), year=YEAR, level="buurt")  # CASES, no CONTROLS
    assert "controles" not in dict(jurist["categories"]) and jurist["exact"]


def test_snapshot_versions_compare_and_audit(records, town, access):
    client = verified_client(town["coordinator"])
    response = client.post("/gebieden/gebiedsbeeld/momentopnamen/nieuw/", {"label": "Beeld voorjaar", "jaar": YEAR, "niveau": "buurt"})
    first = PictureSnapshot.objects.visible_to(access).get(label="Beeld voorjaar")
    assert response.status_code == 302 and first.version == 1 and first.taken_by == town["coordinator"].username
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, object_type="areas.picturesnapshot", object_id=str(first.pk)).exists()
    signal(records["org"], records["nieuwe"], YEAR)
    second = picture_services.take_snapshot(access, label="Beeld najaar", year=YEAR, level="buurt")
    assert second.version == 2
    page = client.get(f"/gebieden/gebiedsbeeld/momentopnamen/?links={first.pk}&rechts={second.pk}").content.decode()
    assert "Beeld voorjaar" in page and "1 · 2 · +1" in page  # Nieuwe Haven's signals grew by one
    live = picture_services.compare(picture_services.as_picture(first), picture.build(access, year=YEAR, level="buurt"), True)
    nieuwe = next(r for r in live["rows"] if r["code"] == "BU99910002")
    assert next(c for c in nieuwe["cells"] if c["key"] == "signalen")["change"] == 1
    # the council reads snapshots suppressed; the other municipality not at all
    council = verified_client(town["raadslid"]).get(f"/gebieden/gebiedsbeeld/momentopnamen/?links={first.pk}").content.decode()
    assert "&lt; 5" in council and "+1" not in council
    other = verified_client(town["coordinator_b"]).get(f"/gebieden/gebiedsbeeld/momentopnamen/?links={first.pk}")
    assert other.status_code == 400 and "bestaat niet" in other.content.decode()


def test_snapshot_bad_input_and_writers_only(records, town):
    client = verified_client(town["coordinator"])
    client.post("/gebieden/gebiedsbeeld/momentopnamen/nieuw/", {"label": "", "jaar": "twintig", "niveau": "buurt"})
    assert not PictureSnapshot.objects.visible_to(access_for_user(town["coordinator"])).exists()
    response = client.post("/gebieden/gebiedsbeeld/momentopnamen/nieuw/", {"label": "Toekomst", "jaar": YEAR + 1, "niveau": "wijk"}, follow=True)
    assert "Kies een jaar" in response.content.decode() and not PictureSnapshot.objects.visible_to(access_for_user(town["coordinator"])).exists()
    assert verified_client(town["raadslid"]).post("/gebieden/gebiedsbeeld/momentopnamen/nieuw/",
                                                   {"label": "x", "jaar": YEAR, "niveau": "wijk"}).status_code == 403
    bad = client.get("/gebieden/gebiedsbeeld/?jaar=abc")
    assert bad.status_code == 400 and "Vul een jaartal in" in bad.content.decode()
    assert client.get("/gebieden/gebiedsbeeld/?gebied=BU00000000").status_code == 400
    assert client.get("/gebieden/gebiedsbeeld/momentopnamen/?links=abc").status_code == 400
    assert client.get("/gebieden/kaart/gebieden.json?jaar=1").json() == {"fout": "Ongeldig jaar."}


def test_theme_rating_with_source_and_date(records, town):
    client = verified_client(town["analist"])
    theme = records["theme"]
    response = client.post("/gebieden/gebiedsbeeld/beoordelingen/nieuw/", {
        "theme": theme.pk, "area_code": "wk999101", "rating": "relatief_hoog", "source": "Zicht op Ondermijning 2023",
        "reference_date": "2023-01-01", "note": "Ten opzichte van vergelijkbare gemeenten"})
    assert response.status_code == 302
    rating = ThemeRating.objects.visible_to(access_for_user(town["analist"])).get()
    assert rating.area_code == "WK999101" and rating.source == "Zicht op Ondermijning 2023" and rating.reference_date == date(2023, 1, 1)
    assert AuditEntry.objects.filter(object_type="areas.themerating", action=AuditEntry.Action.CREATE, detail__bron=rating.source).exists()
    page = verified_client(town["raadslid"]).get("/gebieden/gebiedsbeeld/").content.decode()
    assert "relatief hoog" in page and "Ten opzichte van vergelijkbare gemeenten" in page
    assert "Ten opzichte van vergelijkbare gemeenten" not in verified_client(town["coordinator_b"]).get("/gebieden/gebiedsbeeld/").content.decode()
    # bad input: no source, a future date, an unknown area: a Dutch message and nothing written
    for bad, message in (({"source": ""}, "verplicht"), ({"reference_date": "2999-01-01"}, "toekomst"),
                         ({"area_code": "BU123"}, "Onbekende wijk- of buurtcode")):
        data = {"theme": theme.pk, "rating": "gemiddeld", "source": "ZoO", "reference_date": "2023-01-01", **bad}
        page = client.post("/gebieden/gebiedsbeeld/beoordelingen/nieuw/", data, follow=True).content.decode()
        assert message in page
    assert ThemeRating.objects.visible_to(access_for_user(town["analist"])).count() == 1


def test_boundary_import_reresolves_addresses(town, geo_access, access):
    org = town["orgs"]["a"]
    geo.import_areas(geo_access, org, GOOD)
    addr = Address.objects.create(owner=org, street="Kade", house_number=2, postcode="9901AB", city="Aastad",
                                  latitude="52.500000", longitude="6.500000")
    assert addr.buurt_id is None
    counts = geo.import_areas(geo_access, org, GOOD)
    addr.refresh_from_db()
    assert counts["adressen_heringedeeld"] == 1 and addr.buurt.code == "BU99910002"  # coordinates win over postcode
    assert AuditEntry.objects.filter(object_type="subjects.address", detail__herindeling="adressen na grensimport").exists()
    assert geo.import_areas(geo_access, org, GOOD)["adressen_heringedeeld"] == 0
