"""The catalogue of kinds and domains: a default per municipality, kept by the coördinator or the
functioneel beheerder, audited, and never shared between municipalities."""

from django.urls import reverse

from regie.audit.models import AuditEntry
from regie.measures import services
from regie.measures.catalogue import DEFAULT_DOMAINS, DEFAULT_KINDS
from regie.measures.models import MeasureDomain, MeasureKind
from tests.conftest import verified_client


def test_the_default_catalogue_is_installed_once_per_municipality(town):
    a, b = town["orgs"]["a"], town["orgs"]["b"]
    assert services.kinds_for(a.pk).count() == len(DEFAULT_KINDS) and services.domains_for(b.pk).count() == len(DEFAULT_DOMAINS)
    assert services.install_default_catalogue(a) == 0  # idempotent
    codes = set(services.kinds_for(a.pk).values_list("code", flat=True))
    assert {"waarschuwing", "sluiting-13b", "sluiting-seksbranche", "sluiting-174a", "last-onder-dwangsom",
            "last-onder-bestuursdwang", "bestuurlijke-boete", "machtiging-binnentreden", "vergunning", "handhaving-dor",
            "uitkering"} <= codes
    assert MeasureKind.objects.get(organisation=a, code="sluiting-13b").requires_weighing
    assert {d.code for d in services.domains_for(a.pk)} >= {"seksbranche", "drugspanden", "drugsdealen", "coffeeshops",
                                                             "explosies", "dor"}


def test_the_beheerder_adds_a_kind_and_a_domain_and_switches_one_off(town):
    client = verified_client(town["beheerder"])
    assert client.get(reverse("measures:catalogue")).status_code == 200
    response = client.post(reverse("measures:catalogue"), {
        "what": "kind", "soort-name": "Gebiedsverbod", "soort-category": "overig", "soort-legal_basis": "APV art. 2:79",
        "soort-requires_voornemen": "on", "soort-zienswijze_days": 7,
    })
    assert response.status_code == 302
    kind = MeasureKind.objects.get(organisation=town["orgs"]["a"], name="Gebiedsverbod")
    assert (kind.code, kind.zienswijze_days, kind.requires_voornemen) == ("gebiedsverbod", 7, True)
    assert not MeasureKind.objects.filter(organisation=town["orgs"]["b"], name="Gebiedsverbod").exists()
    client.post(reverse("measures:catalogue"), {"what": "domain", "domein-name": "Vakantieparken",
                                                "domein-instrument_rows": ["sluiting"]})
    domain = MeasureDomain.objects.get(organisation=town["orgs"]["a"], name="Vakantieparken")
    assert domain.instrument_rows == ["sluiting"]
    client.post(reverse("measures:catalogue"), {"what": "toggle_kind", "item": kind.pk})
    kind.refresh_from_db()
    assert not kind.active and kind not in services.kinds_for(town["orgs"]["a"].pk)
    actions = AuditEntry.objects.filter(object_type__in=["measures.measurekind", "measures.measuredomain"]).exclude(action="list")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "create", "update"]


def test_duplicates_and_other_municipalities_items_are_refused(town):
    client = verified_client(town["coordinator"])
    response = client.post(reverse("measures:catalogue"), {"what": "kind", "soort-name": "Last onder dwangsom",
                                                           "soort-category": "dwangsom", "soort-zienswijze_days": 14})
    assert response.status_code == 400 and "staat al in de catalogus" in response.content.decode()
    foreign = MeasureKind.objects.filter(organisation=town["orgs"]["b"]).first()
    response = client.post(reverse("measures:catalogue"), {"what": "toggle_kind", "item": foreign.pk})
    foreign.refresh_from_db()
    assert foreign.active and response.status_code == 302
    response = client.post(reverse("measures:catalogue"), {"what": "install"})
    assert "al volledig aanwezig" in client.get(response["Location"]).content.decode()


def test_only_the_catalogue_keepers_reach_it(town):
    for role, status in (("jurist", 403), ("burgemeester", 403), ("raadslid", 403), ("coordinator", 200)):
        assert verified_client(town[role]).get(reverse("measures:catalogue")).status_code == status, role


def test_a_new_municipality_installs_the_default_catalogue_from_the_page(town):
    MeasureKind.objects.filter(organisation=town["orgs"]["a"]).delete()
    MeasureDomain.objects.filter(organisation=town["orgs"]["a"]).delete()
    client = verified_client(town["coordinator"])
    assert "nog leeg" in client.get(reverse("measures:list")).content.decode()
    client.post(reverse("measures:catalogue"), {"what": "install"})
    assert services.kinds_for(town["orgs"]["a"].pk).count() == len(DEFAULT_KINDS)
    entry = AuditEntry.objects.get(object_type="measures.measurekind", action=AuditEntry.Action.CREATE)
    assert entry.detail == {"standaardcatalogus": len(DEFAULT_KINDS) + len(DEFAULT_DOMAINS)}
