"""Upload names, as the browser sent them.

Django quietly strips directories, control and bidi characters from upload names and cuts long
ones to 255 characters. The portfolio refuses such names instead, so views that accept uploads
are wrapped in `record_sent_file_names`, which keeps the names exactly as the browser sent them
for `check_sent_name`.
"""

import html
import os
import re
from functools import partial, wraps

from django.http.multipartparser import MultiPartParser
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from portal.limits import allows_uploads
from portal.text import has_hidden_characters, without_hidden_characters
from portfolio.errors import UploadRefused

MAX_SENT_NAME_LENGTH = 255
MAX_DISPLAY_NAME_LENGTH = 150  # EvidenceFile.original_name
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def shown_name(name: str, limit: int = 60) -> str:
    """NAME made safe to repeat in a message: visible characters only, not too long."""
    visible = without_hidden_characters(name)
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def check_sent_name(name: str) -> None:
    """Refuse a file name that plays a trick, as the browser sent it (before Django tidies it)."""
    name = html.unescape(name)  # Django unescapes before stripping; so do we
    shown = shown_name(name)
    if "\x00" in name:
        raise UploadRefused(f"The name of “{shown}” contains a hidden null character.")
    if any(ch in BIDI_CONTROLS for ch in name):
        raise UploadRefused(
            f"The name of “{shown}” contains characters that reverse the direction of text, "
            "which can disguise what kind of file it is. Rename the file and try again."
        )
    if has_hidden_characters(name):
        raise UploadRefused(f"The name of “{shown}” contains hidden control characters.")
    if "../" in name or "..\\" in name or name.strip() in {"..", "."}:
        raise UploadRefused(
            f"The name of “{shown}” points outside its folder (it contains “../”). "
            "Rename the file and try again."
        )
    if len(name) > MAX_SENT_NAME_LENGTH:
        raise UploadRefused(
            f"The name of “{shown}” is {len(name)} characters long. "
            f"File names must be {MAX_SENT_NAME_LENGTH} characters or fewer."
        )


def display_name(name: str) -> str:
    """The name to show and to offer on download: no folders, at most 150 characters."""
    check_sent_name(name)
    base = re.split(r"[/\\]", name)[-1]
    base = " ".join(base.split())
    stem, ext = os.path.splitext(base)
    ext = ext[:10]
    if len(base) > MAX_DISPLAY_NAME_LENGTH:
        base = stem[: MAX_DISPLAY_NAME_LENGTH - len(ext)].rstrip() + ext
    return base


class _NameRecordingParser(MultiPartParser):
    def __init__(self, *args, sent_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_names = sent_names

    def sanitize_file_name(self, file_name):
        self.sent_names.append(file_name)
        return super().sanitize_file_name(file_name)


def record_sent_file_names(view):
    """Keep upload names as sent in `request.sent_file_names`.

    The multipart body must be parsed by our parser, so CSRF is checked inside this wrapper
    rather than by the middleware (which would parse the body first).
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.sent_file_names = []
        request.multipart_parser_class = partial(
            _NameRecordingParser, sent_names=request.sent_file_names
        )
        return protected(request, *args, **kwargs)

    # Evidence pages are where large bodies are expected (portal/limits.py).
    return allows_uploads(wrapper)
