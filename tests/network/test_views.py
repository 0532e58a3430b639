"""The network pages and JSON endpoints through HTTP: purpose, tenancy, need-to-know, bad input,
saving a chart to a case, the FtM export and the review of a hit."""

from __future__ import annotations

import json

from django.contrib.contenttypes.models import ContentType
from followthemoney import model as ftm_model

from regie.accounts.models import Assignment
from regie.audit.models import AuditEntry
from regie.cases.models import CaseEvent
from regie.network import services
from regie.network.models import PatternHit, SavedChart
from regie.organisations.access import use_access
from tests.conftest import verified_client

from .conftest import node


def _graph(client, **params):
    return client.get("/netwerk/kaart/gegevens/", params)


def test_graph_json_for_a_case(net):
    client = verified_client(net.analist)
    response = _graph(client, start=node(net.jan), doel=f"casus:{net.case.pk}", stappen=2)
    assert response.status_code == 200
    data = response.json()
    ids = {e["data"]["id"] for e in data["elements"] if e["group"] == "nodes"}
    assert {node(net.jan), node(net.piet), node(net.klaas)} <= ids
    assert node(net.geheim) not in ids and node(net.bert) not in ids
    assert data["doel"] == "Netwerkanalyse voor casus CAS-T-1"
    assert any(ev["text"].startswith("begin: Relatie bestuur") for ev in data["timeline"])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "search" and entry.detail["doel"] == f"casus:{net.case.pk}"


def test_graph_shows_hits_with_explanation(net):
    with use_access(net.access):
        services.run_pattern(net.access, "zelfde_bestuurder", f"opdracht:{net.assignment.pk}")
    data = _graph(verified_client(net.analist), start=node(net.jan), doel=f"opdracht:{net.assignment.pk}").json()
    assert len(data["hits"]) == 1
    assert data["hits"][0]["why"].startswith("Jan Visser komt als bestuurder voor bij 3 organisaties")
    assert data["hits"][0]["sources"][0]["bron"] == "KvK-uittreksel"


def test_bad_input_gives_dutch_400(net):
    client = verified_client(net.analist)
    cases = [
        ({"start": node(net.jan)}, "Kies een doel"),
        ({"start": "iemand", "doel": f"casus:{net.case.pk}"}, "Onbekend subject"),
        ({"start": node(net.jan), "doel": f"casus:{net.case.pk}", "stappen": "twee"}, "geheel getal"),
        ({"start": node(net.jan), "doel": f"casus:{net.case.pk}", "stappen": "9"}, "stappen ligt tussen"),
        ({"start": node(net.jan), "doel": f"casus:{net.case.pk}", "soort": "risico"}, "Onbekende soort"),
        ({"start": node(net.jan), "doel": f"casus:{net.case.pk}", "van": "gisteren"}, "datum"),
        ({"start": node(net.jan), "doel": f"casus:{net.case_b.pk}"}, "bestaat niet"),
        ({"start": node(net.jan), "doel": "iets"}, "Onbekend doel"),
    ]
    before = AuditEntry.objects.count()
    for params, message in cases:
        response = _graph(client, **params)
        assert response.status_code == 400, params
        assert message in response.json()["fout"], params
    assert AuditEntry.objects.count() == before  # nothing was queried


def test_other_municipality_subject_is_404(net):
    client = verified_client(net.analist)
    assert _graph(client, start=node(net.bert), doel=f"casus:{net.case.pk}").status_code == 404
    assert _graph(client, start=node(net.geheim), doel=f"casus:{net.case.pk}").status_code == 404
    assert _graph(client, start="persoon:999999", doel=f"casus:{net.case.pk}").status_code == 404


def test_roles_without_network_are_denied(net):
    for user in (net.boa, net.jurist):
        client = verified_client(user)
        assert client.get("/netwerk/").status_code == 403
        assert _graph(client, start=node(net.jan), doel=f"casus:{net.case.pk}").status_code == 403
    assert verified_client(net.coordinator).get("/netwerk/").status_code == 200


