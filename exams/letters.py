"""Results letters as PDF: a Django template (every value escaped) laid out by WeasyPrint,
which may fetch nothing at all (styles are inline in the template)."""

import threading

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

_lock = threading.Lock()  # Pango and fontconfig are not made for concurrent use


def _refuse(url, *args, **kwargs):
    raise ValueError(f"Results letters load nothing ({url[:60]!r} refused).")


def results_letter_pdf(booking, result) -> bytes:
    html = render_to_string(
        "exams/letter.html",
        {
            "booking": booking,
            "sitting": booking.sitting,
            "result": result,
            "faculty": getattr(settings, "FACULTY_NAME", "FSEM"),
        },
    )
    with _lock:
        return HTML(string=html, url_fetcher=_refuse).write_pdf()
