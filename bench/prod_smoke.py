"""The production profile, on this machine, with one command: `make prod-smoke`.

Starts what production runs and nothing else (bench/stack.py): gunicorn (4 workers) and two
`db_worker` processes under PORTAL_ENV=production, against PostgreSQL (127.0.0.1:5432, a fresh
database), Redis (127.0.0.1:6379, database 15) as the cache and session store, S3-compatible
object storage (moto's server on loopback, a fresh bucket) through django-storages, and
whitenoise serving hashed static files. Then it walks a journey over HTTP as a browser behind
a TLS proxy would (X-Forwarded-Proto: https): health checks, sign in, upload evidence (the file
must land in the bucket), issue a credential whose certificate a worker makes in the
background, download that certificate, verify it publicly (page and API), fetch a hashed
static file. Everything it started is stopped, and its database dropped, whatever happens.

Exit code 0 when every step passed; each step prints its time.
"""

import re
import sys
import time

import psycopg
from stack import DEMO_PASSWORD, PG, ROOT, Browser, Stack

EMAIL = "applicant@demo.msk-portal.example"


def journey(stack: Stack) -> None:
    from tests.portfolio.documents import pdf  # a small clean PDF, as the tests upload

    # The deploy check with the real mail backend (SMTP); the run itself prints its mail.
    stack.manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    stack.manage("collectstatic", "--no-input", "-v0")
    stack.manage("seed_demo")
    stack.step("gunicorn (4 workers) and two db_worker processes")
    stack.start_worker("db_worker1")
    stack.start_worker("db_worker2")
    base = stack.start_web(workers=4)

    web = Browser(base)
    assert web.get("/healthz").text == "ok\n"
    ready = web.get("/readyz")
    assert ready.status_code == 200, ready.text
    stack.step(f"ready: {ready.json()['checks']}")

    response = web.post("/accounts/login/", {"login": EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"sign-in: {response.status_code}"
    assert web.get("/dashboard/").status_code == 302
    stack.step("signed in as the demo applicant")

    s3 = stack.s3()

    def keys() -> set[str]:
        return {o["Key"] for o in s3.list_objects_v2(Bucket=stack.bucket).get("Contents", [])}

    before = keys()
    response = web.post(
        "/portfolio/evidence/add/",
        {
            "kind": "case_review",
            "date_day": "3",
            "date_month": "2",
            "date_year": "2026",
            "title": "Smoke test: complex knee case",
            "reflection": "Uploaded by the production smoke test.",
        },
        files={"files": ("knee.pdf", pdf(), "application/pdf")},
    )
    assert response.status_code == 302, f"evidence upload: {response.status_code}"
    uploaded = sorted(keys() - before)
    assert any(k.startswith("evidence/") for k in uploaded), uploaded
    stack.step(f"evidence uploaded to the bucket: {uploaded}")

    out = stack.manage(
        "shell",
        "-c",
        "from credentials.api import Source, issue_credential; "
        "from portal.models import User; "
        f"u = User.objects.get(email='{EMAIL}'); "
        "c = issue_credential(holder=u, credential_type='first_contact_practitioner', "
        "source=Source('portal.smoke', 1)); "
        "print(c.serial, c.token)",
    )
    serial, token = out.split()[-2:]
    stack.step(f"credential {serial} issued; its certificate is queued for a worker")

    # Wait for a worker to make it (the download would make a missing one on demand).
    deadline = time.monotonic() + 120
    with psycopg.connect(f"{PG}/{stack.database}", autocommit=True) as db:
        while True:
            row = db.execute(
                "SELECT certificate FROM credentials_credential WHERE serial = %s", [serial]
            ).fetchone()
            if row and row[0]:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("no worker made the certificate within 120 s")
            time.sleep(0.3)
    stack.step(f"a db_worker made the certificate: {row[0]}")
    certificate = web.get(f"/credentials/{serial}/certificate.pdf")
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
    stack.step(f"certificate downloaded from the bucket ({len(certificate.content)} B)")

    public = Browser(base)
    page = public.get(f"/verify/{token}/")
    assert page.status_code == 200 and serial in page.text, page.status_code
    api = public.get(f"/api/v1/credentials/{token}")
    assert api.status_code == 200 and api.json()["status"] == "active", api.text[:500]
    stack.step("verified publicly: page and API say active")

    manifest = (ROOT / "staticfiles" / "staticfiles.json").read_text()
    hashed = re.search(r'"(css/[^"]+\.[0-9a-f]{12}\.css)"', manifest).group(1)
    static = public.get(f"/static/{hashed}")
    assert static.status_code == 200, static.status_code
    assert "immutable" in static.headers.get("Cache-Control", ""), static.headers
    stack.step(f"hashed static file served by whitenoise: /static/{hashed}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with Stack("prod-smoke", database="msk_portal_smoke", bucket="msk-portal-smoke") as stack:
        journey(stack)
        print("prod-smoke: every step passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
