from datetime import UTC, datetime, timedelta

import pytest

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.intake import services as intake
from tests.conftest import as_user


@pytest.fixture
def town(orgs, make_user):
    """Gemeente A with its kernteam and other roles, the police, and Gemeente B's coordinator."""
    intake.install_default_rules(orgs["a"])
    people = {
        "coordinator": make_user(role=Role.COORDINATOR, org=orgs["a"], first_name="Carla", last_name="de Wit"),
        "analist": make_user(role=Role.ANALIST, org=orgs["a"]),
        "jurist": make_user(role=Role.JURIST, org=orgs["a"]),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=orgs["a"]),
        "boa": make_user(role=Role.BOA, org=orgs["a"]),
        "medewerker": make_user(role=Role.MEDEWERKER, org=orgs["a"]),
        "partner": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }
    return {"orgs": orgs, **people}


@pytest.fixture
def access(town):
    return access_for_user(town["coordinator"])


RECEIVED = datetime(2026, 1, 5, 10, tzinfo=UTC)


@pytest.fixture
def make_signal(town):
    """A signal of Gemeente A (or ``org``), triaged as ondermijning for the overleg unless told otherwise."""

    def make(text="Hennepgeur bij de loods", org=None, triaged=True, mentions=None, address=None, themes=(), level=None,
             received_at=RECEIVED):
        org = org or town["orgs"]["a"]
        data = intake.SignalInput(
            channel="counter", text=text, received_at=received_at, mentions=mentions or [], address=address,
            theme_codes=list(themes), confidentiality=level,
        )
        signal = intake.register(org, data).signal
        if triaged:
            user = town["coordinator"] if org == town["orgs"]["a"] else town["coordinator_b"]
            with as_user(user) as acting:
                intake.decide_triage(acting, signal, label="ondermijning", route="overleg",
                                     at=received_at + timedelta(days=2))
        return signal

    return make


def person(name="Kees de Vries"):
    return intake.MentionInput(kind="persoon", name=name)


def address(postcode="1234AB", number=10):
    return intake.AddressInput(postcode=postcode, house_number=number, street="Loodsweg", city="Aastad")
