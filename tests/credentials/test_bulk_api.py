"""POST /api/v1/register/status: keys, limits, the register's consent rules, number forms,
statuses, a fixed number of queries; the keys' admin; the OpenAPI description."""

import datetime
import json
import re
import socket

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from credentials.models import ApiKey, ApiKeyUse
from credentials.services.api_keys import (
    ApiKeyError,
    change_api_key,
    issue_api_key,
    revoke_api_key,
)
from credentials.services.credentials import (
    renew_credential,
    revoke_credential,
    suspend_credential,
)
from credentials.views.bulk_api import MAX_BODY_BYTES
from portal.models import AuditEvent
from portfolio.api import Profession, Regulator
from tests.credentials.factories import make_credential
from tests.portfolio.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/register/status"
OPENAPI = "/api/v1/openapi.json"
BASE = "http://127.0.0.1:8000"


def entry(number, *, consent=True, regulator=Regulator.GMC, name="Asha Patel", **credential):
    profile = ClinicianProfileFactory(
        full_name=name,
        registration_number=number,
        regulator=regulator,
        profession=Profession.PHYSIOTHERAPIST if regulator == Regulator.HCPC else Profession.GP,
        consent_to_public_register=consent,
    )
    return make_credential(profile.user, **credential)


@pytest.fixture
def issued(faculty_staff):
    return issue_api_key(
        organisation="Riverside Community Health NHS Trust",
        contact_email="hr-systems@riverside.example",
        region="ne_north_cumbria",
        actor=faculty_staff,
    )


def renew(credential, *, valid_from=datetime.date(2026, 6, 1), valid_until=None):
    renew.count += 1
    return renew_credential(
        credential=credential,
        source_type="tests.renewal",
        source_id=str(renew.count),
        valid_from=valid_from,
        valid_until=valid_until,
    )


renew.count = 0


