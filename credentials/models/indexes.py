from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models


class TrigramIndex(GinIndex):
    """A pg_trgm GIN index on PostgreSQL; a plain expression index on any other database.

    SQLite has no GIN, and it rebuilds every index of a table when a later migration alters
    it, so the fallback lives in the index itself rather than in one migration operation.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        expressions = [
            e.get_source_expressions()[0] if isinstance(e, OpClass) else e for e in self.expressions
        ]
        portable = models.Index(*expressions, name=self.name)
        return portable.create_sql(model, schema_editor, using=using, **kwargs)
