"""The frozen snapshot of one round, and its files as they were submitted: for the applicant,
its assessors, the lead assessors and the faculty office (404 for anyone else)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accreditation.models import ReviewRound
from accreditation.services import references, rounds
from accreditation.views.common import HOME, viewable_application
from portal.access import login_required_404
from portfolio import api as portfolio_api


def _round(request, pk, number):
    application = viewable_application(request, pk)
    snapshot_round = get_object_or_404(ReviewRound, application=application, number=number)
    return application, snapshot_round


@login_required_404
def round_page(request, pk: int, number: int):
    application, snapshot_round = _round(request, pk, number)
    by_code = {}
    for item in snapshot_round.items:
        for code in item["competencies"]:
            by_code.setdefault(code, []).append(item)
    return render(
        request,
        "accreditation/round.html",
        {
            "application": application,
            "round": snapshot_round,
            "outline": snapshot_round.snapshot.get("outline", []),
            "items": rounds.items_marked(snapshot_round),
            # The supervisor's reference is for the assessors: the applicant never reads it.
            "supervisor_reference": None
            if application.applicant_id == request.user.pk
            else references.reference_in(snapshot_round),
            "breadcrumbs": [HOME],
        },
    )


@login_required_404
def round_file(request, pk: int, number: int, file_id: int):
    _, snapshot_round = _round(request, pk, number)
    for item in snapshot_round.items:
        for entry in item["files"]:
            if entry["id"] == file_id:
                return portfolio_api.evidence_file_response(file_id, entry["sha256"])
    raise Http404("File not found")
