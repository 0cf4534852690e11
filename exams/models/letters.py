"""Results letters: each released result's letter has a reference and a public verification
page, so that a letter stating a result (a pass that awards no credential included) can be
checked by whoever is shown it."""

import secrets

from django.db import models
from django.utils import timezone

from exams.models.sittings import Booking

# Crockford's base 32: no I, L, O or U, so a reference read aloud or typed is not misread.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """RL-XXXX-XXXX: random (not a count), so references say nothing about other letters."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"RL-{code[:4]}-{code[4:]}"


def new_token() -> str:
    """The secret in the verification page's address (256 bits)."""
    return secrets.token_urlsafe(32)


class ResultsLetter(models.Model):
    """The letter of a booking's released result: made when it is first asked for, then the
    same reference and verification page for every copy."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="letter")
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return self.reference
