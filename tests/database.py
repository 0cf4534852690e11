"""One migrated test database per run (or per CI run), copied for each xdist worker.

Migrating takes ~12 s on SQLite and ~40 s on PostgreSQL; doing it once rather than once per
worker and per pass matters when CI runs several passes side by side on two cores. The first
worker to take the lock migrates a template database; every worker then copies it
(PostgreSQL: CREATE DATABASE … TEMPLATE; SQLite: the backup API into the worker's usual
in-memory database). CI points every pass at one folder (TEST_DB_SHARED_DIR) so the passes
share one template per database engine; TEST_PASS keeps their copies apart.
"""

import fcntl
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

TEMPLATE_SUFFIX = "template"


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _template_name(connection, shared_dir: Path) -> str:
    if connection.vendor == "sqlite":
        return str(shared_dir / "test-template.sqlite3")
    base = (
        connection.settings_dict["TEST"].get("NAME") or f"test_{connection.settings_dict['NAME']}"
    )
    # pytest-django appends the worker's suffix to the test name: strip it for the template.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker and base.endswith(f"_{worker}"):
        base = base[: -len(worker) - 1]
    return f"{base}_{TEMPLATE_SUFFIX}"


def _make_template(connection, name: str) -> None:
    """Migrate a fresh database called NAME, then leave the connection pointing nowhere."""
    original = dict(connection.settings_dict)
    connection.settings_dict["TEST"] = {**connection.settings_dict["TEST"], "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(original)


def setup_worker_database(connection, shared_dir: Path) -> str:
    """Give this worker its own copy of the run's template; returns the original NAME."""
    old_name = connection.settings_dict["NAME"]
    template = _template_name(connection, shared_dir)
    with _locked(shared_dir / f"test-template-{connection.vendor}.lock"):
        marker = shared_dir / f"test-template-{connection.vendor}.done"
        if not marker.exists():
            _make_template(connection, template)
            marker.write_text(template)
    worker = (
        "_".join(
            part
            for part in (os.environ.get("TEST_PASS"), os.environ.get("PYTEST_XDIST_WORKER"))
            if part
        )
        or "main"
    )
    if connection.vendor == "sqlite":
        connection.close()
        # The in-memory name Django gives a SQLite test database.
        connection.settings_dict["NAME"] = (
            f"file:memorydb_{connection.alias}?mode=memory&cache=shared"
        )
        connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.settings_dict["NAME"] = template
        connection.creation.clone_test_db(suffix=worker, verbosity=0, autoclobber=True)
        connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
        connection.close()
    return old_name


def teardown_worker_database(connection, old_name: str) -> None:
    if connection.vendor == "sqlite":
        return  # in memory: gone with the process
    connection.creation.destroy_test_db(old_database_name=old_name, verbosity=0)