def check(client, numbers, secret=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.post(
        URL, json.dumps({"numbers": numbers}), content_type="application/json", **headers, **extra
    )


def results(client, numbers, secret):
    response = check(client, numbers, secret)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["detail"]
    return body


# --- answers ------------------------------------------------------------------------------------


def test_a_number_on_the_register_gives_its_credentials_with_the_contracted_fields(
    client, issued, settings
):
    settings.PORTAL_BASE_URL = BASE
    credential = entry("7200001", conditions="Injections under supervision.")
    response = check(client, ["GMC 7200001"], issued.secret)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response  # for servers, not for browsers
    body = response.json()
    assert (body["api_version"], body["count"]) == ("1", 1)
    [result] = body["results"]
    assert {key: result[key] for key in ("input", "number", "register", "result", "message")} == {
        "input": "GMC 7200001",
        "number": "7200001",
        "register": "GMC",
        "result": "found",
        "message": None,
    }
    [found] = result["credentials"]
    assert found["serial"] == credential.serial
    assert found["holder"] == "Asha Patel"
    assert found["credential"] == credential.title
    assert found["scope"] == credential.scope
    assert found["conditions"] == "Injections under supervision."
    assert found["status"] == "active"
    assert found["valid"] is True
    assert (found["valid_from"], found["valid_until"]) == ("2026-01-01", "2029-12-31")
    assert found["issuer"] == {
        "name": "Faculty of Sport and Exercise Medicine UK (FSEM)",
        "id": f"{BASE}/issuer.json",
        "url": f"{BASE}/",
    }
    assert found["registration"] == {
        "register": "GMC",
        "number": "7200001",
        "display": "GMC 7200001",
    }
    assert found["verification_url"] == f"{BASE}/verify/{credential.token}/"


def test_each_credential_is_the_same_record_as_the_verification_api(client, issued):
    credential = entry("7200001")
    [result] = results(client, ["7200001"], issued.secret)
    single = client.get(f"/api/v1/credentials/{credential.token}").json()
    assert result["credentials"] == [single]


@pytest.mark.parametrize(
    "given",
    [
        "GMC 7200001",
        "7200001",
        "gmc 7200001",
        "GMC no. 7200001",
        " 720 0001 ",
        "GMC number: 7200001",
    ],
)
def test_numbers_are_read_as_the_register_reads_them(client, issued, given):
    entry("7200001")
    [result] = results(client, [given], issued.secret)
    assert (result["input"], result["number"], result["register"]) == (given, "7200001", "GMC")
    assert result["result"] == "found"


@pytest.mark.parametrize("given", ["HCPC PH104233", "PH104233", "hcpc ph104233", "ph 104233"])
def test_hcpc_numbers_in_any_form(client, issued, given):
    entry("PH104233", regulator=Regulator.HCPC)
    [result] = results(client, [given], issued.secret)
    assert (result["number"], result["register"], result["result"]) == ("PH104233", "HCPC", "found")


def test_each_number_is_answered_on_its_own_in_order(client, issued):
    entry("7200001")
    given = ["7200001", "7299999", "not a number", 7200001, None, "７２０００01", "", "X" * 101]
    answers = results(client, given, issued.secret)
    assert [a["result"] for a in answers] == ["found", "not_found"] + ["invalid"] * 6
    assert answers[1]["register"] == "GMC"  # a number nobody holds still names its register
    assert answers[1]["message"] == "No credential on the public register has this number."
    assert (
        "is not a GMC, HCPC, NMC, GOsC, BASRaT or STO registration number"
        in (answers[2]["message"])
    )
    assert answers[3]["input"] is None and answers[3]["message"] == "Each number must be a string."
    assert answers[5]["number"] is None  # full-width digits are not read as ASCII ones
    assert "at most 100 characters" in answers[7]["message"]
    assert all(a["credentials"] == [] for a in answers[1:])


def test_a_number_sent_twice_is_answered_twice(client, issued):
    entry("7200001")
    answers = results(client, ["7200001", "GMC 7200001"], issued.secret)
    assert answers[0]["credentials"] == answers[1]["credentials"] != []


def test_a_holder_who_withheld_consent_is_not_found_exactly_like_nobody(client, issued):
    entry("7200002", consent=False, name="Cara Hidden")
    hidden, nobody = results(client, ["7200002", "7200003"], issued.secret)
    assert {**hidden, "input": "", "number": ""} == {**nobody, "input": "", "number": ""}
    assert hidden["result"] == "not_found"
    body = check(client, ["7200002"], issued.secret).content.decode()
    assert "Cara Hidden" not in body


def test_statuses_revoked_suspended_expired_replaced_and_not_yet_valid(client, issued, superuser):
    revoked = entry("7200010")
    revoke_credential(credential=revoked, reason="Removed from the GMC register", actor=superuser)
    suspended = entry("7200011")
    suspend_credential(credential=suspended, reason="Under investigation", actor=superuser)
    entry("7200012", valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2023, 1, 1))
    renewed = entry("7200013")
    renewal = renew(renewed, valid_from=datetime.date(2026, 6, 1))
    entry("7200014", valid_from=datetime.date(2099, 1, 1), valid_until=datetime.date(2100, 1, 1))
    answers = results(
        client, ["7200010", "7200011", "7200012", "7200013", "7200014"], issued.secret
    )
    first = [answer["credentials"][0] for answer in answers]
    assert [c["status"] for c in first] == ["revoked", "suspended", "expired", "active", "active"]
    assert [c["valid"] for c in first] == [False, False, False, True, False]  # the last: 2099
    assert first[0]["status_reason"] == "Removed from the GMC register"
    assert first[1]["status_reason"] == "Under investigation"
    assert first[2]["status_reason"] is None
    # The renewal comes first (newest), the credential it replaced after it, "expired".
    serials = [c["serial"] for c in answers[3]["credentials"]]
    assert serials == [renewal.serial, renewed.serial]
    replaced = answers[3]["credentials"][1]
    assert replaced["status"] == "expired"
    assert replaced["replaced_by"]["serial"] == renewal.serial


