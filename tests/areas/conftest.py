import json

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import AREAS, Role
from regie.organisations.access import organisation_access


def rect(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def square(west, south, size=1.0):
    return rect(west, south, west + size, south + size)


def feature(geometry, **props):
    return {"type": "Feature", "geometry": geometry, "properties": props}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


#: a wijk of two buurten side by side: BU99910001 over lon 5–6, BU99910002 over lon 6–7 (lat 52–53)
GOOD = collection(
    feature(rect(5, 52, 7, 53), wijkcode="WK999101", wijknaam="Centrum"),
    feature(square(5, 52), buurtcode="BU99910001", buurtnaam="Oude Haven", wijkcode="WK999101", postcodes="9901,9902"),
    feature(square(6, 52), BU_CODE="BU99910002", BU_NAAM="Nieuwe Haven", WK_CODE="WK999101", GM_CODE="GM9991"),
)


@pytest.fixture
def geo_access(orgs):
    return organisation_access(orgs["a"], "test import", frozenset({AREAS}))


@pytest.fixture
def town(orgs, make_user):
    return {
        "orgs": orgs,
        "coordinator": make_user(role=Role.COORDINATOR, org=orgs["a"]),
        "analist": make_user(role=Role.ANALIST, org=orgs["a"]),
        "jurist": make_user(role=Role.JURIST, org=orgs["a"]),
        "boa": make_user(role=Role.BOA, org=orgs["a"]),
        "raadslid": make_user(role=Role.RAADSLID, org=orgs["a"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }


@pytest.fixture
def access(town):
    return access_for_user(town["coordinator"])


def make_measure(access, org, description="Hennepkwekerij in loods"):
    """A measure of ``org`` through the measures room's own service (default catalogue)."""
    from regie.measures import services
    from regie.measures.catalogue import install_default_catalogue
    from regie.measures.models import MeasureDomain, MeasureKind

    if not MeasureKind.objects.filter(organisation=org).exists():
        install_default_catalogue(org)
    return services.open_measure(access, kind=MeasureKind.objects.get(organisation=org, code="sluiting-13b"),
                                 domain=MeasureDomain.objects.get(organisation=org, code="drugspanden"), description=description)
