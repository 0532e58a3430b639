"""Issue 8, point 1, in the UI: a subject's page shows its relations (with dates and role) and its
provenance; the other end of a relation only if the caller may see it."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from regie.accounts.roles import Role
from regie.subjects.models import Company, Relation, Statement
from tests.conftest import verified_client

from .conftest import assign, make_company, make_person


def _ct(obj):
    return ContentType.objects.get_for_model(type(obj))


def _relation(org, kind, source, target, **extra):
    return Relation.unscoped.create(owner=org, kind=kind, source_type=_ct(source), source_id=source.pk,
                                    target_type=_ct(target), target_id=target.pk, **extra)


def test_detail_shows_relations_and_provenance_within_sight(orgs, make_user):
    user = make_user(role=Role.BOA, org=orgs["a"])  # clearance 4
    company = make_company(orgs["a"], name="Proefhandel", trade_names=["Snack Proef", "Proefje"])
    director = make_person(orgs["a"], surname="Bestuurder")
    hidden = make_person(orgs["a"], surname="Geheimhouder", level=7)
    _relation(orgs["a"], "directorship", director, company, role="bestuurder", start_date=date(2020, 1, 2))
    _relation(orgs["a"], "employment", hidden, company, role="kok")
    _relation(orgs["a"], "associate", make_person(orgs["a"], surname="Verborgen"), company, confidentiality=7)
    other_town = make_company(orgs["b"], name="Elders")
    _relation(orgs["b"], "ownership", make_person(orgs["b"], surname="Vreemde"), other_town)
    Statement.unscoped.create(owner=orgs["a"], subject_type=_ct(company), subject_id=company.pk, source="KvK-uittreksel",
                              date=date(2026, 3, 1), reference="kvk.csv regel 2")
    assign(user, company)
    page = verified_client(user).get(f"/subjecten/bedrijven/{company.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Snack Proef, Proefje" in text
    assert "bestuur" in text and "02-01-2020" in text and f"/subjecten/personen/{director.pk}/" in text
    assert "dienstverband" in text and "niet zichtbaar" in text and "Geheimhouder" not in text
    assert "Verborgen" not in text and "bekende" not in text  # the relation itself is above clearance
    assert "Vreemde" not in text
    assert "KvK-uittreksel, 01-03-2026 (kvk.csv regel 2)" in text
    assert Company.unscoped.count() == 2