def test_chart_page_has_no_inline_script_and_points_at_the_endpoint(net):
    response = verified_client(net.analist).get("/netwerk/kaart/", {"start": node(net.jan), "doel": f"casus:{net.case.pk}"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-graph-url="/netwerk/kaart/gegevens/"' in html and "network/chart.js" in html
    assert "<script>" not in html and 'style="' not in html
    bad = verified_client(net.analist).get("/netwerk/kaart/", {"start": "x", "doel": f"casus:{net.case.pk}"})
    assert bad.status_code == 400 and "Onbekend subject" in bad.content.decode()


def _save(client, net, **overrides):
    data = {"doel": f"casus:{net.case.pk}", "start": node(net.jan), "titel": "Bestuurders Havenstraat",
            "gegevens": json.dumps({"nodes": [node(net.jan), node(net.piet)], "edges": ["relatie:1"],
                                    "layout": {node(net.jan): {"x": 1.5, "y": 2}}})}
    data.update(overrides)
    return client.post("/netwerk/kaart/opslaan/", data)


def test_save_chart_to_case(net):
    client = verified_client(net.analist)
    response = _save(client, net)
    chart = SavedChart.unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/netwerk/kaarten/{chart.pk}/"
    assert chart.case_id == net.case.pk and chart.nodes == [node(net.jan), node(net.piet)]
    assert chart.layout == {node(net.jan): {"x": 1.5, "y": 2}}
    assert CaseEvent.objects.filter(case=net.case, text="Netwerkkaart opgeslagen: Bestuurders Havenstraat").exists()
    entry = AuditEntry.objects.filter(object_type="network.savedchart").get()
    assert entry.action == "create" and entry.purpose == "Netwerkanalyse voor casus CAS-T-1"
    page = client.get(f"/netwerk/kaarten/{chart.pk}/")
    assert page.status_code == 200 and "Piet Visser" in page.content.decode()
    assert verified_client(net.analist_b).get(f"/netwerk/kaarten/{chart.pk}/").status_code == 404


def test_save_chart_bad_input(net):
    client = verified_client(net.analist)
    for overrides in ({"gegevens": "{kapot"}, {"gegevens": json.dumps({"nodes": [node(net.geheim)]})},
                      {"doel": ""}, {"titel": ""}, {"gegevens": json.dumps({"nodes": "alles"})}):
        response = _save(client, net, **overrides)
        assert response.status_code == 302, overrides
        messages = [m.message for m in response.wsgi_request._messages]
        assert messages and messages[0].startswith("De kaart is niet opgeslagen"), overrides
    assert SavedChart.unscoped.count() == 0


def test_ftm_export_validates(net):
    client = verified_client(net.analist)
    response = client.get("/netwerk/kaart/ftm/", {"start": node(net.jan), "doel": f"casus:{net.case.pk}", "stappen": 1})
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.content.decode().splitlines() if line]
    proxies = [ftm_model.get_proxy(line, cleaned=False) for line in lines]
    schemata = {p.schema.name for p in proxies}
    assert {"Person", "Company", "Directorship", "Family", "UnknownLink"} <= schemata
    assert not any("Geheim" in json.dumps(line) for line in lines)
    assert any(p.schema.name == "UnknownLink" and "samen in een signaal" in p.get("status") for p in proxies)
    assert AuditEntry.objects.order_by("-seq").first().detail["formaat"] == "followthemoney"


def test_pattern_run_and_review_through_pages(net):
    client = verified_client(net.analist)
    response = client.post("/netwerk/patronen/uitvoeren/", {"patroon": "gedeeld_adres", "doel": f"opdracht:{net.assignment.pk}"})
    assert response.status_code == 302
    hit = PatternHit.unscoped.get()
    assert client.get(f"/netwerk/treffers/{hit.pk}/").status_code == 302  # purpose gate: not assigned
    Assignment.objects.create(user=net.analist, content_type=ContentType.objects.get_for_model(PatternHit), object_id=hit.pk)
    page = client.get(f"/netwerk/treffers/{hit.pk}/").content.decode()
    assert "Op Havenstraat 1, 1234 AB Aastad zijn 3 bedrijven gevestigd" in page and "KvK-uittreksel" in page
    client.post(f"/netwerk/treffers/{hit.pk}/beoordelen/", {"beoordeling": ""})
    hit.refresh_from_db()
    assert hit.status == "open"
    client.post(f"/netwerk/treffers/{hit.pk}/beoordelen/", {"beoordeling": "Bedrijfsverzamelgebouw, geen actie"})
    hit.refresh_from_db()
    assert hit.status == "beoordeeld"
    assert verified_client(net.analist_b).get(f"/netwerk/treffers/{hit.pk}/").status_code == 404
    bad = client.post("/netwerk/patronen/uitvoeren/", {"patroon": "gedeeld_adres"})
    assert bad.status_code == 302 and PatternHit.unscoped.count() == 1


def test_assignment_create(net):
    client = verified_client(net.analist)
    client.post("/netwerk/opdrachten/nieuw/", {"titel": "Vastgoed", "omschrijving": "Panden in de haven",
                                               "vanaf": "2026-01-01", "tot": "2025-01-01"})
    assert not AuditEntry.objects.filter(object_type="network.analysisassignment").exists()
    client.post("/netwerk/opdrachten/nieuw/", {"titel": "Vastgoed", "omschrijving": "Panden in de haven",
                                               "vanaf": "2026-01-01", "tot": "2026-12-31"})
    assert AuditEntry.objects.filter(object_type="network.analysisassignment", action="create").count() == 1


def test_the_index_listing_open_hits_is_audited(net):
    from regie.audit.models import AuditEntry

    before = AuditEntry.objects.filter(action=AuditEntry.Action.LIST, object_type="network.patternhit").count()
    assert verified_client(net.analist).get("/netwerk/").status_code == 200
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.LIST, object_type="network.patternhit")
    assert entries.count() == before + 1 and entries.last().user_id == net.analist.pk