# --- keys and who may call ----------------------------------------------------------------------


def test_no_key_is_401_with_a_challenge(client, db):
    response = check(client, ["7200001"])
    assert_problem(response, 401, "missing_key")
    assert response["WWW-Authenticate"] == 'Bearer realm="register-api"'


@pytest.mark.parametrize(
    "authorization",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token msk_000000000000_x", "msk_abc"],
)
def test_another_scheme_or_an_empty_bearer_is_no_key(client, db, authorization):
    response = client.post(
        URL, '{"numbers": []}', content_type="application/json", HTTP_AUTHORIZATION=authorization
    )
    assert_problem(response, 401, "missing_key")


def test_a_wrong_key_is_401(client, issued):
    prefix = issued.key.prefix
    for wrong in (
        "nonsense",
        f"msk_{prefix}_" + "A" * 43,  # the right prefix, another secret
        issued.secret[:-1],
        issued.secret + "A",
        issued.secret.upper(),
    ):
        response = check(client, ["7200001"], wrong)
        assert_problem(response, 401, "invalid_key")
        assert response["WWW-Authenticate"] == 'Bearer realm="register-api", error="invalid_token"'
    assert ApiKeyUse.objects.count() == 0


def test_the_scheme_is_read_in_any_case(client, issued):
    response = client.post(
        URL,
        '{"numbers": []}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"bearer {issued.secret}",
    )
    assert response.status_code == 200


def test_a_revoked_key_is_401(client, issued, faculty_staff):
    assert check(client, [], issued.secret).status_code == 200
    revoke_api_key(key=issued.key, reason="Contract ended", actor=faculty_staff)
    response = check(client, ["7200001"], issued.secret)
    assert_problem(response, 401, "revoked_key")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.parametrize("persona", ["outsider", "commissioner", "superuser"])
def test_a_session_cookie_alone_is_401(client, request, persona):
    entry("7200001")
    client.force_login(request.getfixturevalue(persona))
    response = check(client, ["7200001"])
    assert_problem(response, 401, "missing_key")
    assert "Asha Patel" not in response.content.decode()


def test_no_csrf_token_is_needed_with_a_key(issued):
    client = Client(enforce_csrf_checks=True)
    assert check(client, [], issued.secret).status_code == 200


def test_only_post_is_answered(client, issued):
    for response in (
        client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}"),
        client.put(URL, "{}", content_type="application/json"),
        client.options(URL),
    ):
        assert_problem(response, 405, "method_not_allowed")
        assert response["Allow"] == "POST"


def test_too_many_wrong_keys_from_one_address_are_told_to_wait(client, db):
    codes = [check(client, [], "msk_000000000000_" + "B" * 43).status_code for _ in range(31)]
    assert codes == [401] * 30 + [429]
    response = check(client, [], "nonsense")
    assert_problem(response, 429, "too_many_attempts")
    assert response["Retry-After"] == "60"


def test_the_key_is_stored_only_as_its_hash_and_never_audited(issued):
    assert re.fullmatch(r"msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", issued.secret)
    key = ApiKey.objects.get()
    stored = " ".join(str(getattr(key, field.attname)) for field in ApiKey._meta.concrete_fields)
    assert issued.secret not in stored
    assert issued.secret.rsplit("_", 1)[1] not in stored
    assert str(key).endswith(f"(msk_{key.prefix}_…)")
    assert issued.secret not in repr(issued)
    for event in AuditEvent.objects.all():
        written = json.dumps([event.old_state, event.new_state, event.detail, event.object_repr])
        assert issued.secret.rsplit("_", 1)[1] not in written


