"""The demo step of the areas room: fictitious geometry for the existing wijken and buurten through
the real import, addresses that resolve by coordinates to the buurt they were given, and a risk
register in several statuses — reproducible from the seed."""

import random
from collections import Counter

from django.db import transaction

from regie.areas import demo
from regie.areas.geo import buurt_for_point
from regie.areas.models import AreaIndicator, Buurt, Wijk
from regie.areas.risk_models import RiskLocation
from regie.audit.models import AuditEntry
from regie.demo import builder
from regie.organisations.access import system_access
from regie.subjects.models import Address


def build_areas(seed: int):
    with transaction.atomic(), system_access("test: demo areas"):  # as `regie demo-data` runs
        rng, summary = random.Random(1), builder.Summary()
        gemeente, neighbour, partners = builder.build_organisations(summary)
        buurten = builder.build_areas(gemeente, "99", rng, summary)
        builder.build_areas(neighbour, "98", rng, summary, wijken=2)
        users = builder.build_users(gemeente, neighbour, partners, summary)
        builder.build_subjects(gemeente, buurten, rng, builder.bsn_pool(rng), 0.05, 5000, summary)
        summary = builder.Summary()
        demo.build(gemeente, users, partners, random.Random(seed), summary)
        addresses = list(Address.objects.filter(owner=gemeente).order_by("pk"))
        resolved = [buurt_for_point(gemeente.pk, a.latitude, a.longitude) for a in addresses]
        result = {
            "summary": summary.counts,
            "wijken_without_geometry": Wijk.objects.filter(owner=gemeente, geometry="").count(),
            "buurten_without_geometry": Buurt.objects.filter(owner=gemeente, geometry="").count(),
            "neighbour_geometry": Buurt.objects.filter(owner=neighbour).exclude(geometry="").count(),
            "addresses": len(addresses),
            "mismatches": sum(1 for a, b in zip(addresses, resolved, strict=True) if b is None or b.pk != a.buurt_id),
            "coordinates": [(str(a.latitude), str(a.longitude)) for a in addresses[:20]],
            "locations": [(r.name, r.kind, r.status, r.status_on) for r in RiskLocation.objects.order_by("pk")],
            "owners": set(RiskLocation.objects.values_list("owner_id", flat=True)) == {gemeente.pk},
            "import_audit": AuditEntry.objects.filter(object_type="areas.buurt", action=AuditEntry.Action.CREATE).count(),
            "indicators": sorted(AreaIndicator.objects.values_list("area_code", "source", "indicator", "value")),
            "buurten": Buurt.objects.filter(owner=gemeente).count(),
            "wijken": Wijk.objects.filter(owner=gemeente).count(),
            "zoo": list(AreaIndicator.objects.filter(area_code=gemeente.code).values_list("indicator", flat=True)),
        }
        transaction.set_rollback(True)
    return result


def test_demo_geometry_addresses_and_risk_register(db):
    first = build_areas(7)
    assert first["wijken_without_geometry"] == 0 and first["buurten_without_geometry"] == 0
    assert first["neighbour_geometry"] == 0  # only the demo municipality gets a geometry
    assert first["addresses"] > 50 and first["mismatches"] == 0
    assert first["import_audit"] == 1
    statuses = Counter(status for _, _, status, _ in first["locations"])
    assert len(first["locations"]) == len(demo.LOCATIONS) == first["summary"]["risicolocaties"]
    assert len(statuses) >= 3 and statuses[RiskLocation.Status.TACKLED] >= 1
    assert {kind for _, kind, _, _ in first["locations"]} == set(RiskLocation.Kind.values)
    assert first["owners"]
    levels = Counter(code[:2] for code, *_ in first["indicators"])
    # two CBS figures per buurt, a Veiligheidsmonitor score per wijk, one ZoO figure for the gemeente
    assert levels == {"BU": 2 * first["buurten"], "WK": first["wijken"], "GM": 1}
    assert len(first["indicators"]) == first["summary"]["gebiedsindicatoren"]
    assert first["zoo"] == ["Drugs: verdachten per 1.000 inwoners"]
    again, other = build_areas(7), build_areas(8)
    assert again == first
    assert other["locations"] != first["locations"]
