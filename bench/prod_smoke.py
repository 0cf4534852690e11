"""The production profile, on this machine, with one command: `make prod-smoke`.

Starts what production runs and nothing else: gunicorn (4 workers) and two `db_worker`
processes under PORTAL_ENV=production, against PostgreSQL (127.0.0.1:5432, a fresh database),
Redis (127.0.0.1:6379, database 15) as the cache and session store, S3-compatible object
storage (moto's server on loopback, a fresh bucket) through django-storages, and whitenoise
serving hashed static files. Then it walks a journey over HTTP as a browser behind a TLS proxy
would (X-Forwarded-Proto: https): health checks, sign in, upload evidence (the file must land
in the bucket), issue a credential whose certificate is made in the background by a worker,
download that certificate, verify it publicly (page and API), fetch a hashed static file.
Everything it started is stopped, and its database dropped, whatever happens.

Exit code 0 when every step passed; each step prints its time.
"""

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import boto3
import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DB_NAME = "msk_portal_smoke"
PG = "postgres://postgres@127.0.0.1:5432"
BUCKET = "msk-portal-smoke"
EMAIL = "applicant@demo.msk-portal.example"
PASSWORD = "msk-demo-2026!"  # the demo accounts' password (portal/demo.py)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_for(url: str, seconds: float = 60, **kwargs) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, **kwargs).status_code < 500:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class Browser:
    """requests, keeping cookies by hand: the portal's are Secure, and the client talks plain
    HTTP to gunicorn as a TLS-terminating proxy would."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def _headers(self, extra=None) -> dict:
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        headers.update(extra or {})
        return headers

    def _keep(self, response) -> None:
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value

    def get(self, path: str, **kwargs):
        response = requests.get(
            urljoin(self.base, path),
            headers=self._headers(),
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        self._keep(response)
        return response

    def post(self, path: str, data: dict, files=None):
        page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not match:
            raise RuntimeError(f"no form on {path} ({page.status_code})")
        origin = "https://127.0.0.1"
        response = requests.post(
            urljoin(self.base, path),
            data={**data, "csrfmiddlewaretoken": match.group(1)},
            files=files,
            headers=self._headers({"Origin": origin, "Referer": origin + path}),
            allow_redirects=False,
            timeout=60,
        )
        self._keep(response)
        return response


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.portfolio.documents import pdf  # a small clean PDF, as the tests upload

    web_port, s3_port = free_port(), free_port()
    s3_url = f"http://127.0.0.1:{s3_port}"
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": "https://127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "TASKS_BACKEND": "database",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_url,
        "S3_ACCESS_KEY_ID": "smoke",
        "S3_SECRET_ACCESS_KEY": "smoke",
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke",
        "VIRUS_SCAN": "off",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "ISSUER_ED25519_KEY_FILE": str(ROOT / "tests/credentials/issuer-test-seed.txt"),
        "ISSUER_CERT_FILE": str(ROOT / "tests/credentials/pdf-issuer-test-cert.pem"),
        "ISSUER_KEY_FILE": str(ROOT / "tests/credentials/pdf-issuer-test-key.pem"),
        "LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen] = []
    logs = ROOT / "var" / "prod-smoke"
    logs.mkdir(parents=True, exist_ok=True)

    def start(name: str, *command: str) -> subprocess.Popen:
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        processes.append(process)
        return process

    def manage(*args: str, **extra_env: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    started = time.monotonic()

    def step(text: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {text}", flush=True)

    try:
        step("object storage: moto server on loopback")
        start("moto", PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port))
        wait_for(s3_url)
        boto3.client(
            "s3",
            endpoint_url=s3_url,
            region_name="eu-west-2",
            aws_access_key_id="smoke",
            aws_secret_access_key="smoke",
        ).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        step(f"PostgreSQL: fresh database {DB_NAME}")
        psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {DB_NAME}")
        manage("migrate", "--no-input", "-v0")
        manage("collectstatic", "--no-input", "-v0")
        # The deploy check with the real mail backend (SMTP); the run itself prints its mail.
        manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        )
        manage("seed_demo")
        step("gunicorn (4 workers) and two db_worker processes")
        start(
            "gunicorn",
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--access-logfile",
            "-",
        )
        for n in (1, 2):
            start(
                f"db_worker{n}",
                PY,
                "manage.py",
                "db_worker",
                "--interval",
                "0.5",
                "--no-startup-delay",
            )
        base = f"http://127.0.0.1:{web_port}"
        wait_for(base + "/healthz")

        web = Browser(base)
        assert web.get("/healthz").text == "ok\n"
        ready = web.get("/readyz")
        assert ready.status_code == 200, ready.text
        step(f"ready: {ready.json()['checks']}")

        response = web.post("/accounts/login/", {"login": EMAIL, "password": PASSWORD})
        assert response.status_code == 302, f"sign-in: {response.status_code}"
        assert web.get("/dashboard/").status_code == 302
        step("signed in as the demo applicant")

        s3 = boto3.client(
            "s3",
            endpoint_url=s3_url,
            region_name="eu-west-2",
            aws_access_key_id="smoke",
            aws_secret_access_key="smoke",
        )
        before = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
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
        after = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
        uploaded = sorted(after - before)
        assert any(k.startswith("evidence/") for k in uploaded), uploaded
        step(f"evidence uploaded to the bucket: {uploaded}")

        out = manage(
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
        step(f"credential {serial} issued; its certificate is queued for a worker")

        # Wait for a worker to make it (the download would make a missing one on demand).
        deadline = time.monotonic() + 120
        with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as db:
            while True:
                row = db.execute(
                    "SELECT certificate FROM credentials_credential WHERE serial = %s", [serial]
                ).fetchone()
                if row and row[0]:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("no worker made the certificate within 120 s")
                time.sleep(0.3)
        step(f"a db_worker made the certificate: {row[0]}")
        certificate = web.get(f"/credentials/{serial}/certificate.pdf")
        assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
        step(f"certificate downloaded from the bucket ({len(certificate.content)} B)")

        public = Browser(base)
        page = public.get(f"/verify/{token}/")
        assert page.status_code == 200 and serial in page.text, page.status_code
        api = public.get(f"/api/v1/credentials/{token}")
        assert api.status_code == 200 and api.json()["status"] == "active", api.text[:500]
        step("verified publicly: page and API say active")

        manifest = (ROOT / "staticfiles" / "staticfiles.json").read_text()
        hashed = re.search(r'"(css/[^"]+\.[0-9a-f]{12}\.css)"', manifest).group(1)
        static = public.get(f"/static/{hashed}")
        assert static.status_code == 200, static.status_code
        assert "immutable" in static.headers.get("Cache-Control", ""), static.headers
        step(f"hashed static file served by whitenoise: /static/{hashed}")
        print("prod-smoke: every step passed")
        return 0
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        print(f"stopped {len(processes)} processes; logs in {logs}")


if __name__ == "__main__":
    sys.exit(main())
