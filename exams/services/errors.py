class ExamError(Exception):
    """A refused move, in words a user can act on. Nothing was changed."""


def refuse_if(reason: str | None) -> None:
    """Raise ExamError with REASON, when there is one (a state module's refusal())."""
    if reason:
        raise ExamError(reason)
