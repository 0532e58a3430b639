"""The subjects demo step: deterministic, valid identifiers, relations between existing subjects."""

import random

from regie.organisations.access import system_access
from regie.subjects import demo
from regie.subjects.models import BankAccount, Relation, Statement, Vehicle
from regie.subjects.validators import normalise_iban, normalise_kenteken

from .conftest import make_address, make_company, make_person


class _Summary(dict):
    def add(self, name, n):
        self[name] = n


def _run(orgs, seed):
    summary = _Summary()
    with system_access("test demo"):
        demo.build(orgs["a"], {}, {}, random.Random(seed), summary)
    return summary


def test_demo_builds_valid_relations_and_identifiers(orgs):
    home = make_address(orgs["a"])
    for i in range(5):
        make_person(orgs["a"], surname=f"Demo{i}", address=home)
        make_company(orgs["a"], name=f"Demo {i}")
    summary = _run(orgs, 7)
    assert summary["voertuigen"] == Vehicle.unscoped.count() == 60
    assert all(normalise_kenteken(v.kenteken) == v.kenteken for v in Vehicle.unscoped.all())
    assert all(normalise_iban(a.iban) == a.iban for a in BankAccount.unscoped.all())
    kinds = set(Relation.unscoped.values_list("kind", flat=True))
    assert {"directorship", "ownership", "family", "occupancy"} <= kinds
    for relation in Relation.unscoped.all()[:50]:
        assert relation.source_type.model_class().unscoped.filter(pk=relation.source_id).exists()
        assert relation.target_type.model_class().unscoped.filter(pk=relation.target_id).exists()
    assert Statement.unscoped.filter(source="KvK-uittreksel").count() == 5
    plates = list(Vehicle.unscoped.order_by("pk").values_list("kenteken", flat=True))
    Vehicle.unscoped.all().delete()
    _run(orgs, 7)
    assert list(Vehicle.unscoped.order_by("pk").values_list("kenteken", flat=True)) == plates  # same seed, same data
