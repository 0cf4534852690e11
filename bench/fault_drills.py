"""Fault drills on the production stack, each with its figures:

    .venv/bin/python bench/fault_drills.py worker-kill      # a db_worker killed mid bulk run
    .venv/bin/python bench/fault_drills.py postgres-restart # PostgreSQL restarted under load
    .venv/bin/python bench/fault_drills.py redis-down       # Redis stopped, then back
    .venv/bin/python bench/fault_drills.py storage-down     # object storage lost in an upload
    .venv/bin/python bench/fault_drills.py all

PostgreSQL and Redis are the drill's own (a private cluster and server on free ports), so
stopping them disturbs nothing else on the machine. Exit code 0 only when every expectation
held; each drill prints what it saw.
"""

import argparse
import collections
import contextlib
import signal
import subprocess
import sys
import threading
import time

from stack import (
    DEMO_PASSWORD,
    ROOT,
    Browser,
    PrivatePostgres,
    Stack,
    free_port,
    psql,
    wait_for,
)

APPLICANT = "applicant@demo.msk-portal.example"
OUTAGE_PAGE = "Sorry, the service is unavailable"


class Failed(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)
    print(f"    ok: {message}")


def demo_token(stack: Stack) -> str:
    return psql(
        "SELECT token FROM credentials_credential WHERE status = 'active' ORDER BY id LIMIT 1",
        stack.database,
        port=stack.pg_port,
    ).strip()


def hammer(base: str, paths: list[str], stop: threading.Event, results: list, clients: int = 4):
    """CLIENTS threads requesting PATHS in turn until STOP; each result is
    (seconds since start, path, status, body has the outage page)."""
    began = time.monotonic()

    def client(offset: int) -> None:
        browser = Browser(base)
        n = offset
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                response = browser.get(path)
                results.append(
                    (
                        time.monotonic() - began,
                        path,
                        response.status_code,
                        OUTAGE_PAGE in response.text,
                        "Traceback" in response.text,
                    )
                )
            except Exception as exc:  # noqa: BLE001 - a refused connection is a result too
                results.append((time.monotonic() - began, path, type(exc).__name__, False, False))
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    return threads


# -- 1. a worker killed in the middle of a bulk certificate run ----------------------------
def worker_kill(count: int = 150) -> None:
    print("\n== worker-kill: a db_worker killed mid bulk certificate run")
    with Stack(
        "drill-worker-kill", database="msk_portal_drill_worker", bucket="drill-worker"
    ) as st:
        st.manage("seed_demo")
        st.manage(
            "shell",
            "-c",
            "from credentials.api import Source, issue_credential; "
            "from portal.models import User; "
            f"u = User.objects.get(email='{APPLICANT}'); "
            f"[issue_credential(holder=u, credential_type='first_contact_practitioner', "
            f"source=Source('portal.drill', i)) for i in range({count})]",
            CERTIFICATES_ON_ISSUE="false",
        )

        def missing() -> int:
            return int(
                psql(
                    "SELECT count(*) FROM credentials_credential WHERE certificate = '' "
                    "AND status <> 'revoked'",
                    st.database,
                ).strip()
            )

        total = missing()
        st.step(f"{total} credentials without a certificate")
        st.start_worker("worker1")
        st.start_worker("worker2")
        began = time.monotonic()
        st.manage("generate_certificates", "--batch-size", "10")
        while missing() > total * 0.7:
            time.sleep(0.1)
        st.stop("worker1", signal.SIGKILL)
        st.step(f"worker1 killed (SIGKILL) with {total - missing()} of {total} made")
        requeued = 0
        deadline = time.monotonic() + 600
        while missing() and time.monotonic() < deadline:
            time.sleep(3)
            # The periodic job, with a drill-sized lease (production: 15 minutes).
            out = st.manage("requeue_stale_tasks", "--older-than", "10")
            requeued += int(out.split()[1])
        elapsed = time.monotonic() - began
        made = psql(
            "SELECT count(*), count(DISTINCT object_id) FROM portal_auditevent "
            "WHERE action = 'credential.certificate_generated'",
            st.database,
        ).split("|")
        objects = [
            o["Key"]
            for page in st.s3().get_paginator("list_objects_v2").paginate(Bucket=st.bucket)
            for o in page.get("Contents", [])
            if o["Key"].startswith("certificates/")
        ]
        st.step(f"finished in {elapsed:.1f} s on the surviving worker; {requeued} task(s) requeued")
        expect(missing() == 0, f"every one of {total} certificates was made")
        expect(made[0].strip() == made[1].strip(), f"each made exactly once ({made[0]} events)")
        expect(len(objects) == int(made[0]), f"{len(objects)} files in the bucket, no leftovers")


