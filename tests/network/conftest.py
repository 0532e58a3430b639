"""A small constructed network in gemeente A (and a little in B), with users per role.

    Jan (persoon) --bestuur--> Alfa, Beta, Gamma B.V. (all at Havenstraat 1)
    Jan --familie--> Piet --bekende--> Klaas --bekende--> Kees       (hops 1, 2, 3)
    Jan --bekende--> Geheim (zeer geheim: above the analyst's clearance)
    Jan --bekende--> Bert (owned by gemeente B: never visible to A)
    Kees, Klaas, Piet, Mo start living at Dokweg 7 within 20 days (snelle inschrijvingen)
    Jan named in a MMA signal and a BOA signal (kanalen) with Alfa B.V.; case CAS-T-1 about Jan.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from regie.accounts.access import access_for_user
from regie.accounts.roles import Role
from regie.cases.models import Case, CaseSubject
from regie.intake.models import Signal, SignalSubject
from regie.network.models import AnalysisAssignment
from regie.subjects.models import Address, Company, Person, Relation, Statement

D = dt.date


def _relation(org, kind, source, target, *, start=None, end=None, role="", level=3, source_name="KvK-uittreksel"):
    rel = Relation.objects.create(
        owner=org, confidentiality=level, kind=kind, role=role, start_date=start, end_date=end,
        source_type=ContentType.objects.get_for_model(type(source)), source_id=source.pk,
        target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk,
    )
    Statement.objects.create(owner=org, confidentiality=level, subject_type=ContentType.objects.get_for_model(Relation),
                             subject_id=rel.pk, source=source_name, date=start or D(2025, 1, 1), reference=f"regel {rel.pk}")
    return rel


@pytest.fixture
def net(orgs, make_user):
    a, b = orgs["a"], orgs["b"]
    haven = Address.objects.create(owner=a, street="Havenstraat", house_number=1, postcode="1234AB", city="Aastad")
    dok = Address.objects.create(owner=a, street="Dokweg", house_number=7, postcode="1234AC", city="Aastad")
    jan = Person.objects.create(owner=a, first_names="Jan", surname="Visser", bsn="")
    piet = Person.objects.create(owner=a, first_names="Piet", surname="Visser")
    klaas = Person.objects.create(owner=a, first_names="Klaas", surname="Bakker")
    kees = Person.objects.create(owner=a, first_names="Kees", surname="Smit")
    mo = Person.objects.create(owner=a, first_names="Mo", surname="Amrani")
    geheim = Person.objects.create(owner=a, first_names="Geheim", surname="Persoon", confidentiality=8)
    bert = Person.objects.create(owner=b, first_names="Bert", surname="Buiten")
    companies = [Company.objects.create(owner=a, name=n, legal_form="bv", address=haven, sbi_code="86101")
                 for n in ("Alfa", "Beta", "Gamma")]
    for c in companies:
        Statement.objects.create(owner=a, subject_type=ContentType.objects.get_for_model(Company), subject_id=c.pk,
                                 source="KvK-uittreksel", date=D(2024, 6, 1), reference=f"kvk {c.name}")
    for i, c in enumerate(companies):
        _relation(a, Relation.Kind.DIRECTORSHIP, jan, c, start=D(2020 + i, 1, 1), role="bestuurder")
    _relation(a, Relation.Kind.FAMILY, jan, piet, role="broer", source_name="BRP")
    _relation(a, Relation.Kind.ASSOCIATE, piet, klaas, start=D(2024, 5, 1), end=D(2024, 12, 31), source_name="signaal M-1")
    _relation(a, Relation.Kind.ASSOCIATE, klaas, kees, start=D(2025, 2, 1), source_name="signaal M-2")
    _relation(a, Relation.Kind.ASSOCIATE, jan, geheim, level=3)
    _relation(a, Relation.Kind.ASSOCIATE, jan, bert, level=3)
    for i, p in enumerate((kees, klaas, piet, mo)):
        _relation(a, Relation.Kind.OCCUPANCY, p, dok, start=D(2025, 3, 1) + dt.timedelta(days=5 * i), source_name="BRP")
    s1 = Signal.objects.create(owner=a, reference="SIG-T-1", channel="mma", text="Melding over Jan", received_at=timezone.now() - dt.timedelta(days=30))
    s2 = Signal.objects.create(owner=a, reference="SIG-T-2", channel="boa", text="Waarneming", received_at=timezone.now() - dt.timedelta(days=3))
    SignalSubject.objects.create(signal=s1, person=jan, method="naam")
    SignalSubject.objects.create(signal=s1, company=companies[0], method="naam")
    SignalSubject.objects.create(signal=s2, person=jan, method="naam")
    case = Case.objects.create(owner=a, reference="CAS-T-1", title="Havenstraat")
    CaseSubject.objects.create(case=case, person=jan)
    case_b = Case.objects.create(owner=b, reference="CAS-T-B", title="Elders")
    users = {
        "analist": make_user(role=Role.ANALIST, org=a),
        "coordinator": make_user(role=Role.COORDINATOR, org=a),
        "boa": make_user(role=Role.BOA, org=a),
        "jurist": make_user(role=Role.JURIST, org=a),
        "analist_b": make_user(role=Role.ANALIST, org=b),
    }
    assignment = AnalysisAssignment.objects.create(
        owner=a, title="Zorgfraude Havengebied", description="Analyse van zorgaanbieders rond de haven",
        analyst=users["analist"], starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() + dt.timedelta(days=60))
    return SimpleNamespace(
        a=a, b=b, haven=haven, dok=dok, jan=jan, piet=piet, klaas=klaas, kees=kees, mo=mo, geheim=geheim, bert=bert,
        companies=companies, s1=s1, s2=s2, case=case, case_b=case_b, assignment=assignment, **users,
        access=access_for_user(users["analist"]),
    )


def node(obj) -> str:
    label = {"person": "persoon", "company": "bedrijf", "address": "adres"}[type(obj)._meta.model_name]
    return f"{label}:{obj.pk}"
