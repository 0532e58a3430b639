"""The informatiedelingsdocument: who sits at the table, why, and what each may share."""

import pytest

from regie.accounts.access import access_for_user
from regie.audit.models import AuditEntry
from regie.partners import documents
from tests.conftest import verified_client

from .conftest import make_contact, make_profile


@pytest.fixture
def registry(people, partner_orgs):
    o = partner_orgs
    woco = make_profile(o["a"], o["woco"], may_receive=["onderwerp", "locatie"], tasks="Verhuur van sociale huurwoningen",
                        powers="Ontbinding van de huurovereenkomst", may_bring="Signalen van huismeesters",
                        theme_codes=["drugs-productie"], legal_basis="Convenant Woonoverlast Aastad 2024, art. 4")
    make_contact(woco, name="Floor Bos", function="Huismeester", email="f.bos@woco.example")
    riec = make_profile(o["a"], o["riec"], may_receive=["onderwerp", "personen", "besluiten"],
                        legal_basis="Convenant RIEC Test 2023, art. 5 lid 2")
    inactive = make_profile(o["a"], o["fiscus"], legal_basis="Oud convenant", active=False)
    theirs = make_profile(o["b"], o["politie"], legal_basis="Convenant van Bedorp")
    return {"woco": woco, "riec": riec, "inactive": inactive, "theirs": theirs}


def exports():
    return AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_type="partners.partnerprofile")


def test_the_context_lists_each_organisation_with_its_rules(registry, people, partner_orgs):
    access = access_for_user(people["coordinator"])
    o = partner_orgs
    context = documents.sharing_document_context(access, [o["a"], o["woco"], o["riec"], o["politie"]], title="LOO Aastad")
    by_name = {entry["name"]: entry for entry in context["organisations"]}
    woco = by_name["Woningstichting Test"]
    assert woco["may_receive"] == ["Onderwerp, thema's en zwaarte", "Adres en buurt"]
    assert woco["tasks"] == "Verhuur van sociale huurwoningen" and woco["powers"] == "Ontbinding van de huurovereenkomst"
    assert woco["contacts"] == [{"name": "Floor Bos", "function": "Huismeester", "email": "f.bos@woco.example", "phone": ""}]
    assert woco["themes"] == ["Drugs: productie"]
    # the police have a profile only in gemeente B's registry: at this table they receive nothing
    assert by_name["Politie Testeenheid"]["has_profile"] is False and by_name["Politie Testeenheid"]["may_receive"] == []
    assert by_name["Gemeente Aastad"]["own"] is True
    assert context["legal_bases"] == ["Convenant RIEC Test 2023, art. 5 lid 2", "Convenant Woonoverlast Aastad 2024, art. 4"]
    matrix = {row["name"]: row["cells"] for row in context["matrix"]}
    assert matrix["Woningstichting Test"] == [True, True, False, False, False, False, False]
    assert [heading for heading, _ in context["general_rules"]][:2] == ["Doelbinding", "Geen verdere verstrekking"]


def test_the_html_document_for_the_registry_is_standalone_and_audited(registry, people):
    response = verified_client(people["analist"]).get("/partners/informatiedelingsdocument/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Informatiedelingsdocument lokaal overleg ondermijning — Gemeente Aastad" in page
    assert "Convenant Woonoverlast Aastad 2024, art. 4" in page and "Floor Bos" in page
    assert "Doelbinding" in page and "Geen verdere verstrekking" in page
    assert "Oud convenant" not in page  # an inactive profile is not at the table
    assert "Convenant van Bedorp" not in page  # another municipality's registry
    assert "web/base" not in page and "regie-nav" not in page  # printable on its own
    assert "partners/sharing_document.css" in page
    row = exports().get()
    assert row.username == people["analist"].username and row.detail["format"] == "html"
    assert row.detail["organisations"] == ["Gemeente Aastad", "RIEC Test", "Woningstichting Test"]


def test_the_pdf_is_a_pdf_and_audited(registry, people):
    response = verified_client(people["beheerder"]).get("/partners/informatiedelingsdocument/?formaat=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "informatiedelingsdocument.pdf" in response["Content-Disposition"]
    row = exports().get()
    assert row.detail["format"] == "pdf" and row.username == people["beheerder"].username


def test_without_weasyprint_the_user_gets_a_dutch_message_not_a_500(registry, people, monkeypatch):
    def unavailable(html):
        raise documents.PdfUnavailable("De PDF kan op deze server niet worden gemaakt.")

    monkeypatch.setattr(documents, "render_pdf", unavailable)
    client = verified_client(people["coordinator"])
    response = client.get("/partners/informatiedelingsdocument/?formaat=pdf")
    assert response.status_code == 302 and response["Location"] == "/partners/"
    assert "De PDF kan op deze server niet worden gemaakt." in client.get("/partners/").content.decode()
    assert not exports().exists()  # nothing was handed out


def test_render_pdf_names_the_missing_library(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(documents.PdfUnavailable, match="Pango"):
        documents.render_pdf("<p>test</p>")


def test_the_pdf_fetches_nothing_from_the_disk_or_the_web(tmp_path, caplog):
    secret = tmp_path / "geheim.css"
    secret.write_text("body { color: red }")
    html = f'<link rel="stylesheet" href="file://{secret}"><img src="http://voorbeeld.invalid/x.png"><p>Tekst</p>'
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = documents.render_pdf(html)
    assert pdf.startswith(b"%PDF")
    refused = [r.getMessage() for r in caplog.records if "disallowed protocol" in r.getMessage()]
    assert any(str(secret) in message for message in refused)
    assert any("voorbeeld.invalid" in message for message in refused)
