"""'Wat weten we al' on a signal lists the measures on the same persons, companies and premises
(intake issue, point 4: enrichment from the later rooms)."""

from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType

from regie.accounts.access import access_for_user
from regie.accounts.models import Assignment
from regie.intake import enrichment
from regie.intake import services as intake
from regie.subjects.models import Address
from tests.conftest import verified_client

from .conftest import closure, measure

TITLE = "Maatregelen op dezelfde subjecten, hetzelfde adres of hetzelfde pand"


def _signal(org, number=12, letter=""):
    data = intake.SignalInput(
        channel="counter", text="Weer hennepgeur bij het pand", received_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        address=intake.AddressInput(postcode="1234AB", house_number=number, house_letter=letter, street="Kanaalweg", city="Aastad"),
        mentions=[],
    )
    return intake.register(org, data).signal


def _page(user, signal) -> str:
    Assignment.objects.get_or_create(user=user, content_type=ContentType.objects.get_for_model(type(signal)), object_id=signal.pk)
    return verified_client(user).get(f"/signalen/{signal.pk}/").content.decode()


def test_signal_page_lists_measures_on_the_same_premises(town, access):
    org = town["orgs"]["a"]
    first = _signal(org)
    premises = Address.objects.visible_to(access).get(pk=first.address_id)
    closed = closure(access, org, address=premises.pk)
    elsewhere = measure(access, org, description="Dwangsom Havenstraat 3")  # no address: not related
    # the same building under another house letter is the same pand
    later = _signal(org, letter="A")
    page = _page(town["coordinator"], later)
    assert f"{TITLE} (1)" in page
    assert closed.reference in page and "Hennepkwekerij Kanaalweg 12" in page
    assert elsewhere.reference not in page


def test_measures_of_another_municipality_or_without_the_category_stay_hidden(town, access):
    org = town["orgs"]["a"]
    signal = _signal(org)
    premises = Address.objects.visible_to(access).get(pk=signal.address_id)
    closure(access, org, address=premises.pk)
    # Gemeente B's signal on the same postcode and number: A's measure is not B's business
    neighbour = _signal(town["orgs"]["b"])
    assert f"{TITLE} (0)" in _page(town["coordinator_b"], neighbour)
    # a role that may read signals but not measures (a partner) gets an empty section
    keys = enrichment.keys_of(signal)
    from regie.measures.enrichment import measures_section

    assert measures_section(access_for_user(town["partner"]), signal, keys).count == 0
    assert measures_section(access_for_user(town["coordinator"]), signal, keys).count == 1
