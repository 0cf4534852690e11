import datetime

import factory

from credentials.services.credentials import issue_credential
from tests.factories import UserFactory


def make_credential(holder=None, *, kind="gpwer_msk", source_id=None, **kwargs):
    """Issue a credential through the real service (serials, audit and events included)."""
    holder = holder or UserFactory()
    make_credential.counter += 1
    defaults = {
        "scope": "Community-based MSK assessment, injection therapy and triage.",
        "valid_from": datetime.date(2026, 1, 1),
        "valid_until": datetime.date(2029, 12, 31),
        "source_type": "tests.source",
        "source_id": source_id or f"src-{make_credential.counter}",
    }
    defaults.update(kwargs)
    return issue_credential(holder=holder, kind=kind, **defaults)


make_credential.counter = 0


__all__ = ["UserFactory", "factory", "make_credential"]
