"""Point 2, services: the risk-location register — create, the status lifecycle with its dated
history and Dutch refusals, linking measures and other rooms' records, counts per status per year,
and the audit row of every write."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.areas import risk
from regie.areas.models import Buurt, Wijk
from regie.areas.risk_models import RiskLocation, RiskLocationEvent, RiskLocationLink
from regie.audit.models import AuditEntry
from regie.subjects.models import Address
from tests.conftest import as_user

from .conftest import make_measure

S = RiskLocation.Status


def audit(location, action):
    return AuditEntry.objects.filter(object_type="areas.risklocation", object_id=str(location.pk), action=action)


@pytest.fixture
def park(town, access):
    with as_user(town["coordinator"]):
        return risk.create_location(access, kind="bedrijventerrein", name="Bedrijvenpark De Raaf", on=date(2024, 3, 1),
                                    branch="autobranche")


def test_create_registers_baseline_with_history_and_audit(town, park):
    assert (park.status, park.status_on, park.owner_id) == (S.BASELINE, date(2024, 3, 1), town["orgs"]["a"].pk)
    assert list(park.events.values_list("status", "on")) == [(S.BASELINE, date(2024, 3, 1))]
    entry = audit(park, AuditEntry.Action.CREATE).get()
    assert entry.detail == {"soort": "bedrijventerrein", "status": S.BASELINE} and entry.username == town["coordinator"].username


def test_create_takes_the_buurt_of_the_address(town, access):
    wijk = Wijk.unscoped.create(owner=town["orgs"]["a"], code="WK1", name="Centrum")
    buurt = Buurt.unscoped.create(owner=town["orgs"]["a"], wijk=wijk, code="BU1", name="Haven")
    address = Address.unscoped.create(owner=town["orgs"]["a"], street="Loodsweg", house_number=3, postcode="9901AB",
                                      city="Aastad", buurt=buurt)
    location = risk.create_location(access, kind="pand", name="Loods", address=address)
    assert location.buurt_id == buurt.pk


@pytest.mark.parametrize("fields, message", [
    ({"kind": "kasteel", "name": "X"}, "kind"),
    ({"kind": "pand", "name": "  "}, "name"),
    ({"kind": "pand", "name": "X", "on": date.today() + timedelta(days=2)}, "status_on"),
])
def test_create_refuses_bad_input(access, fields, message):
    with pytest.raises(ValidationError) as refused:
        risk.create_location(access, **fields)
    assert message in refused.value.message_dict
    assert not RiskLocation.unscoped.exists()


def test_lifecycle_with_dated_history_and_audit(town, access, park):
    risk.change_status(access, park, S.IN_VIEW, on=date(2024, 5, 1))
    risk.change_status(access, park, S.CONFIRMED, on=date(2024, 9, 1), reason="Controle: illegale garage")
    measure = make_measure(access, town["orgs"]["a"])
    risk.link_measure(access, park, measure)
    risk.change_status(access, park, S.TACKLED, on=date(2025, 2, 1))
    park.refresh_from_db()
    assert (park.status, park.status_on) == (S.TACKLED, date(2025, 2, 1))
    assert [e.status for e in park.events.all()] == [S.BASELINE, S.IN_VIEW, S.CONFIRMED, S.TACKLED]
    assert risk.measure_ids(park) == [measure.pk]
    updates = list(audit(park, AuditEntry.Action.UPDATE).values_list("detail", flat=True))
    assert {"maatregel": measure.pk} in updates
    assert [d["status"] for d in updates if "status" in d] == [S.IN_VIEW, S.CONFIRMED, S.TACKLED]


@pytest.mark.parametrize("steps, status, on, reason, field, message", [
    ([], S.TACKLED, date(2024, 4, 1), "", "status", "Van ‘nulmeting’ kan niet naar ‘aangepakt’."),
    ([S.CONFIRMED], S.TACKLED, date(2024, 4, 1), "", "reason", "Koppel eerst een maatregel of geef aan hoe de locatie is aangepakt."),
    ([], S.REFUTED, date(2024, 4, 1), "", "reason", "Geef aan waarom het vermoeden is ontkracht."),
    ([], S.IN_VIEW, date(2024, 2, 1), "", "on", "De datum ligt vóór de vorige status (01-03-2024)."),
    ([], S.IN_VIEW, None, "", None, None),  # today: allowed
    ([], "weg", date(2024, 4, 1), "", "status", "Onbekende status."),
])
def test_status_change_refusals(access, park, steps, status, on, reason, field, message):
    for step in steps:
        risk.change_status(access, park, step, on=date(2024, 3, 15), reason="bevestigd")
    before = RiskLocationEvent.objects.count()
    if field is None:
        risk.change_status(access, park, status, on=on)
        assert RiskLocationEvent.objects.count() == before + 1
        return
    with pytest.raises(ValidationError) as refused:
        risk.change_status(access, park, status, on=on, reason=reason)
    assert refused.value.message_dict[field] == [message]
    assert RiskLocationEvent.objects.count() == before


def test_future_date_is_refused(access, park):
    with pytest.raises(ValidationError, match="De datum ligt in de toekomst."):
        risk.change_status(access, park, S.IN_VIEW, on=timezone.localdate() + timedelta(days=1))


def test_tackled_with_a_reason_needs_no_measure(access, park):
    risk.change_status(access, park, S.CONFIRMED, on=date(2024, 4, 1))
    risk.change_status(access, park, S.TACKLED, on=date(2024, 6, 1), reason="Gesprek met de eigenaar; huurders vertrokken")
    assert RiskLocation.unscoped.get(pk=park.pk).status == S.TACKLED


def test_other_municipality_cannot_write(town, park):
    access_b = access_for_user(town["coordinator_b"])
    with pytest.raises(ValidationError, match="eigen gemeente"):
        risk.change_status(access_b, park, S.IN_VIEW)
    with pytest.raises(ValidationError, match="eigen gemeente"):
        risk.update_location(access_b, park, name="Overgenomen")
    measure_b = make_measure(access_b, town["orgs"]["b"])
    with pytest.raises(ValidationError, match="eigen gemeente"):
        risk.link_measure(access_for_user(town["coordinator"]), park, measure_b)
    assert RiskLocation.unscoped.get(pk=park.pk).name == "Bedrijvenpark De Raaf"


def test_link_record_is_the_generic_hook_for_controls(town, access, park):
    measure = make_measure(access, town["orgs"]["a"])  # any record of the own municipality
    risk.link_record(access, park, measure)
    risk.link_record(access, park, measure)  # idempotent
    assert RiskLocationLink.objects.filter(location=park).count() == 1
    assert risk.linked_ids(park, type(measure)) == [measure.pk]
    assert audit(park, AuditEntry.Action.UPDATE).filter(detail__gekoppeld="measures.measure").count() == 2


def test_update_location_is_audited_and_validated(access, park):
    risk.update_location(access, park, name="De Raaf Noord", branch="opslag")
    entry = audit(park, AuditEntry.Action.UPDATE).last()
    assert entry.detail == {"velden": ["branch", "name"]}
    with pytest.raises(ValidationError):
        risk.update_location(access, park, kind="kasteel")
    with pytest.raises(ValidationError, match="Onbekende velden: status"):
        risk.update_location(access, park, status=S.TACKLED)


def test_counts_per_status_per_year(town, access):
    def location(name, start, *steps):
        loc = risk.create_location(access, kind="pand", name=name, on=start)
        for status, on in steps:
            risk.change_status(access, loc, status, on=on, reason="toelichting")
        return loc

    location("A", date(2023, 2, 1), (S.IN_VIEW, date(2023, 6, 1)), (S.CONFIRMED, date(2024, 1, 10)), (S.TACKLED, date(2024, 8, 1)))
    location("B", date(2023, 5, 1), (S.REFUTED, date(2024, 3, 1)))
    location("C", date(2024, 4, 1))
    location("D", date(2024, 5, 1), (S.CONFIRMED, date(2024, 6, 1)))
    # another municipality's register is not counted
    risk.create_location(access_for_user(town["coordinator_b"]), kind="pand", name="Buren", on=date(2023, 1, 1))
    with as_user(town["coordinator"]):
        rows = {r["year"]: r for r in risk.counts_per_year(RiskLocation.objects.all())}
    assert rows[2023]["nieuw"] == 2 and rows[2023][S.IN_VIEW] == 1 and rows[2023]["open"] == 2
    assert (rows[2024]["nieuw"], rows[2024][S.CONFIRMED], rows[2024][S.REFUTED], rows[2024][S.TACKLED]) == (2, 2, 1, 1)
    assert rows[2024]["open"] == 2  # C in the baseline, D confirmed; A tackled, B refuted
    assert rows[2024]["counts"] == [2, 0, 2, 1, 1, 2]
    assert set(rows) >= {2023, 2024, 2025, 2026} and rows[2025]["open"] == 2 and rows[2025]["nieuw"] == 0
    with as_user(town["coordinator"]):
        only_panden_confirmed = risk.counts_per_year(RiskLocation.objects.filter(status=S.CONFIRMED))
    assert only_panden_confirmed[0]["year"] == 2024 and only_panden_confirmed[0]["nieuw"] == 1


def test_need_to_know_roles_without_cases_see_no_risk_locations(town, park):
    with as_user(town["boa"]):  # boa: AREAS and SUBJECTS, no CASES
        assert RiskLocation.objects.count() == 0
    with as_user(town["jurist"]):  # jurist: CASES
        assert list(RiskLocation.objects.values_list("pk", flat=True)) == [park.pk]
    with as_user(town["coordinator_b"]):  # CASES, but another municipality
        assert RiskLocation.objects.count() == 0
