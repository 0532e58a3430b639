"""The sharing rules other rooms ask before they show or send anything to a partner."""

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import PARTNERS
from regie.organisations.access import organisation_access
from regie.partners.sharing import (
    FIELD_GROUPS,
    basis_for,
    filter_fields,
    may_receive_item,
    profile_for,
    receivable_fields,
)

from .conftest import make_profile

SNAPSHOT = {
    "titel": "Hennepkwekerij Kerkstraat",
    "onderwerp": "drugs-productie, zwaarte hoog",
    "locatie": "Kerkstraat 1, Centrum",
    "personen": ["Piet Jansen (01-02-1980)"],
    "bedrijven": ["Bakkerij Brood BV (12345678)"],
    "omschrijving": "Sterke hennepgeur",
    "verrijking": {"signalen": 3},
    "besluiten": ["Bestuurlijke rapportage opvragen"],
}


@pytest.fixture
def registry(people, partner_orgs):
    o = partner_orgs
    return {
        "woco": make_profile(o["a"], o["woco"], may_receive=["onderwerp", "locatie"],
                             theme_codes=["drugs-productie", "vastgoed"], legal_basis="Convenant Woonoverlast 2024, art. 4"),
        "riec": make_profile(o["a"], o["riec"], may_receive=list(FIELD_GROUPS)),
        "fiscus": make_profile(o["a"], o["fiscus"], may_receive=["personen"], active=False),
        # gemeente B keeps its own registry: the police receive everything there, nothing here
        "b-politie": make_profile(o["b"], o["politie"], may_receive=list(FIELD_GROUPS), legal_basis="Convenant Bedorp"),
    }


@pytest.fixture
def gemeente(people):
    return access_for_user(people["coordinator"])


def test_receivable_fields_follow_the_active_profile(registry, gemeente, partner_orgs):
    assert receivable_fields(gemeente, partner_orgs["woco"]) == frozenset({"onderwerp", "locatie"})
    assert receivable_fields(gemeente, partner_orgs["riec"]) == frozenset(FIELD_GROUPS)
    assert receivable_fields(gemeente, partner_orgs["riec"].pk) == frozenset(FIELD_GROUPS)  # an id works too
    assert receivable_fields(gemeente, partner_orgs["fiscus"]) == frozenset()  # inactive
    assert receivable_fields(gemeente, partner_orgs["politie"]) == frozenset()  # only in B's registry
    assert profile_for(gemeente, partner_orgs["politie"]) is None
    assert profile_for(gemeente, partner_orgs["woco"]) == registry["woco"]


def test_the_registry_is_read_through_the_owners_scope(registry, people, partner_orgs):
    b = access_for_user(people["coordinator_b"])
    assert receivable_fields(b, partner_orgs["politie"]) == frozenset(FIELD_GROUPS)
    assert receivable_fields(b, partner_orgs["woco"]) == frozenset()
    # a role without the partners category sees no registry, so nothing may be shared
    assert receivable_fields(access_for_user(people["boa"]), partner_orgs["woco"]) == frozenset()
    # an organisation-wide access (an import, a background job) of gemeente A works as well
    job = organisation_access(partner_orgs["a"], "agenda", frozenset({PARTNERS}))
    assert receivable_fields(job, partner_orgs["woco"]) == frozenset({"onderwerp", "locatie"})


def test_the_municipality_itself_receives_everything_of_its_own(registry, gemeente, partner_orgs):
    assert receivable_fields(gemeente, partner_orgs["a"]) == frozenset(FIELD_GROUPS)
    assert may_receive_item(gemeente, partner_orgs["a"], set())


def test_may_receive_item_applies_the_theme_filter(registry, gemeente, partner_orgs):
    woco, riec = partner_orgs["woco"], partner_orgs["riec"]
    assert may_receive_item(gemeente, woco, {"drugs-productie", "witwassen"})
    assert not may_receive_item(gemeente, woco, {"witwassen"})
    assert not may_receive_item(gemeente, woco, set())  # a limited profile needs a matching theme
    assert may_receive_item(gemeente, riec, set())  # no theme filter: every item
    assert may_receive_item(gemeente, riec, {"witwassen"})
    assert not may_receive_item(gemeente, partner_orgs["fiscus"], {"witwassen"})  # inactive
    assert not may_receive_item(gemeente, partner_orgs["politie"], {"witwassen"})  # no profile here


def test_basis_for_names_the_convenant(registry, gemeente, partner_orgs):
    assert basis_for(gemeente, partner_orgs["woco"]) == "Convenant Woonoverlast 2024, art. 4"
    assert basis_for(gemeente, partner_orgs["fiscus"]) == ""
    assert basis_for(gemeente, partner_orgs["politie"]) == ""  # only gemeente B has a profile for it
    assert basis_for(None, partner_orgs["woco"]) == ""  # no access context: default deny


def test_filter_fields_keeps_only_allowed_groups_and_always_the_title():
    assert filter_fields(SNAPSHOT, frozenset({"onderwerp", "locatie"})) == {
        "titel": SNAPSHOT["titel"], "onderwerp": SNAPSHOT["onderwerp"], "locatie": SNAPSHOT["locatie"],
    }
    assert filter_fields(SNAPSHOT, frozenset()) == {"titel": SNAPSHOT["titel"]}
    assert filter_fields(SNAPSHOT, frozenset(FIELD_GROUPS)) == SNAPSHOT
    assert filter_fields({"onderwerp": "x"}, frozenset({"locatie"})) == {}


def test_woningcorporatie_sees_no_persons_in_a_filtered_snapshot(registry, gemeente, partner_orgs):
    shown = filter_fields(SNAPSHOT, receivable_fields(gemeente, partner_orgs["woco"]))
    assert "personen" not in shown and "bedrijven" not in shown and "omschrijving" not in shown
    assert shown["locatie"] == SNAPSHOT["locatie"]
