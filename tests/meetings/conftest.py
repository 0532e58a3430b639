"""A municipality with its lokaal overleg, partners at the table with their sharing rules, and
triaged signals ready for the agenda."""

from datetime import timedelta

import pytest
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.intake import services as intake
from regie.meetings import services
from regie.meetings.models import Forum
from regie.organisations.models import Organisation
from regie.partners.models import PartnerProfile


def signal(town, text, *, themes=("drugs-productie",), severity="midden", person="Kees Hennep", postcode="1234AB", number=12):
    registered = intake.register(
        town["orgs"]["a"],
        intake.SignalInput(
            channel="internal", text=text, theme_codes=list(themes), severity=severity,
            address=intake.AddressInput(postcode=postcode, house_number=number, street="Kanaalweg", city="Aastad"),
            mentions=[intake.MentionInput(kind="persoon", name=person)] if person else [],
        ),
        actor=town["access"],
    )
    return intake.decide_triage(town["access"], registered.signal, label="ondermijning", route="overleg")


@pytest.fixture
def town(orgs, make_user):
    return build_town(orgs, make_user)


def build_town(orgs, make_user):
    a = orgs["a"]
    intake.install_default_rules(a)
    intake.install_default_rules(orgs["b"])
    corporatie = Organisation.objects.create(name="Woningstichting Test", kind=Organisation.Kind.WONINGCORPORATIE)
    riec = Organisation.objects.create(name="RIEC Test", kind=Organisation.Kind.RIEC)
    people = {
        "coordinator": make_user(role=Role.COORDINATOR, org=a, first_name="Carla", last_name="de Wit"),
        "analist": make_user(role=Role.ANALIST, org=a),
        "boa": make_user(role=Role.BOA, org=a, first_name="Bram", last_name="Jansen"),
        "burgemeester": make_user(role=Role.BURGEMEESTER, org=a),
        "raadslid": make_user(role=Role.RAADSLID, org=a, device=False),
        "politie": make_user(role=Role.PARTNER, org=orgs["politie"]),
        "corporatie": make_user(role=Role.PARTNER, org=corporatie),
        "riec": make_user(role=Role.PARTNER, org=riec),
        "coordinator_b": make_user(role=Role.COORDINATOR, org=orgs["b"]),
    }
    PartnerProfile.objects.create(
        owner=a, partner=orgs["politie"], legal_basis="Convenant RIEC Test 2024, art. 5",
        may_receive=["onderwerp", "locatie", "personen", "bedrijven", "omschrijving", "verrijking", "besluiten"],
    )
    # the housing corporation sits at the table for premises only: subject and address, no names
    PartnerProfile.objects.create(
        owner=a, partner=corporatie, legal_basis="Convenant Wonen en Veiligheid, art. 3",
        may_receive=["onderwerp", "locatie"], theme_codes=["drugs-productie", "vastgoed"],
    )
    PartnerProfile.objects.create(
        owner=a, partner=riec, legal_basis="Convenant RIEC Test 2024, art. 7",
        may_receive=["onderwerp", "personen", "omschrijving"],
    )
    services.install_default_forums(a)
    access = access_for_user(people["coordinator"])
    forum = Forum.objects.visible_to(access).get(kind=Forum.Kind.LOCAL)
    forum.members.set([orgs["politie"], corporatie])
    meeting = services.plan_meeting(access, forum, timezone.now() + timedelta(days=2))
    return {"orgs": {**orgs, "corporatie": corporatie, "riec": riec}, **people, "access": access, "forum": forum,
            "meeting": meeting}
