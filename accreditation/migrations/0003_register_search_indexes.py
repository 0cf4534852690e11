"""Indexes for the public register's search (see bench/register.py for the plans).

A pg_trgm GIN index on UPPER(holder_name) for "name contains", PostgreSQL only: on any other
database the extension and that index are skipped (the index stays in the migration state,
matching the model). And a btree in the register's order, everywhere.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models
from django.db.models.functions import Upper


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """AddIndex that touches the database only on PostgreSQL."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0002_watchlist_watchlistentry_watchnotification_and_more"),
    ]

    operations = [
        TrigramExtension(),  # CREATE EXTENSION IF NOT EXISTS pg_trgm; a no-op elsewhere
        AddIndexOnPostgreSQL(
            model_name="credential",
            index=GinIndex(
                OpClass(Upper("holder_name"), name="gin_trgm_ops"),
                name="credential_holder_name_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="credential",
            index=models.Index(
                fields=["holder_name", "-issued_at", "id"], name="credential_register_order"
            ),
        ),
    ]