# -- 2. PostgreSQL restarted under load ----------------------------------------------------
def postgres_restart(outage_seconds: float = 8) -> None:
    print("\n== postgres-restart: PostgreSQL stopped for a few seconds under load")
    with (
        PrivatePostgres() as pg,
        Stack(
            "drill-postgres",
            database="msk_portal_drill_pg",
            bucket="drill-pg",
            pg_port=pg.port,
        ) as st,
    ):
        st.manage("seed_demo")
        token = demo_token(st)
        base = st.start_web(workers=4)
        paths = [f"/verify/{token}/", f"/api/v1/credentials/{token}", "/"]
        stop, results = threading.Event(), []
        load_began = time.monotonic()
        threads = hammer(base, paths, stop, results)
        time.sleep(5)
        down_at = time.monotonic()
        pg.stop()
        st.step("PostgreSQL stopped")
        time.sleep(outage_seconds)
        pg.start()
        up_at = time.monotonic()
        st.step(f"PostgreSQL started again after {up_at - down_at:.1f} s")
        time.sleep(8)
        stop.set()
        for thread in threads:
            thread.join()
        by_status = collections.Counter(r[2] for r in results)
        st.step(f"{len(results)} requests: {dict(by_status)}")
        failures = [r for r in results if r[2] not in (200, 503)]
        expect(not failures, f"every answer was 200 or 503 (others: {failures[:3]})")
        expect(by_status[503] > 0, f"{by_status[503]} requests in the outage got the 503 page")
        expect(
            all(r[3] for r in results if r[2] == 503),
            "every 503 was the clean 'service unavailable' page",
        )
        expect(not any(r[4] for r in results), "no traceback shown to anyone")
        first_ok = [r[0] for r in results if r[2] == 200 and r[0] > (up_at - down_at) + 5]
        last_503 = max((r[0] for r in results if r[2] == 503), default=0)
        expect(bool(first_ok), "pages answer 200 again without restarting anything")
        back = up_at - load_began
        st.step(
            f"PostgreSQL back at {back:.1f} s into the load, last 503 at {last_503:.1f} s: "
            f"recovered {max(last_503 - back, 0):.1f} s after the database, by itself"
        )


# -- 3. Redis stopped, then back -----------------------------------------------------------
def redis_down() -> None:
    print("\n== redis-down: Redis stopped under a signed-in session, then started again")
    port = free_port()

    def start_redis():
        return subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )

    redis = start_redis()
    try:
        with Stack(
            "drill-redis",
            database="msk_portal_drill_redis",
            bucket="drill-redis",
            redis_url=f"redis://127.0.0.1:{port}/0",
        ) as st:
            st.manage("seed_demo")
            token = demo_token(st)
            base = st.start_web(workers=2)
            signed_in = Browser(base)
            login = signed_in.post(
                "/accounts/login/", {"login": APPLICANT, "password": DEMO_PASSWORD}
            )
            expect(login.status_code == 302, "signed in with Redis up")
            redis.terminate()
            redis.wait()
            st.step("Redis stopped")
            began = time.monotonic()
            expect(
                signed_in.get("/portfolio/").status_code == 200,
                "a signed-in applicant keeps their session (read from the database)",
            )
            second = Browser(base)
            login = second.post("/accounts/login/", {"login": APPLICANT, "password": DEMO_PASSWORD})
            expect(login.status_code == 302, "a new sign-in works without Redis")
            expect(second.get("/portfolio/").status_code == 200, "and reaches the portfolio")
            expect(Browser(base).get(f"/verify/{token}/").status_code == 200, "verify page works")
            ready = Browser(base).get("/readyz")
            expect(
                ready.status_code == 503 and ready.json()["checks"]["cache"] == "unavailable",
                "readyz reports the cache unavailable",
            )
            st.step(f"without Redis for {time.monotonic() - began:.1f} s: no request failed")
            redis = start_redis()
            wait_for(base + "/healthz")
            time.sleep(1)
            expect(Browser(base).get("/readyz").status_code == 200, "readyz is ok again")
            expect(
                signed_in.get("/portfolio/").status_code == 200,
                "the session made before the outage is still signed in (nothing lost)",
            )
    finally:
        with contextlib.suppress(ProcessLookupError):
            redis.terminate()


# -- 4. object storage unreachable during an upload ----------------------------------------
def storage_down() -> None:
    print("\n== storage-down: object storage unreachable during an evidence upload")
    from tests.portfolio.documents import pdf

    with Stack("drill-storage", database="msk_portal_drill_s3", bucket="drill-s3") as st:
        st.manage("seed_demo")
        base = st.start_web(workers=2)
        web = Browser(base)
        web.post("/accounts/login/", {"login": APPLICANT, "password": DEMO_PASSWORD})

        def evidence_count() -> int:
            return int(psql("SELECT count(*) FROM portfolio_evidenceitem", st.database).strip())

        def upload(title: str):
            return web.post(
                "/portfolio/evidence/add/",
                {
                    "kind": "case_review",
                    "date_day": "3",
                    "date_month": "2",
                    "date_year": "2026",
                    "title": title,
                    "reflection": "Uploaded during a storage drill.",
                },
                files={"files": ("knee.pdf", pdf(), "application/pdf")},
            )

        before = evidence_count()
        st.stop("moto")
        st.step("object storage stopped")
        began = time.monotonic()
        response = upload("Uploaded while storage is down")
        took = time.monotonic() - began
        expect(response.status_code == 200, "the upload answers with the form, not an error page")
        expect(
            "Your files could not be stored just now, so nothing was saved" in response.text,
            f"the applicant is told nothing was saved ({took:.1f} s)",
        )
        expect(evidence_count() == before, "no evidence item, half-written or otherwise")
        st.start(
            "moto", sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(st.s3_port)
        )
        wait_for(st.s3_url)
        st.make_bucket(st.bucket)  # moto keeps nothing: a fresh bucket stands in for the old
        response = upload("Uploaded after storage returned")
        expect(response.status_code == 302, "with storage back, the same upload succeeds")
        expect(evidence_count() == before + 1, "and makes exactly one evidence item")


DRILLS = {
    "worker-kill": worker_kill,
    "postgres-restart": postgres_restart,
    "redis-down": redis_down,
    "storage-down": storage_down,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("drill", choices=[*DRILLS, "all"])
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    chosen = DRILLS if args.drill == "all" else {args.drill: DRILLS[args.drill]}
    failed = []
    for name, drill in chosen.items():
        try:
            drill()
        except Failed as exc:
            print(f"    FAILED: {exc}")
            failed.append(name)
    print("\nfault drills:", "all passed" if not failed else f"FAILED {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
