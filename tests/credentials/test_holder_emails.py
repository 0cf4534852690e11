"""Suspending, reinstating or revoking a credential emails its holder (not only the
commissioners watching it), with the reason and what it means; a refused change sends
nothing."""

import pytest
from django.core import mail

from credentials.services.credentials import (
    CredentialError,
    reinstate_credential,
    revoke_credential,
    suspend_credential,
)
from tests.credentials.factories import make_credential
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(db):
    return make_credential(make_persona(None, email="holder@example.org"))


def _to_holder():
    return [m for m in mail.outbox if m.to == ["holder@example.org"]]


def test_each_change_tells_the_holder(
    credential, faculty_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suspend_credential(
            credential=credential, reason="Fitness to practise review", actor=faculty_staff
        )
    (message,) = _to_holder()
    assert message.subject == f"Your {credential.title} has been suspended"
    assert "Reason given: Fitness to practise review" in message.body
    assert "not valid" in message.body and credential.serial in message.body
    assert f"/verify/{credential.token}/" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        reinstate_credential(credential=credential, reason="Review closed", actor=faculty_staff)
    assert _to_holder()[-1].subject == f"Your {credential.title} has been reinstated"
    assert "valid again" in _to_holder()[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        revoke_credential(
            credential=credential, reason="Erased from the register", actor=faculty_staff
        )
    assert _to_holder()[-1].subject == f"Your {credential.title} has been revoked"
    assert "cannot be reinstated" in _to_holder()[-1].body
    assert len(_to_holder()) == 3


def test_a_refused_change_tells_nobody(
    credential, faculty_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(CredentialError):
            reinstate_credential(
                credential=credential, reason="Nothing to undo", actor=faculty_staff
            )
        with pytest.raises(CredentialError):
            suspend_credential(credential=credential, reason="", actor=faculty_staff)
    assert _to_holder() == []
