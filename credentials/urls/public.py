"""Public contracts (keep stable): /register/, /verify/<token>/, /verify/<token>/credential.json,
/api/v1/credentials/<token> (with or without a trailing slash), /issuer.json and the
Bitstring Status Lists /status/<list>/<purpose>.json; for other systems, with a key,
POST /api/v1/register/status, described at /api/v1/openapi.json."""

from django.urls import path

from credentials import openapi
from credentials.views import api, bulk_api, bulk_verify, register, verify

urlpatterns = [
    path("register/", register.search, name="register"),
    # Before <token>/ so that "bulk" is never looked up as a token.
    path("verify/bulk/", bulk_verify.upload, name="bulk_verify"),
    path("verify/bulk/download/", bulk_verify.download, name="bulk_verify_download"),
    path("verify/<str:token>/", verify.page, name="verify"),
    path("verify/<str:token>/credential.json", verify.open_badge, name="verify_credential_json"),
    path("api/v1/credentials/<str:token>", api.credential, name="api_credential"),
    path("api/v1/credentials/<str:token>/", api.credential),
    path("api/v1/register/status", bulk_api.register_status, name="api_register_status"),
    path("api/v1/register/status/", bulk_api.register_status),
    path("api/v1/openapi.json", openapi.serve, name="api_openapi"),
    path("issuer.json", verify.issuer_profile, name="issuer_json"),
    path(
        "status/<int:number>/<slug:purpose>.json",
        verify.status_list,
        name="status_list",
    ),
]
