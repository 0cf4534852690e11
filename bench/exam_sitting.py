"""Candidates sitting an online paper, on the production profile (gunicorn, PostgreSQL, Redis):

    .venv/bin/python bench/exam_sitting.py [load] [--candidates 1000] [--duration 300]
    .venv/bin/python bench/exam_sitting.py drill [--candidates 100] [--duration 60]

`load`: first one candidate alone makes 20 saves and page loads one at a time (each request's
own time, apart from queueing). Then CANDIDATES candidates start one 100-question paper within
the first --ramp seconds (start page, Start, first question page), and each answers a question
every 20–40 s through the page's JSON autosave (about 33 saves a second for 1,000) and, after
85 % of answers, loads the next question's page 1–5 s later. /healthz is asked twice a second
in the same run. Prints saves per second, p50/p95/p99 of a save, a question page, starting and
/healthz (for the whole run and for its steady part, once everyone is answering: the targets
are checked on that), how busy the machine was and with what, the database's growth, and
checks that every save the server acknowledged is in the database. Then every attempt is
completed to 100 answers (not timed) and scoring and item analysis of the 1,000 × 100
responses are timed: close_paper, set_standard (a board-set cut) and analyse_items. Targets:
p95 save ≤ 50 ms, p95 question page ≤ 100 ms, no answer lost, scoring ≤ 5 s.

`drill`: CANDIDATES candidates answer every 1–2 s on a private PostgreSQL cluster; a gunicorn
worker caught in the middle of a request is killed (SIGKILL) and PostgreSQL is stopped for
10 s. Clients send a save again with the same key when it got no JSON answer, as
static/js/paper.mjs does (1, 2, 4... up to 30 s apart), and reload a question page that failed
every second; the drill waits until every save has been answered. Every answer the server
acknowledged must be in the database afterwards (the last acknowledged option per attempt and
question, or a newer save of the same tab).

Both exit non-zero when an expectation or target is not met. gunicorn has 4 sync workers (the
production profile: one connection per request, no keep-alive); Redis is a private server on
a free port; PostgreSQL is the machine's cluster on 5432 for `load` (a fresh database, dropped
at the end) and a private cluster for `drill`. The candidates are made in bulk by
`manage.py bench_exam_sitting build`, each with a signed-in session written into the session
table: nobody signs in through the form (applicants need no MFA). The clients are asyncio
tasks sharing one aiohttp session in this process.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import signal
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import PrivatePostgres, Stack, free_port, psql, wait_for  # noqa: E402

HOST = "127.0.0.1"
ORIGIN = "https://127.0.0.1"
SAVE_P95_MS = 50
PAGE_P95_MS = 100
SCORING_SECONDS = 5
MOVE_ON = 0.85  # after an answer, the chance the candidate goes to the next question

PAGE = {
    "csrf": re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"'),
    "autosave": re.compile(r'data-autosave="([^"]+)"'),
    "question": re.compile(r'data-question="(\d+)"'),
    "version": re.compile(r'name="version" value="(\d+)"'),
    "option": re.compile(r'name="option" type="radio" value="([A-E])"'),
    "number": re.compile(r"Question (\d+) of (\d+)"),
}


class Failed(Exception):
    pass


# -- the machine ---------------------------------------------------------------------------
def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of every core since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def process_cpu(pid: int) -> float:
    """CPU seconds used by PID and its waited-for children."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return 0.0


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def serving(workers: list[int], port: int) -> list[int]:
    """The WORKERS holding an established connection on PORT: in the middle of a request."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    inodes.add(fields[9])
    busy = []
    for pid in workers:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(FileNotFoundError):
                    target = os.readlink(fd)
                    if target.startswith("socket:[") and target[8:-1] in inodes:
                        busy.append(pid)
                        break
    return busy


@contextlib.contextmanager
def private_redis():
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
        yield f"redis://{HOST}:{port}/0"
    finally:
        server.terminate()
        server.wait()


# -- the clients ---------------------------------------------------------------------------
@dataclass
class Sample:
    kind: str  # "save", "page", "start", "healthz"
    at: float  # seconds since the run began, when the request was sent
    ms: float  # until the answer came (or the connection failed)
    status: int | str  # the HTTP status, or the exception's name

    @property
    def done(self) -> float:
        return self.at + self.ms / 1000


@dataclass
class Save:
    attempt: int
    question: int
    sequence: int
    option: str
    tab: str
    sent: float
    acked: float | None = None
    refused: str | None = None
    tries: int = 0


@dataclass
class Run:
    base: str
    paper: int
    session_cookie: str
    csrf_cookie: str
    began: float = 0.0
    stop_at: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    pending: set = field(default_factory=set)
    prefix: str = ""  # "serial " while one candidate is timed alone
    http: aiohttp.ClientSession | None = None

    def now(self) -> float:
        return time.monotonic() - self.began

    async def request(self, kind, method, path, *, cookies=None, data=None, referer=None):
        """(status, text, location); every request is a sample. Exceptions pass through,
        recorded by name."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if method == "POST":
            headers.update(Origin=ORIGIN, Referer=ORIGIN + (referer or path))
            if kind == "save":
                headers["X-Requested-With"] = "fetch"
        kind = self.prefix + kind
        sent = self.now()
        began = time.perf_counter()
        try:
            async with self.http.request(
                method, self.base + path, data=data, headers=headers, allow_redirects=False
            ) as response:
                text = await response.text()
                status, location = response.status, response.headers.get("Location", "")
        except (aiohttp.ClientError, TimeoutError) as exc:
            elapsed = (time.perf_counter() - began) * 1000
            self.samples.append(Sample(kind, sent, elapsed, type(exc).__name__))
            raise
        self.samples.append(Sample(kind, sent, (time.perf_counter() - began) * 1000, status))
        return status, text, location


