class PortfolioError(Exception):
    """A rule of the portfolio was broken; the message is shown to the person as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UploadRefused(PortfolioError):
    """A file was not accepted; the message says which and why."""
