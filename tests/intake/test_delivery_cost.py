"""The SQL a partner delivery costs (intake issue, point 10): a regression guard.

A delivery through the partner API reads the token, the municipality, the region, the address
and its buurt, the themes, the triage rules and the mentioned persons, and writes each row
once; the audit entries cost the chain's lock, one insert and the head update. A bundle reads
the registry once per kind of subject and appends its audit entries under one lock of the
chain's head, so its queries do not grow with the number of signals.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.audit import chain
from regie.audit.models import AuditEntry
from regie.intake.models import Signal
from tests.conftest import token_client

#: one delivery as below: token, municipality, region, themes, rules, address, buurt, persons by BSN
#: and by name, companies by KvK number and by name; inserts of address, signal (in a savepoint),
#: themes, share, event, company, person (skipping a concurrent one) and its read-back, mentions;
#: the audit chain (savepoint, head, entry, head update, release); savepoints of the service and
#: the request; matching the new person and company on entry (issue 8 point 4) against the cached
#: registry index: the fingerprints of persons, companies and addresses, the rows changed since the
#: index was last brought up to date (and the changed addresses) per kind, the merged ids
ONE_DELIVERY = 39

BSNS = ["999990019", "999990020", "999990032", "999990044", "999990056", "999990068", "999990081", "999990093",
        "999990111", "999990123", "999990135", "999990147", "999990159", "999990160", "999990172", "999990184",
        "999990196", "999990202", "999990214", "999990226", "999990238", "999990251", "999990263", "999990275"]


def _signal(town, n: int) -> dict:
    return {
        "gemeente": town["orgs"]["a"].pk,
        "omschrijving": f"Hennepgeur bij loods {n}, ramen afgeplakt",
        "adres": {"postcode": f"1234 A{'BCDEFGHJKLMNPRSTVWXZ'[n % 20]}", "huisnummer": n + 1},
        "themas": ["drugs-productie", "witwassen"],
        "subjecten": [
            {"soort": "persoon", "naam": f"Jan Jansen{n}", "bsn": BSNS[n]},
            {"soort": "bedrijf", "naam": f"Loods {n} B.V.", "kvk_nummer": f"{12345600 + n}"},
            {"soort": "voertuig", "kenteken": "12-ABC-3"},
        ],
    }


def _queries(api, path, payload) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.post(path, payload, format="json")
    assert response.status_code == 201, response.json()
    return len(captured.captured_queries)


def test_the_test_bsns_pass_the_elfproef():
    from regie.subjects.validators import validate_bsn

    for bsn in BSNS:
        validate_bsn(bsn)  # raises for a number that fails


def test_one_delivery_stays_within_its_query_budget(town):
    api = token_client(town["partner"])
    api.post("/api/v1/signalen/", _signal(town, 0), format="json")  # warm: the token's last use is written once a minute
    assert _queries(api, "/api/v1/signalen/", _signal(town, 1)) <= ONE_DELIVERY


@pytest.mark.parametrize("size", [5, 20])
def test_a_bundle_costs_as_many_queries_as_one_signal(town, size):
    api = token_client(town["partner"])
    api.post("/api/v1/signalen/", _signal(town, 23), format="json")  # warm, as above
    one = _queries(api, "/api/v1/signalen/bundel/", {"signalen": [_signal(town, 0)]})
    many = _queries(api, "/api/v1/signalen/bundel/", {"signalen": [_signal(town, n) for n in range(1, size + 1)]})
    assert many == one
    # and each signal still has its own audit entry, in one unbroken chain
    created = AuditEntry.objects.filter(action="create", object_type="intake.signal")
    assert created.count() == Signal.unscoped.count() == size + 2
    assert chain.verify() == (AuditEntry.objects.count(), None)
