"""One migrated test database per state of the code, copied for each test process.

Migrating takes ~20 s on SQLite and on PostgreSQL (219 migrations, most of them Wagtail's); the
post-migrate steps (roles, standard pathways, exams and credential types, the CMS workflow) are
~0.2 s of it. So the migrated database, post-migrate steps included, is a template: the first
process to take its lock migrates it, and every process (each xdist worker, or the one process
without xdist) copies it: PostgreSQL by CREATE DATABASE … TEMPLATE (~0.7 s), SQLite by the
backup API into the process's usual in-memory database (~0.05 s).

Templates are kept between runs, one per fingerprint: every file of the project's apps (models,
migrations, the post-migrate steps' code and data), this module, the installed packages and the
database settings. A run whose code matches a kept template only copies it; runs at different
states of the code never wait for each other's migrations. Templates unused for a day are
removed by the next run that makes one. `--create-db` makes this state's template again.

CI points every pass at a fresh folder (TEST_DB_SHARED_DIR): each CI run migrates from scratch,
once per engine, into one template that its passes share; TEST_PASS keeps their copies apart.
"""

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.db import DatabaseError

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = Path(tempfile.gettempdir()) / "msk-portal-test-databases"
KEEP_UNUSED_SECONDS = 24 * 60 * 60
MAX_ATTEMPTS = 5  # a template may be remade (--create-db) between our check and our copy


@contextmanager
def _locked(path: Path, mode: int):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fingerprint(connection) -> str:
    """What the template is made from: a different value means a different database."""
    from django.apps import apps

    digest = hashlib.sha256()
    project_dirs = {path for path in ROOT.iterdir() if path.is_dir()}
    for app_dir in sorted({Path(config.path) for config in apps.get_app_configs()} & project_dirs):
        for path in sorted(app_dir.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    packages = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    settings = connection.settings_dict
    database = [settings.get(key) for key in ("ENGINE", "NAME", "HOST", "PORT", "USER")]
    digest.update(repr((packages, sys.version, sqlite3.sqlite_version, database)).encode())
    return digest.hexdigest()


def _test_name(connection) -> str:
    base = (
        connection.settings_dict["TEST"].get("NAME") or f"test_{connection.settings_dict['NAME']}"
    )
    # pytest-django appends the worker's suffix to the test name: strip it for the template.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and base.endswith(f"_{worker}"):
        base = base[: -len(worker) - 1]
    return base


class Template:
    """Where one template lives: its folder (lock, fingerprint, SQLite file) and its name."""

    def __init__(self, connection, folder: Path, name: str):
        self.connection = connection
        self.folder = folder
        self.name = name
        self.lock = folder / "lock"
        self.marker = folder / "fingerprint"
        self.made_by = folder / "made-by"

    @classmethod
    def for_ci(cls, connection, shared_dir: Path) -> "Template":
        folder = shared_dir / f"template-{connection.vendor}"
        if connection.vendor == "sqlite":
            return cls(connection, folder, str(folder / "test-template.sqlite3"))
        return cls(connection, folder, f"{_test_name(connection)}_template")

    @classmethod
    def cached(cls, connection, key: str) -> "Template":
        folder = CACHE_DIR / f"{connection.vendor}-{key[:16]}"
        if connection.vendor == "sqlite":
            return cls(connection, folder, str(folder / "test-template.sqlite3"))
        return cls(connection, folder, f"{_test_name(connection)}_t{key[:12]}")

    def is_made_from(self, key: str) -> bool:
        return self.marker.exists() and self.marker.read_text() == key

    def make(self, key: str, run: str) -> None:
        """Migrate a fresh database, then leave the connection pointing nowhere."""
        self.marker.unlink(missing_ok=True)
        connection = self.connection
        if connection.vendor == "sqlite":
            # A journal left beside an old template must never be read into the new one.
            for suffix in ("-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
        original = dict(connection.settings_dict)
        connection.settings_dict["TEST"] = {**connection.settings_dict["TEST"], "NAME": self.name}
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
        self.marker.write_text(key)
        self.made_by.write_text(run)

    def copy(self, worker: str) -> None:
        connection = self.connection
        if connection.vendor == "sqlite":
            connection.close()
            # The in-memory name Django gives a SQLite test database.
            connection.settings_dict["NAME"] = (
                f"file:memorydb_{connection.alias}?mode=memory&cache=shared"
            )
            connection.ensure_connection()
            # Read-only: a template that has gone is an error, never an empty database.
            source = sqlite3.connect(f"{Path(self.name).as_uri()}?mode=ro", uri=True)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.settings_dict["NAME"] = self.name
            connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
            connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
            connection.close()
        self.folder.touch()  # used now: kept for another day

    def remove(self) -> None:
        """Drop the database (PostgreSQL) and the folder; only while holding its lock."""
        connection = self.connection
        if connection.vendor != "sqlite":
            original = dict(connection.settings_dict)
            connection.settings_dict["NAME"] = self.name
            with suppress(DatabaseError):  # already gone, or still in use: left for next time
                connection.creation.destroy_test_db(old_database_name=original["NAME"], verbosity=0)
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)
        shutil.rmtree(self.folder, ignore_errors=True)


def _remove_unused(connection, keep: Template) -> None:
    """Remove templates of this engine unused for a day, unless a process holds one's lock."""
    for folder in CACHE_DIR.glob(f"{connection.vendor}-*"):
        try:
            unused_for = time.time() - folder.stat().st_mtime
            lock = (folder / "lock").open("a")
        except FileNotFoundError:
            continue  # removed by another run meanwhile
        with lock:
            if folder == keep.folder or unused_for < KEEP_UNUSED_SECONDS:
                continue
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # being copied or made right now
            Template.cached(connection, folder.name.split("-", 1)[1]).remove()


def setup_worker_database(connection, shared_dir: Path | None, *, remake: bool = False) -> str:
    """Give this process its own copy of the template, made first if there is none yet.

    SHARED_DIR is CI's folder, or None for the machine's own cache. Returns the original NAME.
    """
    old_name = connection.settings_dict["NAME"]
    key = fingerprint(connection)
    if shared_dir is None:
        template = Template.cached(connection, key)
    else:
        template = Template.for_ci(connection, shared_dir)
    worker = (
        "_".join(
            part
            for part in (os.environ.get("TEST_PASS"), os.environ.get("PYTEST_XDIST_WORKER"))
            if part
        )
        or "main"
    )
    # Under xdist, `--create-db` remakes the template once for the run, not once per worker.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"
    for _ in range(MAX_ATTEMPTS):
        with _locked(template.lock, fcntl.LOCK_EX):
            if remake and template.made_by.exists() and template.made_by.read_text() == run:
                remake = False
            if remake or not template.is_made_from(key):
                template.make(key, run)
                remake = False
                if shared_dir is None:
                    _remove_unused(connection, keep=template)
        # Copies share the lock: nobody remakes or removes the template while it is copied.
        with _locked(template.lock, fcntl.LOCK_SH):
            if template.is_made_from(key):
                template.copy(worker)
                return old_name
    raise RuntimeError(f"The test database template {template.name} kept changing; try again.")


def teardown_worker_database(connection, old_name: str) -> None:
    if connection.vendor == "sqlite":
        return  # in memory: gone with the process
    connection.creation.destroy_test_db(old_database_name=old_name, verbosity=0)