class Candidate:
    def __init__(self, run: Run, booking: int, session: str, rng: random.Random):
        self.run = run
        self.booking = booking
        self.rng = rng
        alphabet = string.ascii_letters + string.digits
        self.cookies = {
            run.session_cookie: session,
            run.csrf_cookie: "".join(secrets.choice(alphabet) for _ in range(32)),
        }
        # As paper.mjs: one tab id per browser tab, sequences from the clock in microseconds.
        self.tab = "tab-" + secrets.token_hex(9)
        self.sequence = int(time.time() * 1_000_000)
        self.attempt = 0
        self.number = 1
        self.total = 0
        self.form: dict = {}
        self.chosen: dict[int, str] = {}

    async def get(self, kind, path):
        return await self.run.request(kind, "GET", path, cookies=self.cookies)

    async def start(self) -> None:
        path = f"/exams/bookings/{self.booking}/papers/{self.run.paper}/"
        status, text, _ = await self.get("start", path)
        token = PAGE["csrf"].search(text)
        if status != 200 or not token:
            raise Failed(f"start page answered {status}")
        status, _, location = await self.run.request(
            "start",
            "POST",
            path,
            cookies=self.cookies,
            data={"csrfmiddlewaretoken": token.group(1)},
        )
        found = re.search(r"/exams/attempts/(\d+)/questions/(\d+)/", location)
        if status != 302 or not found:
            raise Failed(f"Start answered {status} to {location!r}")
        self.attempt, self.number = int(found.group(1)), int(found.group(2))
        await self.load_question()

    async def load_question(self, *, retry_every: float | None = None) -> None:
        """The question page; with RETRY_EVERY, reloaded until it comes (as a person would)."""
        path = f"/exams/attempts/{self.attempt}/questions/{self.number}/"
        while True:
            try:
                status, text, _ = await self.get("page", path)
            except (aiohttp.ClientError, TimeoutError):
                status, text = 0, ""
            if status == 200:
                break
            if retry_every is None:
                raise Failed(f"question page answered {status}")
            await asyncio.sleep(retry_every)
        form = {name: PAGE[name].search(text) for name in ("csrf", "autosave", "question")}
        form["version"] = PAGE["version"].search(text)
        if not all(form.values()):
            raise Failed("the question page has no autosave form")
        self.form = {name: match.group(1) for name, match in form.items()}
        self.form["options"] = PAGE["option"].findall(text)
        self.form["path"] = path
        self.total = int(PAGE["number"].search(text).group(2))

    def answer(self) -> asyncio.Task:
        """Choose an option (another one if this question has an answer) and autosave it."""
        question = int(self.form["question"])
        options = [o for o in self.form["options"] if o != self.chosen.get(question)]
        option = self.rng.choice(options)
        self.chosen[question] = option
        self.sequence += 1
        save = Save(self.attempt, question, self.sequence, option, self.tab, sent=self.run.now())
        self.run.saves.append(save)
        task = asyncio.create_task(self.send(save, dict(self.form)))
        self.run.pending.add(task)
        task.add_done_callback(self.run.pending.discard)
        return task

    async def send(self, save: Save, form: dict) -> None:
        """paper.mjs's send(): a JSON answer is final (saved, or refused with a message);
        no answer, or one that is not JSON, is sent again with the same key after
        1, 2, 4... up to 30 s."""
        data = {
            "csrfmiddlewaretoken": form["csrf"],
            "question": form["question"],
            "version": form["version"],
            "tab": save.tab,
            "sequence": str(save.sequence),
            "option": save.option,
        }
        while True:
            save.tries += 1
            try:
                status, text, _ = await self.run.request(
                    "save",
                    "POST",
                    form["autosave"],
                    cookies=self.cookies,
                    data=data,
                    referer=form["path"],
                )
                answer = json.loads(text)
            except (aiohttp.ClientError, TimeoutError, ValueError):
                await asyncio.sleep(min(30.0, 2.0 ** (save.tries - 1)))
                continue
            if answer.get("saved") and status == 200:
                save.acked = self.run.now()
            else:
                save.refused = f"{status} {answer.get('message', '')}"
            return

    async def sit(self, gap: tuple[float, float], pause: tuple[float, float], patient: bool):
        """Answer every GAP seconds until the run stops; after most answers, wait PAUSE and
        load the next question's page."""
        next_answer = self.run.now() + self.rng.uniform(*gap)
        while True:
            await asyncio.sleep(max(0.0, next_answer - self.run.now()))
            if self.run.now() >= self.run.stop_at:
                return
            self.answer()
            next_answer += self.rng.uniform(*gap)
            if self.rng.random() < MOVE_ON and self.number < self.total:
                await asyncio.sleep(self.rng.uniform(*pause))
                if self.run.now() >= self.run.stop_at:
                    return
                self.number += 1
                await self.load_question(retry_every=1.0 if patient else None)


