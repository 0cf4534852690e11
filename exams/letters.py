"""Results letters as signed PDFs: a Django template (every value escaped) laid out as a tagged
PDF/UA-2 document and signed by the faculty exactly as certificates are (credentials.api).

Every letter has a reference and a QR code with a link to check it. A pass that awarded a
credential points to the credential's own verification page (its serial printed beside it):
that page says whether the award still stands today. Any other letter, a pass that awards no
credential (MFSEM Part 1) or a result that is not a pass, points to the letter's verification
page, which confirms the exam, the sitting, the candidate's name and the outcome, and leaves
the scores out: they are the candidate's own.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from credentials.api import (
    Source,
    credential_for_source,
    holder_name,
    qr_code_svg,
    signed_pdf,
    verification_url,
)
from exams.services.letters import results_letter
from portal.links import absolute_url

TEMPLATE = "exams/letter.html"
STYLESHEET = "exams/letter.css"
SIGNING_REASON = "Results letter issued by the faculty"


def awarded_credential(result):
    """The credential this pass awarded, if it did (and the award has been made)."""
    if not result.passed or not result.booking.sitting.exam.awards_id:
        return None
    return credential_for_source(Source("exams.candidate_result", result.pk))


def letter_verification_url(letter) -> str:
    return absolute_url(reverse("exams:letter_verify", args=[letter.token]))


def results_letter_html(booking, result, letter) -> str:
    credential = awarded_credential(result)
    check_url = verification_url(credential) if credential else letter_verification_url(letter)
    return render_to_string(
        TEMPLATE,
        {
            "booking": booking,
            "sitting": booking.sitting,
            "result": result,
            "letter": letter,
            "credential": credential,
            # The name as the credential prints it (or would): "Dr Asha Patel".
            "name": credential.holder_name if credential else holder_name(booking.candidate),
            "faculty": settings.FACULTY_NAME,
            "check_url": check_url,
            "letter_url": letter_verification_url(letter),
            "qr_svg": qr_code_svg(check_url, svgclass="letter__qr"),
        },
    )


def results_letter_pdf(booking, result) -> bytes:
    """The signed results letter of BOOKING's released RESULT (its reference made if new)."""
    letter = results_letter(booking)
    return signed_pdf(
        results_letter_html(booking, result, letter),
        stylesheet=STYLESHEET,
        reason=SIGNING_REASON,
    )
