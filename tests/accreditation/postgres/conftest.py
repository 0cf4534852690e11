"""Tests that need PostgreSQL itself (triggers, real concurrent transactions).

They are collected only when the suite runs against PostgreSQL (DATABASE_URL=postgres://...),
which CI always does as its second pass.
"""

import os

if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    collect_ignore_glob = ["test_*.py"]