async def healthz(run: Run, every: float) -> None:
    while run.now() < run.stop_at:
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            await run.request("healthz", "GET", "/healthz")
        await asyncio.sleep(every)


async def drive(
    run: Run, candidates, *, ramp, gap, pause, patient, events=(), serial=0, on_crowd=None
) -> list[str]:
    """Run every candidate (and /healthz beside them); EVENTS are (second, coroutine
    function) run at that second. Returns the candidates' errors. With SERIAL, the first
    candidate first starts and makes that many saves and page loads alone, one at a time:
    each request's own time, apart from queueing (it then sits with the others, resuming)."""
    connector = aiohttp.TCPConnector(limit=512, force_close=True)
    timeout = aiohttp.ClientTimeout(total=60)
    errors: list[str] = []
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        run.http = http

        async def one(candidate: Candidate, at: float) -> None:
            await asyncio.sleep(at)
            try:
                await candidate.start()
                await candidate.sit(gap, pause, patient)
            except (Failed, aiohttp.ClientError, TimeoutError) as exc:
                errors.append(f"booking {candidate.booking}: {type(exc).__name__} {exc}")

        async def event(at, action):
            await asyncio.sleep(max(0.0, at - run.now()))
            await action()

        if serial:
            run.began, run.prefix = time.monotonic(), "serial "
            probe = candidates[0]
            await probe.start()
            for _ in range(serial):
                await probe.answer()
                probe.number += 1
                await probe.load_question()
            run.prefix = ""
        if on_crowd:
            on_crowd()
        run.began = time.monotonic()
        tasks = [asyncio.create_task(healthz(run, 0.5))]
        tasks += [asyncio.create_task(event(at, action)) for at, action in events]
        tasks += [
            asyncio.create_task(one(c, random.uniform(0, ramp)))  # noqa: S311
            for c in candidates
        ]
        await asyncio.gather(*tasks)
        # Every save still unanswered is retried until the server answers it.
        drain_began = time.monotonic()
        while run.pending and time.monotonic() - drain_began < 180:
            await asyncio.wait(set(run.pending), timeout=5)
        for task in run.pending:
            task.cancel()
    return errors


# -- figures -------------------------------------------------------------------------------
def quantiles(values) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3
    p = np.percentile(np.asarray(values), [50, 95, 99])
    return float(p[0]), float(p[1]), float(p[2])


