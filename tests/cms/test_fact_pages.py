"""Pathway and exam pages show the live accreditation and exams data, never retyped, and a
change to a window or a sitting shows at once without an editor touching the page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accreditation.models import ApplicationWindow, Pathway
from cms.models import ExamPage, PathwayPage
from exams.models import Exam, Sitting, SittingMode, SittingStatus

pytestmark = pytest.mark.django_db

PATHWAY_URL = "/pathways/gpwer-msk/"


def _exam_url():
    return ExamPage.objects.get(exam__code="diploma-msk-medicine").url


def _sitting(label, *, days_ahead=60, capacity=40, venue="", mode=SittingMode.REMOTE):
    today = timezone.localdate()
    return Sitting.objects.create(
        exam=Exam.objects.get(code="diploma-msk-medicine"),
        label=label,
        starts_on=today + datetime.timedelta(days=days_ahead),
        ends_on=today + datetime.timedelta(days=days_ahead),
        mode=mode,
        venue=venue,
        capacity=capacity,
        applications_open=today - datetime.timedelta(days=1),
        applications_close=today + datetime.timedelta(days=days_ahead - 7),
        fee_pence=45000,
        status=SittingStatus.SCHEDULED,
    )


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_every_published_pathway_and_exam_has_a_demo_page(home):
    assert set(PathwayPage.objects.values_list("pathway__code", flat=True)) == set(
        Pathway.objects.filter(published=True).values_list("code", flat=True)
    )
    assert set(ExamPage.objects.values_list("exam__code", flat=True)) == set(
        Exam.objects.filter(published=True).values_list("code", flat=True)
    )


def test_pathway_page_shows_the_pathway_facts(client, home):
    html = client.get(PATHWAY_URL).content.decode()
    assert "£850" in html
    assert "Who can apply" in html and "The evidence you need" in html
    assert "Sign in to start your application" in html
    start = PathwayPage.objects.get(pathway__code="gpwer-msk").facts().start_url
    assert f'href="/accounts/login/?next={start}"' in html


def test_a_signed_in_clinician_gets_start_your_application(client, home, applicant):
    client.force_login(applicant)
    html = client.get(PATHWAY_URL).content.decode()
    assert "Start your application" in html
    assert "Sign in to start" not in html


def test_a_new_window_shows_on_the_pathway_page_without_an_editor(client, home):
    client.get(PATHWAY_URL)  # cached
    today = timezone.localdate()
    pathway = Pathway.objects.get(code="gpwer-msk")
    ApplicationWindow.objects.filter(pathway=pathway, opens__lte=today, closes__gte=today).delete()
    client.get(PATHWAY_URL)  # cached again, without an open window
    opens, closes = today - datetime.timedelta(days=2), today + datetime.timedelta(days=20)
    ApplicationWindow.objects.create(pathway=pathway, opens=opens, closes=closes)
    html = client.get(PATHWAY_URL).content.decode()
    assert f"{opens:%-d %B %Y} to {closes:%-d %B %Y}" in html


def test_exam_page_lists_upcoming_sittings_and_follows_changes(client, home):
    sitting = _sitting("Spring 2099 test sitting", capacity=40)
    html = client.get(_exam_url()).content.decode()
    assert "Spring 2099 test sitting" in html
    assert "£450" in html
    assert "Open for applications" in html
    # An administrator changes the sitting: the page follows at once.
    sitting.capacity = 12
    sitting.mode = SittingMode.VENUE
    sitting.venue = "Royal College of Physicians, London"
    sitting.save()
    html = client.get(_exam_url()).content.decode()
    assert "Royal College of Physicians, London" in html
    section = html[html.index("Spring 2099 test sitting") :]
    assert ">12<" in section[: section.index("</dl>")]
    sitting.status = SittingStatus.CANCELLED
    sitting.save()
    assert "Spring 2099 test sitting" not in client.get(_exam_url()).content.decode()


@pytest.mark.parametrize("seconds", [0, 600], ids=["uncached", "cached"])
def test_pathway_and_exam_pages_queries_do_not_grow(client, home, settings, seconds):
    settings.CMS_FRAGMENT_CACHE_SECONDS = seconds
    pathway = Pathway.objects.get(code="gpwer-msk")
    exam_url = _exam_url()
    for path in (PATHWAY_URL, exam_url):
        client.get(path)
    before = {path: _queries(client, path) for path in (PATHWAY_URL, exam_url)}
    start = datetime.date(2090, 1, 1)
    for i in range(12):
        opens = start + datetime.timedelta(days=40 * i)
        ApplicationWindow.objects.create(
            pathway=pathway, opens=opens, closes=opens + datetime.timedelta(days=20)
        )
        _sitting(f"Extra sitting {i}", days_ahead=30 + i)
    for path in (PATHWAY_URL, exam_url):
        client.get(path)
    after = {path: _queries(client, path) for path in (PATHWAY_URL, exam_url)}
    assert after == before


def test_every_public_fact_model_invalidates_the_public_pages():
    from django.db.models.signals import post_delete, post_save

    from accreditation import api as accreditation_api
    from exams import api as exams_api

    connected = {entry[0][0] for signal in (post_save, post_delete) for entry in signal.receivers}
    for model in (*accreditation_api.PUBLIC_FACT_MODELS, *exams_api.PUBLIC_FACT_MODELS):
        label = model._meta.label
        assert {f"cms.caching.{label}.save", f"cms.caching.{label}.delete"} <= connected, label
