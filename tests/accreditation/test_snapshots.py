"""Snapshots: what was submitted stays as it was, its items cannot be changed by the
applicant, and its files open only for the people who may see the application."""

import datetime

import pytest
from django.urls import reverse

from accreditation.services import allocation
from portal.roles import Role
from portfolio import api as portfolio_api
from portfolio.models import EvidenceItem
from tests.accreditation import builders
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_file(pathway, ready, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return portfolio_api.add_evidence_with_note(
        owner=ready,
        framework=pathway.framework,
        kind="case_review",
        title="Hip case with a file",
        date=datetime.date(2026, 5, 1),
        reflection="The note inside the file.",
        codes=["CAP1"],
    )


def test_snapshot_files_open_for_the_applicant_and_declared_assessors_only(
    client, pathway, ready, with_file, faculty_staff, assessors, outsider
):
    application = builders.submitted(pathway, ready)
    file_id = with_file.files.get().pk
    url = reverse("accreditation:round_file", args=[application.pk, 1, file_id])
    client.force_login(ready)
    response = client.get(url)
    assert response.status_code == 200
    assert b"The note inside the file." in b"".join(response.streaming_content)
    builders.paid_and_complete(application, faculty_staff)
    for assessor in assessors:
        allocation.allocate(application=application, assessor=assessor, by=faculty_staff)
    client.force_login(assessors[0])
    assert client.get(url).status_code == 404  # not before declaring no conflict
    allocation.declare_no_conflict(application=application, assessor=assessors[0])
    assert client.get(url).status_code == 200
    for person in (outsider, make_persona(Role.APPLICANT), builders.trained_assessor(pathway)):
        client.force_login(person)
        assert client.get(url).status_code == 404
    # A file that is not in the snapshot is not served through it, even to the applicant.
    client.force_login(ready)
    assert (
        client.get(
            reverse("accreditation:round_file", args=[application.pk, 1, file_id + 999])
        ).status_code
        == 404
    )


def test_submitted_items_cannot_be_edited_or_deleted_by_the_applicant(
    client, pathway, ready, with_file
):
    application = builders.submitted(pathway, ready)
    client.force_login(ready)
    edit = client.post(
        reverse("portfolio:evidence_edit", args=[with_file.pk]),
        {"title": "Changed", "kind": "case_review"},
    )
    client.post(reverse("portfolio:evidence_delete", args=[with_file.pk]))
    with_file.refresh_from_db()
    assert with_file.title == "Hip case with a file"
    assert edit.status_code == 200 and "This evidence cannot be changed" in edit.content.decode()
    assert EvidenceItem.objects.filter(pk=with_file.pk).exists()
    titles = [item["title"] for item in application.rounds.get().items]
    assert "Hip case with a file" in titles


def test_the_applicant_never_sees_the_assessors_names(
    client, pathway, ready, faculty_staff, assessors, lead_assessor
):
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    client.force_login(ready)
    url = reverse("accreditation:application", args=[application.pk])
    for when in ("before", "after"):
        page = client.get(url).content.decode()
        for assessor in assessors:
            assert assessor.email not in page, when
            assert assessor.last_name not in page, when
        if when == "before":
            builders.approve(application, lead_assessor)


def test_the_faculty_may_name_the_assessors_after_the_decision(
    client, settings, pathway, ready, faculty_staff, assessors, lead_assessor
):
    settings.ACCREDITATION_NAME_ASSESSORS_AFTER_DECISION = True
    application = builders.recommended(pathway, ready, faculty_staff, assessors)
    client.force_login(ready)
    url = reverse("accreditation:application", args=[application.pk])
    assert assessors[0].last_name not in client.get(url).content.decode()
    builders.approve(application, lead_assessor)
    assert assessors[0].last_name in client.get(url).content.decode()


def test_an_assessor_taken_off_before_reviewing_loses_the_portfolio(
    client, pathway, ready, faculty_staff, assessors
):
    application = builders.in_review(pathway, ready, faculty_staff, assessors)
    url = reverse("accreditation:round", args=[application.pk, 1])
    client.force_login(assessors[0])
    assert client.get(url).status_code == 200
    allocation.end_allocation(
        allocation=application.allocations.get(assessor=assessors[0]),
        by=faculty_staff,
        reason="Declared a conflict by phone",
    )
    assert client.get(url).status_code == 404
    assert client.get(reverse("accreditation:assess", args=[application.pk])).status_code == 404