def latency_table(run: Run, *, since: float = 0.0, until: float | None = None) -> dict:
    until = until if until is not None else run.stop_at
    table = {}
    for kind in ("save", "page", "start", "healthz"):
        chosen = [s for s in run.samples if s.kind == kind and since <= s.at < until]
        ok = [s.ms for s in chosen if s.status in (200, 302)]
        table[kind] = {
            "requests": len(chosen),
            "ok": len(ok),
            "per_second": len(ok) / max(until - since, 1e-9),
            "p": quantiles(ok),
            "failed": len(chosen) - len(ok),
        }
    return table


def print_serial(run: Run) -> None:
    figures = []
    for kind, name in (("save", "save"), ("page", "question page")):
        ms = [s.ms for s in run.samples if s.kind == "serial " + kind and s.status in (200, 302)]
        if ms:
            figures.append(f"{name} {np.median(ms):.1f} ms (of {len(ms)})")
    print("\none candidate alone, one request at a time, median: " + ", ".join(figures))


def print_table(title: str, table: dict) -> None:
    print(f"\n{title}")
    print(f"  {'request':<24} {'count':>7} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    names = {
        "save": "save (JSON autosave)",
        "page": "question page",
        "start": "start page + Start",
        "healthz": "/healthz",
    }
    for kind, row in table.items():
        p50, p95, p99 = row["p"]
        failed = f"   ({row['failed']} failed)" if row["failed"] else ""
        print(
            f"  {names[kind]:<24} {row['ok']:>7} {row['per_second']:>7.1f} {p50:>8.1f} "
            f"{p95:>8.1f} {p99:>8.1f}{failed}"
        )


def stored_responses(database: str, port: int) -> dict:
    out = psql(
        "SELECT attempt_id, paper_question_id, option, save_tab, save_sequence FROM exams_response",
        database,
        port=port,
    )
    rows = {}
    for line in out.splitlines():
        attempt, question, option, tab, sequence = line.split("|")
        rows[(int(attempt), int(question))] = (option, tab, int(sequence))
    return rows


def check_answers(run: Run, rows: dict) -> dict:
    """Every acknowledged save is in the database: per (attempt, question), the stored row is
    the newest acknowledged save of that tab, or a save of the same tab newer than it (sent,
    not yet acknowledged, and taken). Anything else is a lost answer."""
    by_key: dict[tuple, list[Save]] = {}
    for save in run.saves:
        by_key.setdefault((save.attempt, save.question), []).append(save)
    figures = {"acknowledged": 0, "keys": 0, "stored": 0, "newer_unacknowledged": 0, "lost": []}
    for key, saves in by_key.items():
        acked = [s for s in saves if s.acked is not None]
        figures["acknowledged"] += len(acked)
        if not acked:
            continue
        figures["keys"] += 1
        last = max(acked, key=lambda s: s.sequence)
        row = rows.get(key)
        sent = {s.sequence: s.option for s in saves}
        older = row is None or row[1] != last.tab or row[2] < last.sequence
        if older or sent.get(row[2]) != row[0]:
            figures["lost"].append((key, last.option, row))
        elif row[2] == last.sequence:
            figures["stored"] += 1
        else:
            figures["stored"] += 1
            figures["newer_unacknowledged"] += 1
    return figures


def db_size(database: str, port: int) -> int:
    return int(psql(f"SELECT pg_database_size('{database}')", database, port=port).strip())


def count(table: str, database: str, port: int) -> int:
    return int(psql(f"SELECT count(*) FROM {table}", database, port=port).strip())


def expect(condition: bool, message: str, failures: list) -> None:
    print(f"  {'ok' if condition else 'FAILED'}: {message}")
    if not condition:
        failures.append(message)


def build(stack: Stack, candidates: int) -> dict:
    stack.manage("collectstatic", "--no-input", "-v0")  # whitenoise's hashed names
    out = stack.manage("bench_exam_sitting", "build", "--candidates", str(candidates))
    data = json.loads(out.split("BUILD ", 1)[1])
    stack.step(
        f"built: 125 questions, paper {data['paper']} of {data['questions']}, "
        f"{len(data['candidates'])} candidates with sessions; seconds {data['seconds']}"
    )
    return data


