"""The public verification page of a results letter, reached by the link and QR code printed on
it. It confirms what the letter states (exam, sitting, candidate's name, outcome) and leaves the
scores out: they are the candidate's own. Any token that names no letter gets the same plain
"not found"."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from credentials.api import holder_name, verification_url
from exams.letters import awarded_credential
from exams.models import ResultsLetter
from exams.sitting_states import results_visible


def _private_link(response):
    # The token is in the address: no search engine keeps it (the log filter redacts it).
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@never_cache
def verify_letter(request, token: str):
    letter = (
        ResultsLetter.objects.select_related(
            "booking__candidate", "booking__result", "booking__sitting__exam"
        )
        .filter(token=token)
        .first()
    )
    booking = letter.booking if letter else None
    result = getattr(booking, "result", None) if booking else None
    if result is None or not results_visible(booking.sitting):
        return _private_link(render(request, "exams/letter_not_found.html", status=404))
    credential = awarded_credential(result)
    return _private_link(
        render(
            request,
            "exams/letter_verify.html",
            {
                "letter": letter,
                "booking": booking,
                "sitting": booking.sitting,
                "result": result,
                "name": credential.holder_name if credential else holder_name(booking.candidate),
                "credential": credential,
                "credential_url": verification_url(credential) if credential else "",
            },
        )
    )
