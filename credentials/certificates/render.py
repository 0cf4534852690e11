"""The faculty's PDFs (certificates, and results letters through credentials.api): a Django
template (so every user-supplied text is escaped) laid out by WeasyPrint, which may load nothing
but the project's own static files.

Every PDF is tagged and declares PDF/UA-2 (WeasyPrint's "pdf/ua-2" variant): a structure tree
in reading order (headings, paragraphs, tables, the QR code as a figure with its text), the
document's title shown in the window and its language. Text is set as words: no letter-spacing
or text-transform in the stylesheets, which would make readers and text extraction see capitals
or single letters instead of the words written.

WeasyPrint fetches a URL for every stylesheet, image, font and `<link rel="attachment">`. Its
fetcher here answers only `portal-static:/<path>` URLs, from the static files, and refuses
anything else (`file:`, `http(s):`, `data:`, relative paths): it has no network or file handler
at all, so it cannot follow a redirect either. One fetcher and one font configuration serve
every render in the process, and the stylesheet is parsed once: making them anew costs more
than the layout of a page.
"""

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import OpenerDirector

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from credentials.links import verification_url

STATIC_SCHEME = "portal-static"
BASE_URL = f"{STATIC_SCHEME}:/"
TEMPLATE = "credentials/certificate/certificate.html"
STYLESHEET = "credentials/certificate.css"
# Tagged (a structure tree, /MarkInfo /Marked true), with the PDF/UA-2 identification in XMP.
# PDF/UA-2, the PDF/UA of PDF 2.0, and not PDF/UA-1 (PDF 1.7): the PAdES signature with an ECDSA
# key makes pyHanko mark the signed file as PDF 2.0 (ISO/TS 32002), which a PDF/UA-1 claim would
# contradict. A PDF/A identification cannot be added beside it (WeasyPrint writes one variant).
PDF_VARIANT = "pdf/ua-2"
QR_TITLE = "QR code: a link to the verification page"
ALLOWED_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
}


class RefusedURL(ValueError):
    """A certificate asked for something other than one of our static files."""


@dataclass(frozen=True)
class FetchAttempt:
    url: str
    served: bool


class StaticOnlyFetcher(URLFetcher):
    """Serves `portal-static:/<path>` from the static files; refuses every other URL.

    `attempts` keeps the latest URLs asked for (and whether they were served), for the log and
    for tests.
    """

    def __init__(self):
        # Deliberately not URLFetcher.__init__: it would install urllib's HTTP, FTP, file and
        # data handlers (and build an SSL context). This opener has no handler at all.
        OpenerDirector.__init__(self)
        self._timeout = 0
        self._http_headers = {}
        self._allowed_protocols = (STATIC_SCHEME,)
        self._fail_on_errors = False
        self._request = None
        self._files: dict[str, bytes] = {}
        self._files_lock = threading.Lock()
        self.attempts: deque[FetchAttempt] = deque(maxlen=100)

    def fetch(self, url, headers=None):
        try:
            path, content_type = self._static_path(url)
            body = self._read(path)
        except RefusedURL:
            self.attempts.append(FetchAttempt(url[:300], served=False))
            raise
        self.attempts.append(FetchAttempt(url[:300], served=True))
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    def _static_path(self, url: str) -> tuple[str, str]:
        parts = urlsplit(url)
        if parts.scheme != STATIC_SCHEME or parts.netloc or parts.query:
            raise RefusedURL(f"Refused {url[:100]!r}: certificates load only their own files.")
        path = unquote(parts.path).lstrip("/")
        pieces = path.split("/")
        if not path or "\\" in path or "\0" in path or any(p in ("", ".", "..") for p in pieces):
            raise RefusedURL(f"Refused {url[:100]!r}: not a plain static path.")
        suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if suffix not in ALLOWED_TYPES:
            raise RefusedURL(f"Refused {url[:100]!r}: not a stylesheet, image or font.")
        return path, ALLOWED_TYPES[suffix]

    def _read(self, path: str) -> bytes:
        cached = self._files.get(path)
        if cached is not None and not settings.DEBUG:
            return cached
        found = finders.find(path)
        if not found and settings.STATIC_ROOT:
            # Collected files; the storage's path() refuses any name outside STATIC_ROOT.
            candidate = FileSystemStorage(location=settings.STATIC_ROOT).path(path)
            found = candidate if Path(candidate).is_file() else None
        if not found:
            raise RefusedURL(f"Refused {path!r}: no such static file.")
        with open(found, "rb") as handle:
            body = handle.read()
        with self._files_lock:
            self._files[path] = body
        return body


def static_url(path: str) -> str:
    return BASE_URL + path


FETCHER = StaticOnlyFetcher()
_font_config: FontConfiguration | None = None
_stylesheets: dict[str, CSS] = {}
# Fontconfig and Pango objects are not made for concurrent use: one render at a time.
_render_lock = threading.Lock()


def font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def stylesheet(path: str = STYLESHEET) -> CSS:
    """A static stylesheet, parsed once (again on every render when DEBUG is on)."""
    parsed = _stylesheets.get(path)
    if parsed is None or settings.DEBUG:
        parsed = _stylesheets[path] = CSS(
            url=static_url(path), url_fetcher=FETCHER, font_config=font_config()
        )
    return parsed


def qr_svg(url: str, *, svgclass: str = "certificate__qr") -> SafeString:
    """The URL as an inline SVG QR code (paths only: the URL itself is not in the markup), with
    a fixed title that tagged PDFs give the figure as its alternative text."""
    qr = segno.make(url, error="m")
    # The standard quiet zone of 4 modules is inside the image, so nothing printed nearby
    # can spoil a scan.
    svg = qr.svg_inline(border=4, omitsize=True, svgclass=svgclass, lineclass=None, title=QR_TITLE)
    # segno writes only path data, sizes, our class and our title: nothing from the caller.
    return mark_safe(svg)  # noqa: S308


def certificate_html(credential, *, compact: bool = False) -> str:
    url = verification_url(credential)
    return render_to_string(
        TEMPLATE,
        {
            "credential": credential,
            "compact": compact,
            "issuer_name": settings.ISSUER_NAME,
            "verification_url": url,
            "qr_svg": qr_svg(url),
        },
    )


def _layout(html: str, stylesheet_path: str = STYLESHEET):
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER)
    return document.render(stylesheets=[stylesheet(stylesheet_path)], font_config=font_config())


def _write(document) -> bytes:
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, *, stylesheet_path: str = STYLESHEET) -> bytes:
    """Lay out trusted template output with a static stylesheet (the certificate's unless
    told) as a tagged PDF/UA-2 document; only our static files can be loaded."""
    with _render_lock:
        return _write(_layout(html, stylesheet_path))


def render_certificate(credential) -> bytes:
    """The unsigned one-page A4 certificate for CREDENTIAL.

    Text that is long enough to push the page over (names, titles and scopes at their longest)
    is set again in the compact layout; scope and conditions are cut short in the template.
    """
    with _render_lock:
        document = _layout(certificate_html(credential))
        if len(document.pages) > 1:
            document = _layout(certificate_html(credential, compact=True))
        return _write(document)