class Machine:
    """How busy the machine was while the crowd ran: every core's busy time, and the CPU of
    gunicorn's workers, of this database's PostgreSQL backends and of this load generator
    (what is left is everybody else's work)."""

    def __init__(self, master: int, database: str, port: int):
        self.master, self.database, self.port = master, database, port
        self.loads: list[float] = []
        self.used: dict[str, dict[int, list[float]]] = {"gunicorn": {}, "postgres": {}}

    def _pids(self) -> dict[str, list[int]]:
        out = ""
        with contextlib.suppress(subprocess.CalledProcessError):  # PostgreSQL stopped
            out = psql(
                f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}'",
                port=self.port,
            )
        return {"gunicorn": children(self.master), "postgres": [int(p) for p in out.split()]}

    def begin(self):
        self.cpu = cpu_times()
        self.me = resource.getrusage(resource.RUSAGE_SELF)
        self.wall = time.monotonic()
        self.sample(first=True)

    def sample(self, first: bool = False):
        self.loads.append(loadavg())
        for name, pids in self._pids().items():
            for pid in pids:
                seconds = process_cpu(pid)
                known = self.used[name].setdefault(pid, [seconds if first else 0.0, seconds])
                known[1] = max(known[1], seconds)

    def end(self) -> dict:
        self.sample()
        busy, total = cpu_times()
        me = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.monotonic() - self.wall
        cores = os.cpu_count() or 1

        def share(seconds: float) -> float:
            return 100 * seconds / wall / cores

        figures = {
            "cores": cores,
            "busy_percent": 100 * (busy - self.cpu[0]) / max(total - self.cpu[1], 1),
            "load_min": min(self.loads),
            "load_mean": sum(self.loads) / len(self.loads),
            "load_max": max(self.loads),
            "bench_percent": share(me.ru_utime + me.ru_stime - self.me.ru_utime - self.me.ru_stime),
        }
        for name, pids in self.used.items():
            figures[f"{name}_percent"] = share(sum(b - a for a, b in pids.values()))
        figures["others_percent"] = max(
            0.0,
            figures["busy_percent"]
            - figures["bench_percent"]
            - figures["gunicorn_percent"]
            - figures["postgres_percent"],
        )
        return figures


def print_machine(m: dict) -> None:
    print(
        f"\nmachine: {m['cores']} cores, {m['busy_percent']:.0f} % busy over the run: gunicorn's "
        f"workers {m['gunicorn_percent']:.0f} %, this database's PostgreSQL backends "
        f"{m['postgres_percent']:.0f} %, this load generator {m['bench_percent']:.0f} %, "
        f"everything else (other people's work, Redis, the kernel) {m['others_percent']:.0f} %; "
        f"load average {m['load_min']:.1f}–{m['load_max']:.1f} (mean {m['load_mean']:.1f})"
    )


async def sampled(machine: Machine, run: Run, every: float = 5.0) -> None:
    """Sample the machine every EVERY seconds while the crowd runs (off the event loop)."""
    while not hasattr(machine, "wall"):
        await asyncio.sleep(0.5)
    while run.now() < run.stop_at:
        await asyncio.to_thread(machine.sample)
        await asyncio.sleep(every)


