"""On PostgreSQL the database itself refuses to change or delete audit rows."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from portal.audit import record
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_postgres_refuses_raw_updates_and_deletes(applicant):
    event = record("portal.example", obj=applicant, actor=applicant)
    for sql in (
        "UPDATE portal_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM portal_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "portal.example"
