"""`regie demo-data`: reproducible, plausible, clearly fictitious, and safe to run twice."""

from __future__ import annotations

import base64
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from regie.accounts.access import access_for_user
from regie.accounts.models import User
from regie.accounts.roles import Role
from regie.areas.services import buurt_for_postcode
from regie.audit.chain import verify
from regie.audit.models import AuditEntry
from regie.demo import builder
from regie.organisations.access import system_access, use_access
from regie.organisations.models import Organisation
from regie.subjects.models import Address, Company, Person

SMALL = "0.05"


def run(*args) -> str:
    out = StringIO()
    call_command("demo-data", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple]]:
    """The generated content in insertion order, without primary keys (they differ across databases)."""
    with system_access("test: compare demo data"):
        return {
            "persons": list(
                Person.objects.order_by("pk").values_list(
                    "owner__name", "first_names", "initials", "surname_prefix", "surname", "birth_date", "bsn",
                    "address__postcode", "confidentiality",
                )
            ),
            "companies": list(
                Company.objects.order_by("pk").values_list("owner__name", "name", "legal_form", "kvk_number", "address__postcode")
            ),
            "addresses": list(
                Address.objects.order_by("pk").values_list(
                    "owner__name", "street", "house_number", "house_letter", "addition", "postcode", "buurt__code"
                )
            ),
        }


def build_and_forget(*args) -> dict[str, list[tuple]]:
    """Build the demo, take a snapshot and roll everything back, so the next build starts empty."""
    with transaction.atomic():
        run(*args)
        result = snapshot()
        transaction.set_rollback(True)
    return result


# One demo build (about a minute on PostgreSQL, where the measures and Bibob histories are made
# through the services) serves every check of its content: each check is a subtest of
# test_the_demo_municipality at the end of this module, in the order listed there.


# --- reproducibility and scale -------------------------------------------------------------


def test_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = build_and_forget("--seed", "7", "--scale", SMALL)
    again = build_and_forget("--seed", "7", "--scale", SMALL)
    other = build_and_forget("--seed", "8", "--scale", SMALL)
    assert first["persons"], "no persons built"
    for kind in ("persons", "companies", "addresses"):
        assert first[kind] == again[kind], kind
        assert first[kind] != other[kind], kind
    names = lambda snap: [(p[3], p[4]) for p in snap["persons"]]  # noqa: E731
    assert names(first) != names(other)


@pytest.mark.parametrize("scale", [0.1, 2])
def test_scale_multiplies_the_rows(db, scale, subtests):
    output = run("--seed", "3", "--scale", str(scale))
    with system_access("test: count demo data"):
        counts = {"persons": Person.objects.count(), "companies": Company.objects.count(), "addresses": Address.objects.count()}
    # scale 1 is 3,000 persons, 600 companies and 2,000 addresses, plus a fifth for the neighbour;
    # the network room adds a fixed constructed network of four care firms (regie.network.demo)
    expected = {"persons": 3600 * scale, "companies": 720 * scale + 4, "addresses": 2400 * scale}
    for kind, count in counts.items():
        assert abs(count - expected[kind]) <= 2, (kind, count, expected[kind])
    assert f"{counts['persons']} personen" in output
    if scale == 0.1:  # enough companies to see every common legal form, without another build
        with subtests.test(msg="companies have the common legal forms"):
            check_companies_have_the_common_legal_forms()


@pytest.mark.parametrize("scale", ["0", "-1"])
def test_scale_must_be_positive(db, scale):
    with pytest.raises(CommandError, match="groter dan 0"):
        run("--scale", scale)
    assert not Organisation.objects.exists()


# --- the content -----------------------------------------------------------------------------


def check_every_bsn_is_a_valid_test_number_and_unique(demo):
    bsns = [row[6] for row in snapshot()["persons"] if row[6]]
    assert len(bsns) > len(snapshot()["persons"]) // 2, "most demo persons should have a BSN"
    assert len(bsns) == len(set(bsns)), "two demo persons share a BSN"
    for number in bsns:
        assert stdnum_bsn.is_valid(number), number
        assert 999_990_000 <= int(number) <= 999_999_999, number


def test_bsn_pool_holds_only_valid_test_numbers():
    import random

    pool = builder.bsn_pool(random.Random(1))
    assert len(pool) == len(set(pool)) > 800
    assert all(stdnum_bsn.is_valid(n) and n.startswith("99999") for n in pool)


def check_surname_particles_are_split_off(demo):
    persons = snapshot()["persons"]
    prefixes = {row[3] for row in persons if row[3]}
    assert prefixes & {"van der", "van den", "van de", "de", "van"}, prefixes
    assert prefixes <= set(builder.PARTICLES), prefixes - set(builder.PARTICLES)
    for row in persons:
        surname = row[4].lower()
        assert not any(surname.startswith(p + " ") for p in builder.PARTICLES), row[4]
        assert row[5] and date(1940, 1, 1) <= row[5] <= date(2010, 1, 1)
        assert row[2] == "".join(f"{n[0]}." for n in row[1].split())


def test_split_surname():
    assert builder.split_surname("van der Ploeg") == ("van der", "Ploeg")
    assert builder.split_surname("Ploeg, van der") == ("van der", "Ploeg")
    assert builder.split_surname("de Vries") == ("de", "Vries")
    assert builder.split_surname("Jansen") == ("", "Jansen")
    assert builder.split_surname("Devries") == ("", "Devries")