# -- load ----------------------------------------------------------------------------------
def load(args) -> int:
    failures: list[str] = []
    database = "msk_portal_bench_exam_sitting"
    print(f"== load: {args.candidates} candidates, {args.duration} s, one 100-question paper")
    print(f"   machine before: load average {Path('/proc/loadavg').read_text().strip()}")
    with (
        private_redis() as redis_url,
        Stack(
            "exam-sitting", database=database, bucket="bench-exam-sitting", redis_url=redis_url
        ) as stack,
    ):
        data = build(stack, args.candidates)
        base = stack.start_web(workers=4)
        size_before = db_size(database, stack.pg_port)
        responses_before = count("exams_response", database, stack.pg_port)
        audit_before = count("portal_auditevent", database, stack.pg_port)
        run = Run(base, data["paper"], data["session_cookie"], data["csrf_cookie"])
        run.stop_at = args.duration
        rng = random.Random(args.seed)  # noqa: S311 - a reproducible crowd, not secrets
        candidates = [
            Candidate(run, booking, session, random.Random(rng.random()))  # noqa: S311
            for booking, session in data["candidates"]
        ]
        machine = Machine(stack.processes["gunicorn"].pid, database, stack.pg_port)
        stack.step(f"{len(candidates)} candidates start within {args.ramp} s")

        async def go():
            monitor = asyncio.create_task(sampled(machine, run))
            errors = await drive(
                run,
                candidates,
                ramp=args.ramp,
                gap=(20, 40),
                pause=(1, 5),
                patient=False,
                serial=args.serial,
                on_crowd=machine.begin,
            )
            await monitor
            return errors

        errors = asyncio.run(go())
        busy = machine.end()
        stack.step(f"clients done ({len(run.pending)} saves unanswered)")
        stack.stop("gunicorn")
        size_after = db_size(database, stack.pg_port)
        rows = stored_responses(database, stack.pg_port)
        audit = count("portal_auditevent", database, stack.pg_port)
        attempts = count("exams_attempt", database, stack.pg_port)

        whole = latency_table(run)
        steady_from = args.ramp + 40
        steady = latency_table(run, since=steady_from) if args.duration > steady_from else None
        if args.serial:
            print_serial(run)
        print_table(f"whole run, 0–{args.duration} s", whole)
        if steady:
            print_table(
                f"steady part, {steady_from}–{args.duration} s (everyone answering)", steady
            )
        print_machine(busy)
        growth = size_after - size_before
        print(
            f"\ndatabase: {size_before / 2**20:.1f} MB before the load, "
            f"{size_after / 2**20:.1f} MB after (+{growth / 2**20:.1f} MB); exams_response "
            f"{responses_before} → {len(rows)} rows, exams_attempt {attempts} rows, "
            f"portal_auditevent {audit_before} → {audit} rows (about "
            f"{growth / max(len(rows) - responses_before, 1):,.0f} bytes a response with the "
            "attempts, audit events and indexes; WAL not counted)"
        )
        answers = check_answers(run, rows)
        refused = [s for s in run.saves if s.refused]
        print(
            f"\nanswers: {len(run.saves)} saves sent, {answers['acknowledged']} acknowledged "
            f"({answers['keys']} attempt-questions), {answers['stored']} stored as "
            f"acknowledged, {len(answers['lost'])} lost, {len(refused)} refused"
        )
        print()
        expect(not errors, f"every candidate started and sat ({errors[:3]})", failures)
        expect(
            not answers["lost"], f"no acknowledged answer lost ({answers['lost'][:3]})", failures
        )
        expect(not refused, f"no save refused ({[s.refused for s in refused[:3]]})", failures)
        failed = sum(row["failed"] for row in whole.values())
        expect(failed == 0, f"no request failed ({failed})", failures)
        table = steady or whole
        save95, page95 = table["save"]["p"][1], table["page"]["p"][1]
        expect(save95 <= SAVE_P95_MS, f"p95 save {save95:.1f} ms ≤ {SAVE_P95_MS} ms", failures)
        expect(
            page95 <= PAGE_P95_MS, f"p95 question page {page95:.1f} ms ≤ {PAGE_P95_MS} ms", failures
        )

        stack.step("completing every attempt to 100 answers (not timed)")
        filled = json.loads(
            stack.manage("bench_exam_sitting", "fill", "--paper", str(data["paper"])).split(
                "FILL ", 1
            )[1]
        )
        stack.step(f"filled: {filled}")
        stack.step("scoring: close_paper, set_standard (fixed cut), analyse_items")
        scored = json.loads(
            stack.manage(
                "bench_exam_sitting", "score", "--paper", str(data["paper"]), "--cut", "60"
            ).split("SCORE ", 1)[1]
        )
        size_scored = db_size(database, stack.pg_port)
        s = scored["seconds"]
        print(
            f"\nscoring {scored['submitted']} attempts × {scored['paper_questions']} questions "
            f"({filled['responses']:,} responses → {scored['marks']:,} marks, "
            f"{scored['answered_marks']:,} answered): close_paper {s['close_paper']:.2f} s, "
            f"set_standard {s['set_standard']:.2f} s, item analysis {s['item_analysis']:.2f} s; "
            f"total {s['total']:.2f} s"
        )
        print(
            "  queries (count, seconds in them as Django sees it): "
            + ", ".join(
                f"{step} {q['count']:,} / {q['seconds']:.2f} s"
                for step, q in scored["queries"].items()
            )
        )
        print(
            f"  {scored['results']} results, {scored['passed']} passed at 60/100; alpha "
            f"{scored['alpha']}, {scored['flagged']} questions flagged; database "
            f"{size_scored / 2**20:.1f} MB after scoring"
        )
        expect(
            scored["marks"] == scored["submitted"] * scored["paper_questions"],
            "a mark for every question of every attempt",
            failures,
        )
        expect(
            s["total"] <= SCORING_SECONDS,
            f"scoring and item analysis {s['total']:.2f} s ≤ {SCORING_SECONDS} s",
            failures,
        )
    print("\nexam sitting load:", "all met" if not failures else f"NOT MET: {failures}")
    return 1 if failures else 0


