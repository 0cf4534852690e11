"""The production stack on this machine, for the smoke run and the drills in bench/.

A `Stack` starts S3-compatible storage (moto's server on loopback), a fresh PostgreSQL
database, and on demand gunicorn and `db_worker` processes, all under PORTAL_ENV=production;
leaving the `with` block stops every process it started and drops its database.
"""

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

import boto3
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432"
S3_KEYS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
DEMO_PASSWORD = "msk-demo-2026!"  # the demo accounts' password (portal/demo.py)


def _signing_pair(folder: Path) -> tuple[Path, Path]:
    """A throwaway CA-issued signing certificate and key (tests/credentials/signing_keys.py)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.credentials.signing_keys import write_ca_issued_pair

    return write_ca_issued_pair(folder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str, database: str = "postgres", port: int = 5432) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database]
        + ["-qtA", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def recreate_database(name: str, port: int = 5432) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", port=port)
    psql(f"CREATE DATABASE {name}", port=port)


PG_BIN = (
    sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    if Path("/usr/lib/postgresql").exists()
    else None
)


class PrivatePostgres:
    """A PostgreSQL server of the drill's own (initdb in a temporary folder, a free port), so
    that restarting it disturbs nothing else on the machine."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="msk-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
        )

    def __enter__(self):
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )
        self.start()
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def __exit__(self, *exc):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        return False


def wait_for(url: str, seconds: float = 90, **kwargs) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2, **kwargs).status_code < 500:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def bucket_hashes(client, bucket: str) -> dict[str, str]:
    """Every object's key and SHA-256."""
    hashes = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for entry in page.get("Contents", []):
            body = client.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
            hashes[entry["Key"]] = hashlib.sha256(body).hexdigest()
    return hashes


class Stack:
    def __init__(
        self,
        name: str,
        *,
        database: str,
        bucket: str,
        pg_port: int = 5432,
        redis_url: str = "redis://127.0.0.1:6379/15",
        existing: bool = False,
    ):
        # existing: use DATABASE as it is (no drop, no migrate), e.g. one bench_data filled.
        self.name = name
        self.pg_port = pg_port
        self.database = database
        self.bucket = bucket
        self.s3_port = free_port()
        self.s3_url = f"http://127.0.0.1:{self.s3_port}"
        self.web_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs = ROOT / "var" / name
        self.logs.mkdir(parents=True, exist_ok=True)
        self.started = time.monotonic()
        self.existing = existing
        self.databases = [] if existing else [database]
        signing = _signing_pair(self.logs / "signing")
        self.env = {
            **os.environ,
            "PORTAL_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PORTAL_BASE_URL": "https://127.0.0.1",
            "SECURE_PROXY_SSL_HEADER": "true",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/{database}",
            "REDIS_URL": redis_url,
            "TASKS_BACKEND": "database",
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.s3_url,
            "S3_ACCESS_KEY_ID": S3_KEYS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": S3_KEYS["aws_secret_access_key"],
            "VIRUS_SCAN": "off",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "ISSUER_ED25519_KEY_FILE": str(ROOT / "tests/credentials/issuer-test-seed.txt"),
            # A throwaway CA-issued pair, as production has: `check --deploy` warns about the
            # committed demonstration pair.
            "ISSUER_CERT_FILE": str(signing[0]),
            "ISSUER_KEY_FILE": str(signing[1]),
            "LOG_LEVEL": "WARNING",
        }

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self):
        self.step("object storage: moto server on loopback")
        self.start("moto", PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port))
        wait_for(self.s3_url)
        self.make_bucket(self.bucket)
        if self.existing:
            self.step(f"PostgreSQL: existing database {self.database} (kept as it is)")
            return self
        self.step(f"PostgreSQL: fresh database {self.database}")
        recreate_database(self.database, port=self.pg_port)
        self.manage("migrate", "--no-input", "-v0")
        return self

    def __exit__(self, *exc):
        for name in list(self.processes):
            self.stop(name)
        for database in self.databases:
            with contextlib.suppress(subprocess.CalledProcessError):
                psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", port=self.pg_port)
        print(f"stopped everything; logs in {self.logs}")
        return False

    def step(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:7.1f} s] {text}", flush=True)

    # -- processes -------------------------------------------------------------------------
    def start(self, name: str, *command: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def manage(self, *args: str, **extra_env: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def start_web(self, workers: int = 4) -> str:
        self.start(
            "gunicorn",
            str(ROOT / ".venv/bin/gunicorn"),
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--access-logfile",
            "-",
        )
        base = f"http://127.0.0.1:{self.web_port}"
        wait_for(base + "/healthz")
        return base

    def start_worker(self, name: str) -> subprocess.Popen:
        return self.start(
            name, PY, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"
        )

    # -- storage ---------------------------------------------------------------------------
    def s3(self):
        return boto3.client("s3", endpoint_url=self.s3_url, region_name="eu-west-2", **S3_KEYS)

    def make_bucket(self, bucket: str) -> None:
        self.s3().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )


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

    def get(self, path: str):
        response = requests.get(
            urljoin(self.base, path), headers=self._headers(), allow_redirects=False, timeout=60
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