def check_companies_have_the_common_legal_forms():
    companies = snapshot()["companies"]
    forms = {row[2] for row in companies}
    assert {"bv", "vof", "eenmanszaak", "stichting"} <= forms, forms
    for _, name, form, kvk, postcode in companies:
        assert len(kvk) == 8 and kvk.isdigit()
        assert postcode, "every company has an address"
        if form == "stichting":
            assert name.startswith("Stichting ")
        # the legal form is a field, never baked into the name as well
        assert not name.endswith((" BV", " B.V.", " NV", " N.V."))


def check_addresses_are_valid_and_lie_in_a_buurt(demo):
    with system_access("test: inspect demo addresses"):
        addresses = list(Address.objects.select_related("buurt"))
    assert addresses
    for address in addresses:
        assert stdnum_postcode.is_valid(address.postcode), address.postcode
        assert address.buurt is not None, address
        assert address.buurt.owner_id == address.owner_id
        assert address.postcode[:4] in address.buurt.postcode_areas.split(",")
        with system_access("test: resolve buurt"):
            assert buurt_for_postcode(address.owner_id, address.postcode) == address.buurt
    assert any(a.addition for a in addresses), "no address has a toevoeging"
    assert any(a.house_letter for a in addresses), "no address has a huisletter"


def check_dated_region_membership(demo):
    noordhaven = Organisation.objects.get(name=builder.NEIGHBOUR)
    in_2023 = {r.name for r in noordhaven.regions_on(date(2023, 6, 1))}
    in_2024 = {r.name for r in noordhaven.regions_on(date(2024, 6, 1))}
    assert "District Middenland-West" in in_2023 and "District Ravenstede-Noord" not in in_2023
    assert "District Ravenstede-Noord" in in_2024 and "District Middenland-West" not in in_2024
    assert "RIEC-regio Middenland" in in_2023 & in_2024


# --- users ---------------------------------------------------------------------------------


def check_one_user_per_role_with_a_second_factor_where_needed(demo):
    users = list(User.objects.all())
    assert {u.role for u in users} == set(Role.values)
    for user in users:
        assert user.check_password(builder.DEMO_PASSWORD), user.username
        if user.needs_second_factor:
            assert TOTPDevice.objects.filter(user=user, confirmed=True).exists(), user.username


def check_demo_users_see_only_their_own_municipality(demo):
    coordinator = User.objects.get(username="coordinator")
    neighbour = User.objects.get(username="coordinator.noordhaven")
    with use_access(access_for_user(coordinator)):
        own = set(Person.objects.values_list("owner__name", flat=True))
    with use_access(access_for_user(neighbour)):
        theirs = set(Person.objects.values_list("owner__name", flat=True))
    assert own == {builder.MUNICIPALITY}
    assert theirs == {builder.NEIGHBOUR}


def check_output_prints_the_logins_and_the_totp_secret(demo):
    assert "Demogemeente aangemaakt" in demo
    assert builder.DEMO_PASSWORD in demo
    assert base64.b32encode(bytes.fromhex(builder.DEMO_TOTP_KEY)).decode() in demo
    for username, *_ in builder.DEMO_USERS:
        assert f"  {username} " in demo, username


def check_the_build_is_audited_and_the_chain_holds(demo):
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SYSTEM)
    assert entry.detail["command"] == "demo-data"
    assert entry.detail["seed"] == 1
    assert verify()[1] is None


# --- running twice -------------------------------------------------------------------------


def check_running_twice_fails_with_a_dutch_message(demo):
    with pytest.raises(CommandError, match="De demogemeente bestaat al"):
        run("--seed", "1", "--scale", SMALL)


def check_if_empty_does_nothing_the_second_time(demo):
    before = snapshot()
    users = User.objects.count()
    output = run("--seed", "2", "--scale", SMALL, "--if-empty")
    assert "er is niets toegevoegd" in output
    assert builder.DEMO_PASSWORD in output  # still prints the logins
    assert snapshot() == before
    assert User.objects.count() == users
    assert Organisation.objects.filter(name=builder.MUNICIPALITY).count() == 1


# --- one build, every check ------------------------------------------------------------------

CHECKS = [
    check_every_bsn_is_a_valid_test_number_and_unique,
    check_surname_particles_are_split_off,
    check_addresses_are_valid_and_lie_in_a_buurt,
    check_dated_region_membership,
    check_one_user_per_role_with_a_second_factor_where_needed,
    check_demo_users_see_only_their_own_municipality,
    check_output_prints_the_logins_and_the_totp_secret,
    check_the_build_is_audited_and_the_chain_holds,
    # these two run the command again: last
    check_running_twice_fails_with_a_dutch_message,
    check_if_empty_does_nothing_the_second_time,
]


def test_the_demo_municipality(db, subtests):
    demo = run("--seed", "1", "--scale", SMALL)
    for check in CHECKS:
        with subtests.test(msg=check.__name__.removeprefix("check_").replace("_", " ")):
            check(demo)


def test_every_check_of_the_demo_is_run():
    defined = {name for name, value in globals().items() if name.startswith("check_") and callable(value)}
    assert defined == {check.__name__ for check in CHECKS} | {"check_companies_have_the_common_legal_forms"}
