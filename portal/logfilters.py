"""Log records never carry a secret link's token.

Verification, confirmation and API addresses hold a token that is as good as a password to
whoever has it. Django logs the path of every request that fails ("Internal Server Error:
/verify/<token>/"), and runserver logs every request line: this filter rewrites the token in
both to "[token]" before any handler sees the record.
"""

import logging
import re

TOKEN_PATH = re.compile(
    r"(/verify/|/portfolio/confirm/|/accreditation/reference/|/api/v1/credentials/"
    r"|/exams/letters/)"
    r"[A-Za-z0-9_\-]{8,}",
    re.ASCII,
)


def redact(text: str) -> str:
    return TOKEN_PATH.sub(r"\1[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            # Error reporters print the request; give them a copy without the token.
            record.request = _RedactedRequest(request)
        return True


class _RedactedRequest:
    """A stand-in for the request that shows its path and URL with the token redacted."""

    def __init__(self, request):
        self._request = request
        self.path = redact(request.path)
        self.path_info = redact(getattr(request, "path_info", request.path))
        self.method = getattr(request, "method", "")
        self.META = {k: redact(v) if isinstance(v, str) else v for k, v in request.META.items()}

    def get_full_path(self, *args, **kwargs):
        return redact(self._request.get_full_path(*args, **kwargs))

    def build_absolute_uri(self, *args, **kwargs):
        return redact(self._request.build_absolute_uri(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self._request, name)
