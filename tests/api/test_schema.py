"""The OpenAPI document is public, loads, and describes the endpoints and their security."""

import json

import pytest
import yaml

EXPECTED_PATHS = {
    "/api/v1/ik/",
    "/api/v1/organisaties/",
    "/api/v1/organisaties/{id}/",
    "/api/v1/personen/",
    "/api/v1/personen/{id}/",
    "/api/v1/bedrijven/",
    "/api/v1/bedrijven/{id}/",
    "/api/v1/adressen/",
    "/api/v1/adressen/{id}/",
    "/api/v1/audit-log/",
    "/api/v1/audit-log/{seq}/",
}


@pytest.fixture
def schema(db, client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    return yaml.safe_load(response.content)


def test_schema_lists_the_endpoints(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Regie API"
    assert EXPECTED_PATHS <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/personen/{id}/"]) >= {"get", "put", "patch", "delete"}
    assert set(schema["paths"]["/api/v1/personen/"]) >= {"get", "post"}
    assert set(schema["paths"]["/api/v1/organisaties/"]) == {"get"}


def test_schema_describes_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": 'API-token, als "Token <token>". Uitgegeven met `regie api-token`.',
    }
    assert schemes["sessionAuth"]["in"] == "cookie"
    for path in ("/api/v1/personen/", "/api/v1/personen/{id}/"):
        for operation in schema["paths"][path].values():
            assert {"tokenAuth": []} in operation["security"]
            assert {} not in operation["security"]  # never anonymous


def test_schema_documents_the_purpose_header_on_retrieve(schema):
    parameters = schema["paths"]["/api/v1/personen/{id}/"]["get"]["parameters"]
    header = next(p for p in parameters if p["in"] == "header")
    assert header["name"] == "Regie-Doel"
    assert "casus" in header["description"] and "10 tekens" in header["description"]


def test_schema_marks_owner_read_only(schema):
    person = schema["components"]["schemas"]["Person"]
    assert person["properties"]["owner"].get("readOnly") is True
    assert "owner" not in schema["components"]["schemas"]["PersonRequest"]["properties"]


def test_schema_as_json(db, client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert EXPECTED_PATHS <= set(json.loads(response.content)["paths"])


def test_schema_documents_the_purpose_header_on_every_record_operation(schema):
    for method in ("get", "put", "patch", "delete"):
        parameters = schema["paths"]["/api/v1/personen/{id}/"][method]["parameters"]
        assert "Regie-Doel" in [p["name"] for p in parameters if p["in"] == "header"], method


def test_schema_documents_the_error_answers(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/ik/"]["get"]["responses"]) == {"200", "401", "403"}
    assert set(paths["/api/v1/personen/"]["get"]["responses"]) == {"200", "401", "403", "404"}
    assert "400" in paths["/api/v1/audit-log/"]["get"]["responses"]  # van/tot are dates
    assert set(paths["/api/v1/personen/"]["post"]["responses"]) == {"201", "400", "401", "403", "409", "415"}
    assert set(paths["/api/v1/personen/{id}/"]["get"]["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(paths["/api/v1/personen/{id}/"]["delete"]["responses"]) == {"204", "400", "401", "403", "404", "409"}
    not_found = paths["/api/v1/personen/{id}/"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Fout"}
    assert schema["components"]["schemas"]["Fout"]["required"] == ["detail"]