def test_issuing_changing_and_revoking_are_audited(issued, faculty_staff):
    event = AuditEvent.objects.get(action="api_key.issued")
    assert event.actor == faculty_staff
    assert event.new_state["organisation"] == "Riverside Community Health NHS Trust"
    assert event.new_state["requests_per_minute"] == 60
    change_api_key(key=issued.key, actor=faculty_staff, numbers_per_day=5000)
    changed = AuditEvent.objects.get(action="api_key.changed")
    assert (changed.old_state, changed.new_state) == (
        {"numbers_per_day": 20000},
        {"numbers_per_day": 5000},
    )
    revoke_api_key(key=issued.key, reason="Contract ended", actor=faculty_staff)
    revoked = AuditEvent.objects.get(action="api_key.revoked")
    assert revoked.new_state == {"status": "revoked", "reason": "Contract ended"}
    with pytest.raises(ApiKeyError, match="already been revoked"):
        revoke_api_key(key=issued.key, reason="Again", actor=faculty_staff)
    with pytest.raises(ApiKeyError, match="cannot be changed"):
        change_api_key(key=issued.key, actor=faculty_staff, numbers_per_day=1)


def test_revoking_needs_a_reason(issued, faculty_staff):
    with pytest.raises(ApiKeyError, match="reason"):
        revoke_api_key(key=issued.key, reason="  ", actor=faculty_staff)


def test_each_request_is_recorded_as_the_keys_use(client, issued):
    assert issued.key.last_used_at is None
    check(client, ["7200001", "7200002", "x"], issued.secret)
    use = ApiKeyUse.objects.get()
    assert (use.key_id, use.numbers) == (issued.key.pk, 3)
    assert ApiKey.objects.get().last_used_at == use.at


# --- limits -------------------------------------------------------------------------------------


def test_a_thousand_numbers_are_answered_and_a_thousand_and_one_refused(client, issued):
    numbers = [f"{7300000 + n:07d}" for n in range(1001)]
    assert len(results(client, numbers[:1000], issued.secret)) == 1000
    response = check(client, numbers, issued.secret)
    body = assert_problem(response, 422, "too_many_numbers")
    assert "at most 1,000 numbers" in body["detail"]
    assert ApiKeyUse.objects.count() == 1  # the refused request was not counted


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, issued):
    response = client.post(
        URL,
        b"{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        CONTENT_LENGTH=str(MAX_BODY_BYTES + 1),
    )
    assert_problem(response, 413, "body_too_large")


def test_a_thousand_numbers_in_their_longest_form_fit_the_body_limit():
    body = json.dumps({"numbers": ["HCPC number: PH104233"] * 1000}, indent=4)
    assert len(body.encode()) < MAX_BODY_BYTES


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ('{"numbers": ["7200001"]}', "text/plain", 415, "unsupported_media_type"),
        ("numbers=7200001", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"numbers": [', "application/json", 400, "invalid_json"),
        ("[" * 100_000, "application/json", 400, "invalid_json"),
        ('["7200001"]', "application/json", 400, "invalid_body"),
        ('{"numbers": "7200001"}', "application/json", 400, "invalid_body"),
        ("{}", "application/json", 400, "invalid_body"),
        ("null", "application/json", 400, "invalid_body"),
    ],
)
def test_a_body_that_is_not_a_list_of_numbers_is_refused(
    client, issued, body, content_type, status, code
):
    response = client.post(
        URL, body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {issued.secret}"
    )
    assert_problem(response, status, code)


