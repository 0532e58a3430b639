"""graph.py and services.query_graph: edges with sources and dates, hop bound and node cap,
visibility, purpose required and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from regie.audit.models import AuditEntry
from regie.network import graph as g
from regie.network import services
from regie.organisations.access import use_access
from regie.subjects.models import Person, Relation

from .conftest import _relation, node


def test_relation_edges_carry_kind_dates_sources_and_explanation(net):
    found = g.expand(net.access, node(net.jan), hops=1)
    edges = {(e["source"], e["target"], e["kind"]): e for e in found.edges.values()}
    director = edges[(node(net.jan), node(net.companies[1]), "directorship")]
    assert director["start"] == "2021-01-01" and director["end"] is None
    assert director["sources"] == [{"bron": "KvK-uittreksel", "datum": "2021-01-01", "kenmerk": f"regel {director['relation']}"}]
    assert "Relatie bestuur (bestuurder), van 2021-01-01 tot en met heden" in director["explanation"]
    assert "KvK-uittreksel (2021-01-01)" in director["explanation"]
    assert found.nodes[node(net.jan)]["label"] == "Jan Visser"


def test_co_occurrence_edge_names_its_container_and_date(net):
    found = g.expand(net.access, node(net.jan), hops=1)
    co = [e for e in found.edges.values() if e["kind"] == "signaal"]
    assert len(co) == 1
    assert {co[0]["source"], co[0]["target"]} == {node(net.jan), node(net.companies[0])}
    assert co[0]["container"] == "signaal SIG-T-1"
    assert co[0]["start"] == net.s1.received_at.date().isoformat()
    assert co[0]["explanation"].startswith("Samen in een signaal: signaal SIG-T-1, van ")
    cases = [e for e in found.edges.values() if e["kind"] == "casus"]
    assert cases == []  # the case names only Jan: no pair


def test_hops_are_bounded(net):
    one = g.expand(net.access, node(net.jan), hops=1)
    two = g.expand(net.access, node(net.jan), hops=2)
    three = g.expand(net.access, node(net.jan), hops=3)
    assert node(net.piet) in one.nodes and node(net.klaas) not in one.nodes
    assert node(net.klaas) in two.nodes and two.nodes[node(net.klaas)]["hop"] == 2
    assert node(net.kees) in three.nodes and node(net.kees) not in g.expand(net.access, node(net.piet), hops=1).nodes
    with pytest.raises(ValidationError, match="stappen"):
        g.expand(net.access, node(net.jan), hops=4)


def test_node_cap_truncates(net):
    found = g.expand(net.access, node(net.jan), hops=2, max_nodes=3)
    assert len(found.nodes) == 3 and found.truncated
    assert all(e["source"] in found.nodes and e["target"] in found.nodes for e in found.edges.values())
    assert not g.expand(net.access, node(net.jan), hops=1).truncated


def test_invisible_subjects_never_appear(net):
    found = g.expand(net.access, node(net.jan), hops=3, max_nodes=500)
    assert node(net.geheim) not in found.nodes  # above the analyst's clearance
    assert node(net.bert) not in found.nodes  # another municipality's
    assert not any(node(net.geheim) in (e["source"], e["target"]) for e in found.edges.values())
    with pytest.raises(LookupError):
        g.expand(net.access, node(net.bert), hops=1)


def test_filters_on_kind_and_period(net):
    only_family = g.expand(net.access, node(net.jan), hops=2, filters=g.Filters(kinds=frozenset({"family", "associate"})))
    assert {e["kind"] for e in only_family.edges.values()} == {"family", "associate"}
    assert node(net.companies[0]) not in only_family.nodes
    later = g.expand(net.access, node(net.piet), hops=1, filters=g.Filters(date_from=dt.date(2025, 1, 1)))
    assert node(net.klaas) not in later.nodes  # that association ended in 2024
    assert node(net.klaas) in g.expand(net.access, node(net.piet), hops=1).nodes


def test_query_needs_a_purpose_and_is_audited(net):
    with use_access(net.access):
        with pytest.raises(ValidationError, match="Kies een doel"):
            services.query_graph(net.access, "", node(net.jan))
        with pytest.raises(ValidationError, match="bestaat niet"):
            services.query_graph(net.access, f"casus:{net.case_b.pk}", node(net.jan))  # other municipality's case
        before = AuditEntry.objects.count()
        purpose, found = services.query_graph(net.access, f"casus:{net.case.pk}", node(net.jan), hops=2)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "search" and entry.purpose == "Netwerkanalyse voor casus CAS-T-1"
    assert entry.detail["start"] == node(net.jan) and entry.detail["knooppunten"] == len(found.nodes)
    assert entry.object_type == "cases.case" and entry.object_id == str(net.case.pk)


def test_expired_assignment_is_no_purpose(net):
    net.assignment.ends_on = net.assignment.starts_on
    net.assignment.save()
    with use_access(net.access), pytest.raises(ValidationError, match="loopt niet"):
        services.query_graph(net.access, f"opdracht:{net.assignment.pk}", node(net.jan))


def test_expansion_costs_a_fixed_number_of_queries_per_hop(net):
    """The cost of an expansion does not grow with the number of nodes: each hop is a fixed set of
    queries (relations, one per kind of container, one UNION for the visibility of new nodes), then
    labels per kind of subject and the relations' sources (issue 9, point 5)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    g.expand(net.access, node(net.jan), hops=1)  # content types cached, as in a running server
    with CaptureQueriesContext(connection) as one:
        g.expand(net.access, node(net.jan), hops=1)
    with CaptureQueriesContext(connection) as three:
        small = g.expand(net.access, node(net.jan), hops=3)
    # more subjects around Jan: the same number of queries
    for i in range(12):
        extra = Person.objects.create(owner=net.a, first_names=f"Extra{i}", surname="Visser")
        _relation(net.a, Relation.Kind.ASSOCIATE, net.jan if i % 2 else net.piet, extra)
    with CaptureQueriesContext(connection) as bigger:
        large = g.expand(net.access, node(net.jan), hops=3)
    assert len(large.nodes) > len(small.nodes) + 10
    assert len(bigger) == len(three), [q["sql"][:80] for q in bigger]
    per_hop = (len(three) - len(one)) / 2
    assert per_hop <= 6, [q["sql"][:80] for q in three]


