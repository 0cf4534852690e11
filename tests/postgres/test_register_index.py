"""The register's name search can use the trigram index (pg_trgm exists only on PostgreSQL)."""

import pytest
from django.db import connection

from credentials.selectors.register import register_search
from tests.credentials.test_register import entry

pytestmark = pytest.mark.django_db


def test_a_name_search_can_use_the_trigram_index():
    entry("Asha Patel")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would not need it
        plan = register_search(text="Patel").explain()
    assert "credential_holder_name_trgm" in plan
