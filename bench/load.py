"""Load benchmark: gunicorn (4 workers, the production profile) driven by wrk on loopback.

Against a database filled by `manage.py bench_data` (default `msk_portal_scale`, used as it is:
never migrated or dropped), 30 s at 4 concurrent clients and 30 s at 16 for each page, with
`/healthz` measured in the same run as the yardstick. Prints requests per second and
p50/p95/p99 per page and checks the targets: p95 ≤ 100 ms at 4 clients, and each page's
throughput ≥ 1/20 of /healthz's.

    .venv/bin/python bench/load.py [--database msk_portal_scale] [--duration 30] [--clients 4 16]

Needs wrk (Debian package `wrk`), PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
Signed-in pages use sessions made directly (Django's test client's force_login, under the same
settings as the server): the bench staff have enrolled MFA, which is all the portal checks
after sign-in. The register's per-IP search limit is raised for the run: every request comes
from one address here, where in life they come from many (the counter is still kept in Redis).
"""

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import Stack  # noqa: E402

P95_TARGET_MS = 100
SHARE_OF_HEALTHZ = 1 / 20

# Runs inside `manage.py shell` with the server's settings: sessions and the pages' targets.
TARGETS = r"""
import json
from django.conf import settings
from django.test import Client
from credentials.models import Credential
from exams.models import Sitting
from portal.models import User

def cookie(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value

credential = Credential.objects.filter(status="active", source_type="bench.data").order_by("pk")[0]
sitting = Sitting.objects.filter(label__startswith="Bench sitting").order_by("pk")[0]
print("TARGETS" + json.dumps({
    "cookie_name": settings.SESSION_COOKIE_NAME,
    "applicant": cookie("bench.applicant@bench.msk-portal.example"),
    "assessor": cookie("bench.assessor@bench.msk-portal.example"),
    "exams": cookie("bench.exams@bench.msk-portal.example"),
    "token": credential.token,
    "surname": credential.holder_name.split()[1],
    "sitting": sitting.pk,
}))
"""

LUA = """
wrk.headers["Host"] = "127.0.0.1"
wrk.headers["X-Forwarded-Proto"] = "https"
%(cookie)s
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, \\"p95\\": %%f, " ..
    "\\"p99\\": %%f, \\"status_errors\\": %%d, \\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def pages(t: dict, only: list[str] = ()) -> list[tuple[str, str, str | None]]:
    """(label, path, who is signed in); /healthz always, the rest filtered by ONLY."""
    every = [
        ("/healthz", "/healthz", None),
        ("register search", f"/register/?q={t['surname']}", None),
        ("verification page", f"/verify/{t['token']}/", None),
        ("verification API", f"/api/v1/credentials/{t['token']}", None),
        ("applicant dashboard", "/dashboard/applicant/", "applicant"),
        ("assessor queue", "/accreditation/assess/", "assessor"),
        ("sitting results", f"/manage/exams/sittings/{t['sitting']}/results/", "exams"),
    ]
    return [
        page
        for page in every
        if page[0] == "/healthz" or not only or any(word in page[0] for word in only)
    ]


def run_wrk(base: str, path: str, cookie: str | None, clients: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        line = f'wrk.headers["Cookie"] = "{cookie}"' if cookie else ""
        script.write(LUA % {"cookie": line})
    output = subprocess.run(
        ["wrk", "-t", str(min(clients, 4)), "-c", str(clients), "-d", f"{seconds}s"]
        + ["--timeout", "10s", "-s", script.name, base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no result:\n{output}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="msk_portal_scale")
    parser.add_argument("--duration", type=int, default=30, help="seconds per page and level")
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--only", nargs="+", default=[], help="measure only pages whose label has these words"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: sudo apt-get install wrk", file=sys.stderr)
        return 2
    with Stack("load", database=args.database, bucket="load", existing=True) as stack:
        stack.env["REGISTER_SEARCHES_PER_MINUTE"] = "100000000"
        stack.manage("collectstatic", "--no-input", "-v0")  # whitenoise's hashed names
        found = re.search(r"^TARGETS(.*)$", stack.manage("shell", "-c", TARGETS), re.MULTILINE)
        if not found:
            raise RuntimeError("no bench data found: run manage.py bench_data first")
        targets = json.loads(found.group(1))
        stack.step(f"gunicorn, {args.workers} workers")
        base = stack.start_web(workers=args.workers)
        import requests

        def cookie_for(who):
            return f"{targets['cookie_name']}={targets[who]}" if who else None

        for label, path, who in pages(targets, args.only):
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
            if who:
                headers["Cookie"] = cookie_for(who)
            for _ in range(3):  # warm each worker a little; the page itself must answer 200
                response = requests.get(
                    base + path, headers=headers, timeout=60, allow_redirects=False
                )
            if response.status_code != 200:
                raise RuntimeError(f"{label} ({path}) answered {response.status_code}")
        # One client, one request at a time: each page's own service time, apart from queueing.
        serial = {}
        for label, path, who in pages(targets, args.only):
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
            if who:
                headers["Cookie"] = cookie_for(who)
            times = []
            for _ in range(20):
                started = time.perf_counter()
                requests.get(base + path, headers=headers, timeout=60, allow_redirects=False)
                times.append((time.perf_counter() - started) * 1000)
            serial[label] = statistics.median(times)
        results = []
        for clients in args.clients:
            for label, path, who in pages(targets, args.only):
                stack.step(f"{clients} clients, {args.duration} s: {label}")
                result = run_wrk(base, path, cookie_for(who), clients, args.duration)
                results.append((clients, label, result))
    print()
    print(
        "one client, one request at a time (median of 20): "
        + ", ".join(f"{label} {ms:.1f} ms" for label, ms in serial.items())
    )
    print(f"gunicorn {args.workers} workers, PostgreSQL {args.database}, wrk on loopback")
    header = f"{'clients':>7}  {'page':<20} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
    print(header + f" {'p99 ms':>7} {'errors':>6}  target")
    failed = 0
    for clients in args.clients:
        healthz = next(r for c, label, r in results if c == clients and label == "/healthz")
        for c, label, r in results:
            if c != clients:
                continue
            verdict = ""
            if label != "/healthz":
                misses = []
                if clients == 4 and r["p95"] > P95_TARGET_MS:
                    misses.append(f"p95 > {P95_TARGET_MS} ms")
                if r["rps"] < healthz["rps"] * SHARE_OF_HEALTHZ:
                    misses.append("< 1/20 of /healthz")
                verdict = "MISSED: " + ", ".join(misses) if misses else "met"
                failed += bool(misses)
            errors = r["status_errors"] + r["socket_errors"]
            print(
                f"{clients:>7}  {label:<20} {r['rps']:>8.1f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                f"{r['p99']:>7.1f} {errors:>6}  {verdict}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
