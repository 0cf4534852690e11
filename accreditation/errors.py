class AccreditationError(Exception):
    """A refused step, with a message to show the person who tried it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