def test_labels_read_in_the_visibility_query_are_the_subjects_own(net):
    """visible_labels builds each label with the subject's own __str__ from columns read in the
    same query that checks visibility; every kind of subject gives the label its page shows."""
    from regie.subjects.models import Address, BankAccount, Company, Vehicle

    subjects = [
        net.jan, net.companies[0],
        Person.objects.create(owner=net.a, initials="J.", surname_prefix="van der", surname="Berg"),
        Company.objects.create(owner=net.a, name="Stichting Rust", legal_form="stichting"),
        Address.objects.create(owner=net.a, street="Kerkstraat", house_number=12, house_letter="a", addition="2",
                               postcode="1234AB", city="Aastad"),
        Vehicle.objects.create(owner=net.a, kenteken="AB123C"),
        BankAccount.objects.create(owner=net.a, iban="NL91ABNA0417164300"),
    ]
    kinds = {Person: "persoon", Company: "bedrijf", Address: "adres", Vehicle: "voertuig", BankAccount: "bankrekening"}
    expected = {f"{kinds[type(s)]}:{s.pk}": (s.full_name if isinstance(s, Person) else str(s)) for s in subjects}
    found = g.visible_labels(net.access, [*expected, node(net.geheim), node(net.bert)])
    assert {n: v["label"] for n, v in found.items()} == expected
    assert expected[node(subjects[4])] == "Kerkstraat 12a-2, 1234 AB Aastad"
    assert {v["kind"] for v in found.values()} == set(kinds.values())
    # above the clearance and another municipality's person: not there
    assert node(net.geheim) not in found and node(net.bert) not in found
