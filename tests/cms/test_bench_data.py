"""manage.py bench_data refuses SQLite with a clear message (PostgreSQL: tests/postgres)."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_sqlite_is_refused_and_nothing_is_made(monkeypatch):
    from django.db import connections

    from portal.models import User

    # Whichever database this pass runs on, the command sees SQLite.
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    before = User.objects.count()
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_data", "--scale", "0.001")
    assert User.objects.count() == before
