"""POST /api/v1/register/status: an organisation's system checks up to 1,000 registration
numbers at once (version 1, described in /api/v1/openapi.json and docs/api.md).

Only an API key in `Authorization: Bearer <key>` lets a request in: the view never looks at
the session or request.user (a signed-in person's browser is not a key), so there is nothing
for CSRF to protect, and it is off for this view alone. Every answer, refusals included, is
JSON; refusals are problem details (RFC 9457) with a stable `code`.

Each number is answered as the public register answers it: a holder who did not agree to
appear on the register is "not_found", exactly like a number nobody holds. Each credential is
the same record as GET /api/v1/credentials/<token> gives. The numbers are looked up in one
query, however many there are.
"""

import json
from collections import defaultdict
from dataclasses import dataclass

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables

from credentials.models import Credential
from credentials.selectors.register import PUBLIC_FIELDS, on_register
from credentials.services.api_keys import admit, key_for
from credentials.statuses import public_record
from credentials.views.api import credential_payload
from portal.throttle import over_limit
from portfolio.api import FORMATS, NOT_A_NUMBER, read_registration_number, regulator_for_number

API_VERSION = "1"
MAX_NUMBERS = 1000
# A thousand numbers in their longest forms, pretty-printed, is about 30 KB: four times that
# is room enough. Bigger bodies are refused on their Content-Length, before they are read.
MAX_BODY_BYTES = 128 * 1024
MAX_INPUT_LENGTH = 100
# Wrong keys from one address, a minute, before it is told to wait (keys cannot be guessed,
# but nobody needs to try more than this).
FAILED_KEYS_PER_MINUTE = 30
REALM = 'Bearer realm="register-api"'
NOT_FOUND = "No credential on the public register has this number."
NOT_A_STRING = "Each number must be a string."
TOO_LONG = f"A registration number is at most {MAX_INPUT_LENGTH} characters."
RATE_LIMIT_CODES = {"per_minute": "rate_limited", "per_day": "daily_limit_reached"}


def problem(status: int, code: str, title: str, detail: str, **headers) -> JsonResponse:
    """A refusal as RFC 9457 problem details, never cached."""
    response = JsonResponse(
        {"type": "about:blank", "status": status, "title": title, "detail": detail, "code": code},
        status=status,
        content_type="application/problem+json",
    )
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _unauthorised(code: str, detail: str) -> JsonResponse:
    challenge = REALM if code == "missing_key" else f'{REALM}, error="invalid_token"'
    return problem(401, code, "Unauthorized", detail, WWW_Authenticate=challenge)


@sensitive_variables("presented")
def _authenticate(request):
    """The request's key, or the refusal to send instead."""
    scheme, _, presented = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None, _unauthorised(
            "missing_key", "Send your API key in the header: Authorization: Bearer <key>."
        )
    key = key_for(presented.strip())
    if key is not None and not key.is_revoked:
        return key, None
    if over_limit(request, "register-api-bad-key", FAILED_KEYS_PER_MINUTE):
        return None, problem(
            429, "too_many_attempts", "Too Many Requests", "Too many wrong keys.", Retry_After="60"
        )
    if key is None:
        return None, _unauthorised("invalid_key", "This API key is not recognised.")
    return None, _unauthorised("revoked_key", "This API key has been revoked.")


def _read_numbers(request):
    """The body's list of numbers, or the refusal to send instead."""
    length = request.META.get("CONTENT_LENGTH") or "0"  # portal.limits refuses non-digits
    if not length.isdigit() or int(length) > MAX_BODY_BYTES:
        return None, problem(
            413,
            "body_too_large",
            "Content Too Large",
            f"The request body must be at most {MAX_BODY_BYTES // 1024} KB.",
        )
    if request.content_type != "application/json":
        return None, problem(
            415,
            "unsupported_media_type",
            "Unsupported Media Type",
            "Send the body as JSON, with Content-Type: application/json.",
        )
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        return None, problem(400, "invalid_json", "Bad Request", "The body is not valid JSON.")
    numbers = body.get("numbers") if isinstance(body, dict) else None
    if not isinstance(numbers, list):
        return None, problem(
            400,
            "invalid_body",
            "Bad Request",
            'The body must be a JSON object with a list of numbers: {"numbers": ["GMC 7012345"]}.',
        )
    return numbers, None


