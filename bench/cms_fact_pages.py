"""More windows and sittings for bench/cms_pages.py: the pathway and exam pages to time."""

import datetime


def grow_fact_pages(extra: int) -> list[str]:
    from django.utils import timezone

    from accreditation.models import ApplicationWindow, Pathway
    from cms.models import ExamPage, PathwayPage
    from exams.models import Exam, Sitting, SittingMode, SittingStatus

    pathway_page = PathwayPage.objects.get(pathway__code="gpwer-msk")
    exam_page = ExamPage.objects.get(exam__code="diploma-msk-medicine")
    pathway = Pathway.objects.get(pk=pathway_page.pathway_id)
    exam = Exam.objects.get(pk=exam_page.exam_id)
    today = timezone.localdate()
    start = datetime.date(today.year + 5, 1, 1)
    for i in range(extra):
        opens = start + datetime.timedelta(days=40 * i)
        ApplicationWindow.objects.create(
            pathway=pathway, opens=opens, closes=opens + datetime.timedelta(days=20)
        )
        day = today + datetime.timedelta(days=30 + i)
        Sitting.objects.create(
            exam=exam,
            label=f"Bench sitting {i}",
            starts_on=day,
            ends_on=day,
            mode=SittingMode.REMOTE,
            capacity=100,
            applications_open=today,
            applications_close=day,
            fee_pence=45000,
            status=SittingStatus.SCHEDULED,
        )
    return [pathway_page.url, exam_page.url]