# -- drill ---------------------------------------------------------------------------------
def drill(args) -> int:
    failures: list[str] = []
    database = "msk_portal_drill_exam_sitting"
    print(
        f"== drill: {args.candidates} candidates answering every 1–2 s for {args.duration} s; "
        f"a gunicorn worker killed at {args.kill_at} s, PostgreSQL stopped at {args.outage_at} s "
        f"for {args.outage} s"
    )
    print(f"   machine before: load average {Path('/proc/loadavg').read_text().strip()}")
    with (
        private_redis() as redis_url,
        PrivatePostgres() as pg,
        Stack(
            "drill-exam-sitting",
            database=database,
            bucket="drill-exam-sitting",
            pg_port=pg.port,
            redis_url=redis_url,
        ) as stack,
    ):
        data = build(stack, args.candidates)
        base = stack.start_web(workers=4)
        master = stack.processes["gunicorn"].pid
        run = Run(base, data["paper"], data["session_cookie"], data["csrf_cookie"])
        run.stop_at = args.duration
        rng = random.Random(args.seed)  # noqa: S311
        candidates = [
            Candidate(run, booking, session, random.Random(rng.random()))  # noqa: S311
            for booking, session in data["candidates"]
        ]
        seen: dict = {}

        async def kill_worker():
            # One in the middle of a request, if one is found within 2 s.
            workers = children(master)
            for _ in range(200):
                busy = serving(workers, stack.web_port)
                if busy:
                    break
                await asyncio.sleep(0.01)
            victim = (busy or workers)[0]
            os.kill(victim, signal.SIGKILL)
            seen["killed"] = (run.now(), victim, workers)
            stack.step(
                f"gunicorn worker {victim} killed (SIGKILL) at {run.now():.1f} s, "
                + ("in the middle of a request" if busy else "none was seen mid-request")
            )
            for _ in range(100):
                await asyncio.sleep(0.2)
                now = children(master)
                if len(now) == len(workers) and victim not in now:
                    seen["replaced"] = run.now()
                    stack.step(f"gunicorn replaced it at {run.now():.1f} s: workers {now}")
                    return

        async def outage():
            seen["down"] = run.now()
            await asyncio.to_thread(pg.stop)
            stack.step(f"PostgreSQL stopped at {run.now():.1f} s")
            await asyncio.sleep(args.outage)
            await asyncio.to_thread(pg.start)
            seen["up"] = run.now()
            stack.step(f"PostgreSQL started again at {run.now():.1f} s")

        stack.step(f"{len(candidates)} candidates start within {args.ramp} s")
        machine = Machine(master, database, pg.port)

        async def go():
            monitor = asyncio.create_task(sampled(machine, run))
            errors = await drive(
                run,
                candidates,
                ramp=args.ramp,
                gap=(1, 2),
                pause=(0.2, 0.5),
                patient=True,
                events=[(args.kill_at, kill_worker), (args.outage_at, outage)],
                on_crowd=machine.begin,
            )
            await monitor
            return errors

        errors = asyncio.run(go())
        busy = machine.end()
        stack.step(f"clients done; {len(run.pending)} saves still unanswered")
        wait_for(base + "/healthz")
        rows = stored_responses(database, pg.port)
        answers = check_answers(run, rows)
        saves = [s for s in run.samples if s.kind == "save"]
        bad = [s for s in saves if s.status != 200]
        by_status: dict = {}
        for s in bad:
            by_status[s.status] = by_status.get(s.status, 0) + 1
        refused = [s for s in run.saves if s.refused]
        unanswered = [s for s in run.saves if s.acked is None and s.refused is None]
        waits = [s.acked - s.sent for s in run.saves if s.acked is not None]
        retried = [s for s in run.saves if s.tries > 1]
        first_bad = min((s.done for s in bad), default=0.0)
        last_bad = max((s.done for s in bad), default=0.0)
        pages = [s for s in run.samples if s.kind == "page"]
        bad_pages = [s for s in pages if s.status != 200]
        print_table("requests over the drill", latency_table(run, until=run.now()))
        print_machine(busy)
        print(
            f"\nsaves: {len(run.saves)} sent, {answers['acknowledged']} acknowledged "
            f"({answers['keys']} attempt-questions), {answers['stored']} stored as acknowledged "
            f"({answers['newer_unacknowledged']} by a newer save of the same tab), "
            f"lost {len(answers['lost'])}; refused {len(refused)}; never answered "
            f"{len(unanswered)}"
        )
        print(
            f"failed save requests: {len(bad)} of {len(saves)} ({by_status}), "
            f"the first at {first_bad:.1f} s, the last at {last_bad:.1f} s into the run; "
            f"{len(retried)} answers needed a retry; the longest an answer waited for its "
            f"acknowledgement: {max(waits, default=0):.1f} s (p99 {quantiles(waits)[2]:.1f} s)"
        )
        print(
            f"question pages: {len(bad_pages)} of {len(pages)} failed and were reloaded "
            f"({sorted({str(s.status) for s in bad_pages})})"
        )
        if "killed" in seen:
            at, victim, _ = seen["killed"]
            cut_off = [
                s for s in run.samples if isinstance(s.status, str) and at <= s.done <= at + 2
            ]
            print(
                f"worker kill: pid {victim} at {at:.1f} s, replaced at "
                f"{seen.get('replaced', float('nan')):.1f} s; requests cut off by it: "
                + (", ".join(f"{s.kind} ({s.status})" for s in cut_off) or "none")
            )
        if "down" in seen:
            down, up = seen["down"], seen.get("up", float("nan"))
            during = [s for s in bad if s.done >= down]
            kinds: dict = {}
            for s in during:
                kinds[s.status] = kinds.get(s.status, 0) + 1
            first = min((s.done for s in during), default=float("nan"))
            last = max((s.done for s in during), default=float("nan"))
            held = [
                s for s in run.saves if s.acked is not None and s.tries > 1 and s.sent >= down - 1
            ]
            print(
                f"PostgreSQL down {down:.1f}–{up:.1f} s ({up - down:.1f} s): {len(during)} save "
                f"requests failed ({kinds}), the first at {first:.1f} s and the last at "
                f"{last:.1f} s; {len(held)} answers "
                f"chosen from then on were acknowledged only by a retry, the last at "
                f"{max((s.acked for s in held), default=float('nan')):.1f} s"
            )
        print()
        expect(not errors, f"every candidate sat to the end ({errors[:3]})", failures)
        expect("replaced" in seen, "the killed worker was replaced by gunicorn", failures)
        expect(bool(bad), "the faults were felt: some save requests failed", failures)
        expect(
            not unanswered, "every save was answered in the end (retried with its key)", failures
        )
        expect(not refused, f"no save refused ({[s.refused for s in refused[:3]]})", failures)
        expect(
            answers["acknowledged"] > 0 and not answers["lost"],
            f"every acknowledged answer is in the database: {answers['stored']} stored, "
            f"lost {len(answers['lost'])} {answers['lost'][:3]}",
            failures,
        )
        ok_after = [s for s in saves if s.status == 200 and s.at > seen.get("up", 0) + 5]
        expect(bool(ok_after), "saves succeed again once PostgreSQL is back", failures)
    print("\nexam sitting drill:", "all passed" if not failures else f"FAILED: {failures}")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=["load", "drill"], default="load")
    parser.add_argument("--candidates", type=int)
    parser.add_argument("--duration", type=float, help="seconds of answering")
    parser.add_argument("--ramp", type=float, help="candidates start within this many seconds")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--serial", type=int, default=20, help="load: saves and pages timed alone first"
    )
    parser.add_argument("--kill-at", type=float, default=15, help="drill: kill a worker then")
    parser.add_argument("--outage-at", type=float, default=30, help="drill: stop PostgreSQL")
    parser.add_argument("--outage", type=float, default=10, help="drill: seconds without it")
    args = parser.parse_args()
    drilling = args.mode == "drill"
    args.candidates = args.candidates or (100 if drilling else 1000)
    args.duration = args.duration or (60 if drilling else 300)
    args.ramp = args.ramp if args.ramp is not None else (5 if drilling else 60)
    random.seed(args.seed)
    return drill(args) if drilling else load(args)


if __name__ == "__main__":
    sys.exit(main())
