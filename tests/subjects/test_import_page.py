"""Issue 8, point 6, through HTTP: the upload page for the kernteam (all or nothing, errors with
their lines, audited) and the FtM download (audited, no BSN), refused to other roles."""

import pytest

from regie.accounts.roles import Role
from regie.audit.models import AuditEntry
from regie.subjects.models import Person
from tests.conftest import verified_client

from .conftest import VALID_BSN, make_person
from .registers import BRP_HEADER, brp_rows, csv_bytes


def _upload(client, kind, data, name="brp.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/subjecten/registers/importeren/", {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_analist_imports_a_brp_extract_through_the_page(orgs, make_user):
    client = verified_client(make_user(role=Role.ANALIST, org=orgs["a"]))
    response = _upload(client, "brp", csv_bytes(BRP_HEADER, brp_rows(3)))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Personen nieuw" in page.content.decode()
    assert Person.unscoped.filter(owner=orgs["a"]).count() == 3
    assert AuditEntry.objects.get(detail__import="brp").username.startswith("analist")


def test_a_bad_file_shows_every_error_and_writes_nothing(orgs, make_user):
    client = verified_client(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    rows = brp_rows(3)
    rows[1][0] = "123456789"
    response = _upload(client, "brp", csv_bytes(BRP_HEADER, rows))
    assert response.status_code == 400
    assert "regel 3: BSN: Geen geldig burgerservicenummer" in response.content.decode()
    assert Person.unscoped.count() == 0
    assert _upload(client, "ftm", b'{"id": "a", "schema": "Spaceship"}', "x.jsonl").status_code == 400


@pytest.mark.parametrize("role", [Role.BOA, Role.JURIST, Role.BEHEERDER, Role.RAADSLID])
def test_other_roles_may_not_import_or_download(orgs, make_user, role):
    client = verified_client(make_user(role=role, org=orgs["a"]))
    assert _upload(client, "brp", csv_bytes(BRP_HEADER, brp_rows(1))).status_code == 403
    assert client.get("/subjecten/registers/export.ftm.jsonl").status_code == 403
    assert Person.unscoped.count() == 0


def test_ftm_download_is_audited_and_has_no_bsn(orgs, make_user):
    make_person(orgs["a"], surname="Jansen", bsn=VALID_BSN)
    make_person(orgs["b"], surname="Elders")
    client = verified_client(make_user(role=Role.COORDINATOR, org=orgs["a"]))
    response = client.get("/subjecten/registers/export.ftm.jsonl")
    body = response.content.decode()
    assert response.status_code == 200 and "Jansen" in body and "Elders" not in body and VALID_BSN not in body
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, detail__format="followthemoney").count() == 1