def test_requests_per_minute_are_limited_per_key(client, issued, faculty_staff):
    change_api_key(key=issued.key, actor=faculty_staff, requests_per_minute=2)
    other = issue_api_key(organisation="Other Trust", contact_email="it@other.example", actor=None)
    assert [check(client, [], issued.secret).status_code for _ in range(2)] == [200, 200]
    response = check(client, [], issued.secret)
    body = assert_problem(response, 429, "rate_limited")
    assert "2 in a minute" in body["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert check(client, [], other.secret).status_code == 200  # each key has its own
    # A minute later the key may call again.
    ApiKeyUse.objects.filter(key=issued.key).update(
        at=ApiKeyUse.objects.get(key=other.key).at - datetime.timedelta(seconds=61)
    )
    assert check(client, [], issued.secret).status_code == 200


def test_numbers_a_day_are_limited_per_key(client, issued, faculty_staff):
    change_api_key(key=issued.key, actor=faculty_staff, numbers_per_day=5)
    assert check(client, ["7200001"] * 3, issued.secret).status_code == 200
    response = check(client, ["7200001"] * 3, issued.secret)
    body = assert_problem(response, 429, "daily_limit_reached")
    assert "5 registration numbers in any 24 hours; it has checked 3" in body["detail"]
    retry = int(response["Retry-After"])
    assert 86_000 < retry <= 86_400
    assert check(client, ["7200001"] * 2, issued.secret).status_code == 200  # up to the limit
    # More than the whole allowance in one request can never pass: refused as too many.
    assert_problem(check(client, ["7200001"] * 6, issued.secret), 422, "too_many_numbers")
    # A day later the numbers have left the window.
    ApiKeyUse.objects.update(at=ApiKeyUse.objects.latest("at").at - datetime.timedelta(days=1))
    assert check(client, ["7200001"] * 5, issued.secret).status_code == 200


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_limits_hold_with_redis_down(client, issued, faculty_staff, settings):
    change_api_key(key=issued.key, actor=faculty_staff, requests_per_minute=1)
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.ops.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert check(client, [], issued.secret).status_code == 200
    assert_problem(check(client, [], issued.secret), 429, "rate_limited")


# --- speed: a fixed number of queries -----------------------------------------------------------


def test_the_query_count_does_not_grow_with_the_numbers(client, issued, superuser):
    for n in range(12):
        credential = entry(f"{7400000 + n:07d}", consent=n % 4 != 0)
        if n % 3 == 0:
            suspend_credential(credential=credential, reason="Checks", actor=superuser)
    renew(entry("7400100"))

    def queries(numbers) -> int:
        with CaptureQueriesContext(connection) as captured:
            answers = results(client, numbers, issued.secret)
        assert len(answers) == len(numbers)
        return len(captured.captured_queries)

    wanted = [f"GMC {7400000 + n:07d}" for n in range(12)] + ["7400100"]
    few = queries(wanted[:10])
    many = queries(wanted + [f"{7500000 + n:07d}" for n in range(987)])
    assert few == many
    assert few <= 10, few


# --- the admin ----------------------------------------------------------------------------------


def admin_add(client, **changes):
    data = {
        "organisation": "Northern Care Alliance",
        "contact_email": "it@nca.example",
        "region": "",
        "requests_per_minute": "30",
        "numbers_per_day": "10000",
        **changes,
    }
    return client.post("/admin/credentials/apikey/add/", data)


def test_an_faculty_staff_issues_a_key_and_sees_it_once(client, faculty_staff):
    client.force_login(faculty_staff)
    response = admin_add(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})"', response.content.decode())
    assert secret is not None
    key = ApiKey.objects.get()
    assert (key.organisation, key.requests_per_minute, key.created_by) == (
        "Northern Care Alliance",
        30,
        faculty_staff,
    )
    assert check(Client(), [], secret.group(1)).status_code == 200
    page = client.get(f"/admin/credentials/apikey/{key.pk}/change/").content.decode()
    assert secret.group(1) not in page
    assert key.display_prefix in page
    listing = client.get("/admin/credentials/apikey/").content.decode()
    assert "Northern Care Alliance" in listing and secret.group(1) not in listing


def test_the_admin_revokes_a_key_with_a_reason(client, faculty_staff, issued):
    client.force_login(faculty_staff)
    change = f"/admin/credentials/apikey/{issued.key.pk}/change/"
    form = {
        "organisation": issued.key.organisation,
        "contact_email": issued.key.contact_email,
        "region": issued.key.region,
        "requests_per_minute": "60",
        "numbers_per_day": "20000",
        "revoke": "on",
    }
    response = client.post(change, form)
    assert response.status_code == 200  # the form again: a reason is needed
    assert not ApiKey.objects.get().is_revoked
    response = client.post(change, {**form, "revoke_reason": "Supplier changed"})
    assert response.status_code == 302
    key = ApiKey.objects.get()
    assert (key.revoked_by, key.revoked_reason) == (faculty_staff, "Supplier changed")
    assert AuditEvent.objects.filter(action="api_key.revoked", actor=faculty_staff).exists()
    assert_problem(check(client, [], issued.secret), 401, "revoked_key")
    listing = client.get("/admin/credentials/apikey/?status=revoked").content.decode()
    assert issued.key.organisation in listing
    page = client.get(change).content.decode()
    assert "Supplier changed" in page and 'name="revoke"' not in page  # read-only now
    assert 'name="requests_per_minute"' not in page


