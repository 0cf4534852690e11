class ExamError(Exception):
    """A refused move, in words a user can act on. Nothing was changed."""
