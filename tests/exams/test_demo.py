"""The demo exams: what the README points at, seeded once however often seed_demo runs."""

from django.core.management import call_command

from credentials.api import Credential
from exams.models import Booking, BookingStatus, CandidateResult, Item, Sitting, SittingStatus


def _seed(capture):
    with capture(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_exams(db, django_capture_on_commit_callbacks):
    _seed(django_capture_on_commit_callbacks)
    counts = (Sitting.objects.count(), Booking.objects.count(), Credential.objects.count())
    _seed(django_capture_on_commit_callbacks)
    assert (Sitting.objects.count(), Booking.objects.count(), Credential.objects.count()) == counts

    open_sitting = Sitting.objects.get(exam__code="diploma-msk-medicine", label="Spring 2027")
    assert open_sitting.bookings.filter(status=BookingStatus.WAITING).exists()
    applicant = Booking.objects.get(
        candidate__email="applicant@demo.msk-portal.example",
        sitting__exam__code="diploma-exercise-medicine",
    )
    assert applicant.status == BookingStatus.CONFIRMED
    assert applicant.adjustments.count() == 1

    part1 = Sitting.objects.get(exam__code="mfsem-part-1", label="Autumn 2026")
    assert part1.status == SittingStatus.STANDARD_SET
    assert Item.objects.filter(sitting=part1).count() == 200

    released = Sitting.objects.get(exam__code="diploma-msk-medicine", label="Summer 2026")
    assert released.status == SittingStatus.RELEASED
    assert Item.objects.filter(sitting=released, excluded=True).count() == 1
    passes = CandidateResult.objects.filter(booking__sitting=released, passed=True)
    assert passes.exists()
    awarded = Credential.objects.filter(source_type="exams.candidate_result")
    assert awarded.count() == passes.count()

    # Exams delivered here: the bank, a paper the demo applicant can sit now, a running OSCE.
    from exams.models import Circuit, CircuitState, Paper, PaperState, QuestionVersion
    from exams.services.attempts import start_attempt

    assert QuestionVersion.objects.filter(state="approved").count() >= 120
    paper = Paper.objects.get(sitting__label="December 2026 (online)")
    assert paper.state == PaperState.FROZEN and paper.questions.count() == 100
    mine = Booking.objects.get(
        candidate__email="applicant@demo.msk-portal.example", sitting=paper.sitting
    )
    attempt = start_attempt(paper=paper, booking=mine, by=mine.candidate)
    assert len(attempt.question_order) == 100
    circuit = Circuit.objects.get(sitting__exam__code="mfsem-part-2")
    assert circuit.state == CircuitState.RUNNING
    assert circuit.stations.filter(examiners__examiner__email="examiner@demo.msk-portal.example")
