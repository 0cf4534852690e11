"""The OpenAPI 3.1 description of the portal's JSON API, and the view that serves it at
/api/v1/openapi.json.

It describes the two versioned endpoints other systems call: GET /api/v1/credentials/<token>
(one credential, public) and POST /api/v1/register/status (many registration numbers, with an
API key). The schemas follow what the views return (credentials.views.api.credential_payload
and credentials.views.bulk_api); tests/credentials/test_bulk_api.py checks real responses
against them, so the description cannot drift from the code unnoticed.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from credentials.statuses import PUBLIC_WORDS
from credentials.views.bulk_api import MAX_BODY_BYTES, MAX_NUMBERS
from portfolio.api import FORMATS

# The four statuses the contract promises (DESIGN.md, "Public contracts").
CONTRACT_STATUSES = sorted({words.contract for words in PUBLIC_WORDS.values()})
NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
URI = {"type": "string", "format": "uri"}


def _path(name: str, *params: str) -> str:
    """The path of the view NAMEd, as OpenAPI writes it: "/api/v1/credentials/{token}"."""
    path = reverse(name, args=[f"PARAM{n}" for n in range(len(params))])
    for n, param in enumerate(params):
        path = path.replace(f"PARAM{n}", f"{{{param}}}")
    return path


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, *, description: str = "") -> dict:
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _problem_response(description: str, **headers) -> dict:
    response = {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }
    if headers:
        response["headers"] = headers
    return response


def _schemas(max_numbers: int) -> dict:
    registers = sorted(register.short_name for register in FORMATS.values())
    return {
        "Credential": _object(
            {
                "serial": {"type": "string", "examples": ["GPWER-2026-00042"]},
                "holder": {"type": "string"},
                "registration": {
                    "description": "The holder's registration, only when the holder is on the "
                    "public register (always, in the register API).",
                    "oneOf": [
                        _object(
                            {
                                "register": {"type": "string", "examples": ["GMC"]},
                                "number": {"type": "string", "examples": ["7200001"]},
                                "display": {"type": "string", "examples": ["GMC 7200001"]},
                            }
                        ),
                        {"type": "null"},
                    ],
                },
                "credential": {"type": "string", "description": "The credential's name."},
                "kind": {"type": "string", "description": "The credential type's code."},
                "kind_label": {"type": "string", "description": "The credential type's name."},
                "scope": {"type": "string", "description": "The scope of practice."},
                "conditions": {"type": "string"},
                "status": {
                    "type": "string",
                    "enum": CONTRACT_STATUSES,
                    "description": "A credential replaced by its renewal is `expired`, with "
                    "`replaced_by` naming the renewal.",
                },
                "status_label": {"type": "string"},
                "status_description": {"type": "string"},
                "valid": {
                    "type": "boolean",
                    "description": "Whether it may be relied on today: `active` and started.",
                },
                "status_reason": {
                    **NULLABLE_STRING,
                    "description": "Given for a suspension or a revocation.",
                },
                "status_changed_at": NULLABLE_DATETIME,
                "valid_from": {"type": "string", "format": "date"},
                "valid_until": {**NULLABLE_DATE, "description": "null: no end date."},
                "issued_at": {"type": "string", "format": "date-time"},
                "issuer": _object({"name": {"type": "string"}, "id": URI, "url": URI}),
                "verification_url": URI,
                "open_badge_url": URI,
                "replaced_by": {
                    "oneOf": [
                        _object({"serial": {"type": "string"}, "verification_url": URI}),
                        {"type": "null"},
                    ]
                },
            }
        ),
        "RegisterStatusRequest": _object(
            {
                "numbers": {
                    "type": "array",
                    "maxItems": max_numbers,
                    "items": {"type": "string", "maxLength": 100},
                    "description": "Registration numbers, bare or with their register "
                    '("7200001", "GMC 7200001", "HCPC PH104233"); spaces and case do not '
                    "matter. Anything that is not a string is answered as `invalid`.",
                    "examples": [["GMC 7200001", "PH104233", "12A3456E"]],
                }
            }
        ),
        "NumberResult": _object(
            {
                "input": {
                    **NULLABLE_STRING,
                    "description": "The number as sent (null when it was not a string).",
                },
                "number": {
                    **NULLABLE_STRING,
                    "description": "As the register stores it; null when `invalid`.",
                },
                "register": {"type": ["string", "null"], "enum": [*registers, None]},
                "result": {"type": "string", "enum": ["found", "not_found", "invalid"]},
                "message": {
                    **NULLABLE_STRING,
                    "description": "Why nothing was found; null when `found`.",
                },
                "credentials": {"type": "array", "items": _ref("Credential")},
            },
            description="One number's answer, in the order the numbers were sent. `not_found` "
            "also answers a number whose holder has not agreed to appear on the public register.",
        ),
        "RegisterStatusResponse": _object(
            {
                "api_version": {"type": "string", "const": "1"},
                "checked_at": {"type": "string", "format": "date-time"},
                "count": {"type": "integer", "minimum": 0, "maximum": max_numbers},
                "results": {"type": "array", "items": _ref("NumberResult")},
            }
        ),
        "Problem": _object(
            {
                "type": {"type": "string"},
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "code": {
                    "type": "string",
                    "enum": [
                        "missing_key",
                        "invalid_key",
                        "revoked_key",
                        "too_many_attempts",
                        "method_not_allowed",
                        "body_too_large",
                        "unsupported_media_type",
                        "invalid_json",
                        "invalid_body",
                        "too_many_numbers",
                        "rate_limited",
                        "daily_limit_reached",
                    ],
                },
            },
            description="A refusal, as RFC 9457 problem details, with a stable `code`.",
        ),
        "NotFound": _object({"error": {"type": "string", "const": "not found"}}),
    }


def document() -> dict:
    """The OpenAPI 3.1 document, with this portal's address as its server."""
    retry_after = {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    challenge = {
        "WWW-Authenticate": {
            "description": 'Bearer realm="register-api", with error="invalid_token" for a '
            "wrong or revoked key.",
            "schema": {"type": "string"},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MSK accreditation register API",
            "version": "1",
            "summary": "Check the faculty's credentials: one by its verification token, or many "
            "by registration number.",
            "description": "See docs/api.md for how to call it, the limits and every error.",
            "contact": {"name": settings.ISSUER_NAME, "url": f"{settings.PORTAL_BASE_URL}/"},
        },
        "servers": [{"url": settings.PORTAL_BASE_URL}],
        "components": {
            "schemas": _schemas(MAX_NUMBERS),
            "securitySchemes": {
                "registerApiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "msk_<12 hex characters>_<43 characters>",
                    "description": "A key the faculty issues to an organisation. A session "
                    "cookie does not authenticate this API.",
                }
            },
        },
        "paths": {
            _path("credentials:api_register_status"): {
                "post": {
                    "operationId": "registerStatus",
                    "summary": f"The credentials of up to {MAX_NUMBERS:,} registration numbers",
                    "description": "Each number is answered on its own: `found` with its "
                    "credentials on the public register, `not_found`, or `invalid` (not a "
                    "number of any register); one bad number never fails the request. Each key "
                    "has a limit of requests a minute and of numbers in any 24 hours.",
                    "security": [{"registerApiKey": []}],
                    "requestBody": {
                        "required": True,
                        "description": f"JSON, at most {MAX_BODY_BYTES // 1024} KB.",
                        "content": {"application/json": {"schema": _ref("RegisterStatusRequest")}},
                    },
                    "responses": {
                        "200": {
                            "description": "One result per number, in the order sent.",
                            "content": {
                                "application/json": {"schema": _ref("RegisterStatusResponse")}
                            },
                        },
                        "400": _problem_response("The body is not JSON, or has no `numbers`."),
                        "401": _problem_response(
                            "No key, a wrong key or a revoked key.", **challenge
                        ),
                        "405": _problem_response("Only POST is answered."),
                        "413": _problem_response(
                            f"The body is over {MAX_BODY_BYTES // 1024} KB (refused unread)."
                        ),
                        "415": _problem_response("The body is not sent as application/json."),
                        "422": _problem_response(
                            f"More than {MAX_NUMBERS:,} numbers (or more than the key's daily "
                            "allowance) in one request."
                        ),
                        "429": _problem_response(
                            "Over the key's limit (or too many wrong keys): wait Retry-After "
                            "seconds.",
                            **retry_after,
                        ),
                    },
                }
            },
            _path("credentials:api_credential", "token"): {
                "get": {
                    "operationId": "credential",
                    "summary": "One credential, by its verification token",
                    "description": "Public, with no key: the token is in the holder's "
                    "verification link (/verify/<token>/). The registration is given only when "
                    "the holder is on the public register.",
                    "security": [],
                    "parameters": [
                        {
                            "name": "token",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{32,64}$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The credential's public record.",
                            "content": {"application/json": {"schema": _ref("Credential")}},
                        },
                        "404": {
                            "description": "No credential has this token.",
                            "content": {"application/json": {"schema": _ref("NotFound")}},
                        },
                    },
                }
            },
        },
    }


@require_safe
def serve(request):
    """GET /api/v1/openapi.json: anyone may read it, from any site (it describes, never
    answers); kept an hour."""
    response = JsonResponse(document(), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response