def test_the_admin_refuses_limits_below_one(client, faculty_staff):
    client.force_login(faculty_staff)
    response = admin_add(client, requests_per_minute="0")
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert "msk_" not in response.content.decode()
    assert ApiKey.objects.count() == 0


def test_the_admin_changes_limits_through_the_service(client, faculty_staff, issued):
    client.force_login(faculty_staff)
    response = client.post(
        f"/admin/credentials/apikey/{issued.key.pk}/change/",
        {
            "organisation": issued.key.organisation,
            "contact_email": issued.key.contact_email,
            "region": issued.key.region,
            "requests_per_minute": "10",
            "numbers_per_day": "20000",
        },
    )
    assert response.status_code == 302
    assert ApiKey.objects.get().requests_per_minute == 10
    event = AuditEvent.objects.get(action="api_key.changed")
    assert event.new_state == {"requests_per_minute": 10}


def test_keys_are_never_deleted_in_the_admin(client, faculty_staff, issued):
    client.force_login(faculty_staff)
    response = client.post(f"/admin/credentials/apikey/{issued.key.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ApiKey.objects.count() == 1


@pytest.mark.parametrize("persona", ["outsider", "commissioner", "applicant"])
def test_only_administrators_reach_the_keys(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = admin_add(client)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert ApiKey.objects.count() == 0


# --- the OpenAPI description --------------------------------------------------------------------


def test_the_openapi_description_is_served_and_describes_both_paths(client, settings):
    settings.PORTAL_BASE_URL = BASE
    response = client.get(OPENAPI)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": BASE}]
    post = document["paths"]["/api/v1/register/status"]["post"]
    assert post["security"] == [{"registerApiKey": []}]
    assert set(post["responses"]) >= {"200", "401", "413", "422", "429"}
    get = document["paths"]["/api/v1/credentials/{token}"]["get"]
    assert set(get["responses"]) == {"200", "404"}
    schemas = document["components"]["schemas"]
    assert schemas["Credential"]["properties"]["status"]["enum"] == [
        "active",
        "expired",
        "revoked",
        "suspended",
    ]
    assert document["components"]["securitySchemes"]["registerApiKey"]["scheme"] == "bearer"


def test_the_openapi_description_is_valid_openapi_3_1(client):
    import openapi_spec_validator

    openapi_spec_validator.validate(client.get(OPENAPI).json())


def test_real_answers_match_the_description(client, issued, superuser):
    import openapi_schema_validator as validators

    document = client.get(OPENAPI).json()

    def assert_matches(instance, schema_name):
        schema = {**document, "$ref": f"#/components/schemas/{schema_name}"}
        validators.validate(instance, schema, cls=validators.OAS31Validator)

    credential = entry("7200001")
    suspend_credential(credential=credential, reason="Checks", actor=superuser)
    renew(entry("7200002"))
    answer = check(client, ["GMC 7200001", "7200002", "7299999", "nope", 3], issued.secret)
    assert_matches(answer.json(), "RegisterStatusResponse")
    assert_matches(client.get(f"/api/v1/credentials/{credential.token}").json(), "Credential")
    assert_matches(client.get("/api/v1/credentials/" + "A" * 43).json(), "NotFound")
    for refused in (check(client, []), check(client, ["1"] * 1001, issued.secret)):
        assert_matches(refused.json(), "Problem")
