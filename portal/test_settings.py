"""Test overrides: fast hashing, in-memory email, no SSL redirect."""

import os

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Each xdist worker (and each CI pass, by TEST_PASS) has its own folder: two processes
# writing and deleting one folder's files would trip over each other.
MEDIA_ROOT = (
    BASE_DIR  # noqa: F405
    / "var"
    / "test-media"
    / os.environ.get("TEST_PASS", "local")
    / os.environ.get("PYTEST_XDIST_WORKER", "main")
)
# One process runs the tests, so a local-memory cache is shared by everything under test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Certificates are made on issue only in the tests that ask for it (they take ~0.1 s each).
CERTIFICATES_ON_ISSUE = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # Tests never need a commit to survive a crash: don't wait for the WAL flush on each one.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
    # The same backend with a faster flush between transactional tests.
    DATABASES["default"]["ENGINE"] = "tests.postgres_backend"  # noqa: F405
