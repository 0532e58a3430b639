"""Each saved pattern hits on constructed data, explains why, and leaves only a review item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from regie.audit.models import AuditEntry
from regie.cases.models import Case
from regie.network import patterns, services
from regie.network.models import PatternHit
from regie.organisations.access import use_access
from regie.subjects.models import Company, Person, Relation

from .conftest import _relation, node


def run(net, code, **params):
    with use_access(net.access):
        return services.run_pattern(net.access, code, f"opdracht:{net.assignment.pk}", params)


def test_shared_address(net):
    hits = run(net, "gedeeld_adres")
    assert [h.key for h in hits] == [f"adres:{net.haven.pk}"]
    hit = hits[0]
    assert set(hit.nodes) == {node(net.haven)} | {node(c) for c in net.companies}
    assert "3 bedrijven" in hit.explanation["waarom"] and "Havenstraat 1" in hit.explanation["waarom"]
    assert [s["kenmerk"] for s in hit.explanation["bronnen"]] == ["kvk Alfa", "kvk Beta", "kvk Gamma"]
    assert run(net, "gedeeld_adres", minimum=4) == []
    assert len(run(net, "gedeeld_adres", zorg="1")) == 1  # SBI 86101 is care


def test_same_director_with_sources(net):
    hits = run(net, "zelfde_bestuurder")
    assert [h.key for h in hits] == [f"persoon:{net.jan.pk}"]
    explanation = hits[0].explanation
    assert "Jan Visser komt als bestuurder voor bij 3 organisaties" in explanation["waarom"]
    assert {s["bron"] for s in explanation["bronnen"]} == {"KvK-uittreksel"}
    assert len(explanation["details"]) == 3


def test_rapid_registrations(net):
    hits = run(net, "snelle_inschrijvingen", minimum=4, dagen=20)
    assert len(hits) == 1 and hits[0].nodes[0] == node(net.dok)
    assert "4 bewoningen tussen 2025-03-01 en 2025-03-16" in hits[0].explanation["waarom"]
    assert run(net, "snelle_inschrijvingen", minimum=4, dagen=10) == []


def test_recurring_across_channels(net):
    hits = run(net, "kanalen")
    assert [h.key for h in hits] == [f"persoon:{net.jan.pk}"]
    assert {s["bron"] for s in hits[0].explanation["bronnen"]} == {"signaal SIG-T-1", "signaal SIG-T-2"}
    assert "boa, mma" in hits[0].explanation["waarom"]


def test_brokers_and_communities(net):
    # two separate triangles joined only through Klaas
    a = [Person.objects.create(owner=net.a, first_names=f"A{i}", surname="Links") for i in range(3)]
    b = [Person.objects.create(owner=net.a, first_names=f"B{i}", surname="Rechts") for i in range(3)]
    for group in (a, b):
        for i in range(3):
            _relation(net.a, Relation.Kind.ASSOCIATE, group[i], group[(i + 1) % 3])
    broker = Person.objects.create(owner=net.a, first_names="Max", surname="Midden")
    _relation(net.a, Relation.Kind.ASSOCIATE, broker, a[0])
    _relation(net.a, Relation.Kind.ASSOCIATE, broker, b[0])
    hits = run(net, "makelaars", start=node(broker))
    assert [h.key for h in hits] == [f"makelaar:{node(broker)}"]
    assert "Zonder Max Midden vallen 2 groepen" in hits[0].explanation["waarom"]
    assert any("Relatie bekende" in d for d in hits[0].explanation["details"])
    groups = run(net, "gemeenschappen", start=node(broker), minimum=3)
    assert groups and all(len(h.nodes) >= 3 for h in groups)
    assert any(set(map(node, a)) <= set(h.nodes) for h in groups)


def test_a_hit_is_a_review_item_only_and_audited(net):
    cases, before = Case.unscoped.count(), AuditEntry.objects.count()
    first = run(net, "gedeeld_adres")
    again = run(net, "gedeeld_adres")
    assert first[0].pk == again[0].pk and PatternHit.unscoped.count() == 1  # the open item is updated, not doubled
    assert first[0].status == "open" and first[0].assignment_id == net.assignment.pk
    assert Case.unscoped.count() == cases
    entries = list(AuditEntry.objects.order_by("seq")[before:])
    assert [e.detail["patroon"] for e in entries] == ["gedeeld_adres", "gedeeld_adres"]
    assert entries[0].purpose == "Netwerkanalyse voor analyseopdracht ‘Zorgfraude Havengebied’"


def test_review_hit(net):
    hit = run(net, "gedeeld_adres")[0]
    with use_access(net.access):
        with pytest.raises(ValidationError):
            services.review_hit(net.access, hit, "  ")
        services.review_hit(net.access, hit, "Bekend bedrijfsverzamelgebouw")
    hit.refresh_from_db()
    assert hit.status == "beoordeeld" and hit.reviewed_by_id == net.analist.pk
    assert AuditEntry.objects.order_by("-seq").first().detail == {"status": "beoordeeld"}


def test_invisible_companies_do_not_count(net):
    Company.unscoped.filter(pk=net.companies[2].pk).update(confidentiality=8)
    assert run(net, "gedeeld_adres") == []


def test_bad_pattern_input_is_dutch(net):
    with pytest.raises(ValidationError, match="Onbekend patroon"):
        run(net, "risicoscore")
    with pytest.raises(ValidationError, match="geheel getal"):
        run(net, "gedeeld_adres", minimum="veel")
    with pytest.raises(ValidationError, match="van 2 tot en met 100"):
        run(net, "gedeeld_adres", minimum="1")
    assert "risicoscore" not in patterns.PATTERNS
