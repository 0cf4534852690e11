"""The results letters' public verification pages pass axe (WCAG 2.2 AA) in a real browser."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.a11y import assert_accessible
from tests.exams.factories import book, make_sitting

pytestmark = pytest.mark.browser

UNKNOWN_LETTER = "/exams/letters/q7Jx2mZbV9cRt4LwP0sKdE8hYf1uNa3GiOv6XeT5lWk/"


def released_letters():
    """Released results with their letters: a pass that awarded a credential, a pass that
    awards none (MFSEM Part 1), a result that is not a pass."""
    from exams.models import CandidateResult, Sitting, SittingStatus
    from exams.services.letters import results_letter
    from exams.services.standards import award_passes

    letters = []
    for code, passed in [
        ("diploma-msk-medicine", True),
        ("mfsem-part-1", True),
        ("mfsem-part-1", False),
    ]:
        sitting = make_sitting(code, past=True, label="Autumn 2026")
        booking = book(sitting)
        CandidateResult.objects.create(
            booking=booking,
            total=7,
            max_total=10,
            passed=passed,
            feedback=[{"label": "Diagnosis", "score": 7, "max": 10}],
        )
        Sitting.objects.filter(pk=sitting.pk).update(
            status=SittingStatus.RELEASED,
            released_at=timezone.now() - datetime.timedelta(hours=1),
        )
        award_passes(sitting.pk)
        booking.refresh_from_db()
        letters.append(results_letter(booking))
    return letters


def test_the_results_letter_pages_pass_axe(new_page):
    page, _ = new_page()
    for letter in released_letters():
        response = page.goto(f"/exams/letters/{letter.token}/")
        assert response is not None and response.status == 200
        assert page.get_by_role("heading", level=1).inner_text() == (
            f"Results letter {letter.reference}"
        )
        assert_accessible(page)
    response = page.goto(UNKNOWN_LETTER)
    assert response is not None and response.status == 404
    assert_accessible(page)