def _entries(numbers: set[str]) -> dict[str, list[Credential]]:
    """Registration number → its credentials on the public register, newest first. One query
    for any count (a list of 1,000 values is well inside what PostgreSQL and SQLite accept)."""
    found: dict[str, list[Credential]] = defaultdict(list)
    if not numbers:
        return found
    queryset = (
        on_register()
        .select_related("superseded_by")
        .only(*PUBLIC_FIELDS, "kind__name", "superseded_by__serial", "superseded_by__token")
        .filter(registration_number__in=sorted(numbers))
        .order_by("registration_number", "-issued_at", "pk")
    )
    for credential in queryset:
        found[credential.registration_number].append(credential)
    return found


@dataclass(frozen=True)
class _Reading:
    """A number as given, and what it was read as: a NUMBER on a REGISTER, or a PROBLEM."""

    given: object
    number: str | None = None
    register: str | None = None
    problem: str = ""


def _read(given) -> _Reading:
    if not isinstance(given, str):
        return _Reading(None, problem=NOT_A_STRING)
    if len(given) > MAX_INPUT_LENGTH:
        return _Reading(given, problem=TOO_LONG)
    number = read_registration_number(given)
    regulator = regulator_for_number(number)
    if regulator is None:
        return _Reading(given, problem=f"This {NOT_A_NUMBER}.")
    return _Reading(given, number, FORMATS[regulator].short_name)


def _answer(reading: _Reading, entries, today) -> dict:
    """The answer for one number, in the order and form documented in the OpenAPI schema."""
    credentials = entries.get(reading.number) if reading.number else None
    if reading.problem:
        result, message = "invalid", reading.problem
    elif not credentials:
        result, message = "not_found", NOT_FOUND
    else:
        result, message = "found", None
    return {
        "input": reading.given,
        "number": reading.number,
        "register": reading.register,
        "result": result,
        "message": message,
        "credentials": [
            credential_payload(public_record(credential, today), registration_public=True)
            for credential in credentials or ()
        ],
    }


@csrf_exempt  # authenticated by its key alone, never by a cookie: nothing for CSRF to protect
def register_status(request):
    if request.method != "POST":
        return problem(
            405,
            "method_not_allowed",
            "Method Not Allowed",
            "POST a JSON body of registration numbers.",
            Allow="POST",
        )
    key, refusal = _authenticate(request)
    if refusal is not None:
        return refusal
    numbers, refusal = _read_numbers(request)
    if refusal is not None:
        return refusal
    most = min(MAX_NUMBERS, key.numbers_per_day)
    if len(numbers) > most:
        return problem(
            422,
            "too_many_numbers",
            "Unprocessable Content",
            f"A request may check at most {most:,} numbers; this one has {len(numbers):,}. "
            "Split them across several requests.",
        )
    refused = admit(key=key, numbers=len(numbers))
    if refused is not None and refused.reason == "revoked":
        return _unauthorised("revoked_key", refused.message)
    if refused is not None:
        return problem(
            429,
            RATE_LIMIT_CODES[refused.reason],
            "Too Many Requests",
            refused.message,
            Retry_After=str(refused.retry_after),
        )
    readings = [_read(given) for given in numbers]
    entries = _entries({reading.number for reading in readings if reading.number})
    today = timezone.localdate()
    response = JsonResponse(
        {
            "api_version": API_VERSION,
            "checked_at": timezone.now().isoformat(),
            "count": len(numbers),
            "results": [_answer(reading, entries, today) for reading in readings],
        }
    )
    response["Cache-Control"] = "no-store"
    return response
