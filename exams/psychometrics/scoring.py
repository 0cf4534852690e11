"""Scoring single-best-answer (SBA) responses against a key."""

from collections.abc import Sequence

import numpy as np

from exams.psychometrics.errors import PsychometricsInputError

OPTIONS = frozenset("ABCD")


def normalise_option(value: str, *, blank_ok: bool) -> str | None:
    """ "a".."d" or "A".."D" (surrounding spaces ignored) → the upper-case letter; "" → None when
    ``blank_ok``; anything else → PsychometricsInputError."""
    letter = value.strip(" \t").upper() if value.isascii() else value
    if letter in OPTIONS:
        return letter
    if letter == "" and blank_ok:
        return None
    raise PsychometricsInputError(
        f"expected an option A-D{' or blank' if blank_ok else ''}, got {value!r}"
    )


def score_responses(responses: Sequence[Sequence[str]], key: Sequence[str]) -> np.ndarray:
    """Candidates × items responses (option letters, case-insensitive) → a 0/1 float matrix.

    1 where the response equals the key's letter for that item; a blank response scores 0.
    """
    answers = [normalise_option(a, blank_ok=False) for a in key]
    scored = np.zeros((len(responses), len(answers)))
    for i, row in enumerate(responses):
        if len(row) != len(answers):
            raise PsychometricsInputError(
                f"candidate {i + 1} has {len(row)} responses for {len(answers)} items"
            )
        for j, response in enumerate(row):
            scored[i, j] = normalise_option(response, blank_ok=True) == answers[j]
    return scored
