"""Describe Regie's authentication classes, bounded lists and error answers in the OpenAPI document."""

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "regie.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'API-token, als "Token <token>". Uitgegeven met `regie api-token`.',
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "regie.accounts.authentication.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class BoundedListScheme(OpenApiSerializerFieldExtension):
    """A nested list (``ListSerializer`` as a field) with its limits: drf-spectacular leaves out
    ``allow_empty``, ``min_length`` and ``max_length``, so a client would not learn that a
    bundle holds at most 100 signals."""

    target_class = "rest_framework.serializers.ListSerializer"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        minimum = field.min_length if field.min_length is not None else (0 if field.allow_empty else 1)
        if minimum:
            schema["minItems"] = minimum
        if field.max_length is not None:
            schema["maxItems"] = field.max_length
        return schema


# --- the error answers every operation can give ------------------------------------------------

ERROR = {
    "type": "object",
    "description": "Een fout met één melding.",
    "properties": {"detail": {"type": "string", "description": "De melding, in het Nederlands."}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Ongeldige invoer: per veld (of header of queryparameter) een lijst met meldingen, bij geneste "
        "invoer een genest object; `non_field_errors` of `detail` voor de invoer als geheel."
    ),
    "additionalProperties": {},
}
WRITES = {"post", "put", "patch"}


def _error(name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def add_error_responses(result, generator, request, public):
    """Document the 4xx answers DRF and Regie's exception handler give, next to the generated 2xx.

    drf-spectacular describes only the successful answer; a client (and the API fuzz test in
    tests/security) must also know the refusals: 401 without a valid token, 403 without the role or
    second factor, 404 for a missing *or invisible* record (and a page past the end), 400 for
    invalid input, 409 for a conflict with existing data (api.exceptions), 415 for a body in a
    media type the API does not read.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Fout"] = ERROR
    schemas["Validatiefout"] = VALIDATION_ERROR
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            parameters = [p for p in operation.get("parameters", []) if p.get("in") != "path"]
            extra = {
                "401": _error("Fout", "Niet ingelogd: geen, een ongeldig of een verlopen token."),
                "403": _error("Fout", "Geen toegang: de rol mag dit niet, of de tweede factor ontbreekt."),
            }
            if "{" in path:
                extra["404"] = _error("Fout", "Het object bestaat niet of is voor u niet zichtbaar.")
            elif any(p.get("name") == "page" and p.get("in") == "query" for p in parameters):
                extra["404"] = _error("Fout", "Deze pagina bestaat niet.")
            # validated input: a body, a header (Regie-Doel), a query parameter with a format (a date)
            if method in WRITES or any(p.get("in") == "header" or "format" in p.get("schema", {}) for p in parameters):
                extra["400"] = _error("Validatiefout", "Ongeldige invoer.")
            if method in WRITES or method == "delete":
                extra["409"] = _error("Fout", "De wijziging botst met bestaande gegevens.")
            if "requestBody" in operation:
                extra["415"] = _error("Fout", "Dit mediatype van de invoer wordt niet ondersteund.")
            for code, response in extra.items():
                responses.setdefault(code, response)
            operation["responses"] = dict(sorted(responses.items()))
    return result
