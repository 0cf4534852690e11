import os

# The race tests need PostgreSQL's real concurrent transactions (run with DATABASE_URL set).
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    collect_ignore_glob = ["test_*_races.py"]
