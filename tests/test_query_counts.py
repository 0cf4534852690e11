"""List pages' query counts stay the same as their rows grow (3 rows, then 30).

Most list pages have such a test beside their app's other tests (the register, watch lists,
evidence list, coverage, queues, the administrators' lists, sittings, candidates, results,
credential management, the audit trail, role requests). These are the list pages that had none.
Each page is loaded once before counting: the site menu costs two queries when its cache is cold.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams.models import Appeal
from tests.credentials.factories import make_credential
from tests.exams.factories import book, make_sitting
from tests.portfolio.factories import ClinicianProfileFactory, EvidenceItemFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


def _count(client, url) -> int:
    client.get(url)  # warm the site menu and the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _same_bound_at_two_sizes(client, url, grow, assert_max, expect=None):
    """Count URL's queries with SMALL rows, grow to LARGE, and hold it to the same bound."""
    grow(SMALL)
    bound = _count(client, url)
    grow(LARGE - SMALL)
    # Growing may change what public pages show (a booking changes an exam's places left),
    # which empties the site menu's cache: warm it again, as the first count did.
    client.get(url)
    with assert_max(bound):
        response = client.get(url)
    assert response.status_code == 200
    if expect:
        assert expect in response.content.decode()
    return bound


def test_the_holders_credentials_list(client, applicant, django_assert_max_num_queries):
    ClinicianProfileFactory(user=applicant)
    client.force_login(applicant)

    def grow(n):
        for _ in range(n):
            make_credential(applicant)

    bound = _same_bound_at_two_sizes(client, "/credentials/", grow, django_assert_max_num_queries)
    assert bound <= 10
    assert (
        client.get("/credentials/").content.decode().count("GP with Extended Role (GPwER) in MSK")
        >= LARGE
    )


def test_the_applicants_dashboard(client, applicant, django_assert_max_num_queries):
    ClinicianProfileFactory(user=applicant)
    client.force_login(applicant)

    def grow(n):
        for _ in range(n):
            make_credential(applicant)
            EvidenceItemFactory(owner=applicant)

    bound = _same_bound_at_two_sizes(
        client, "/dashboard/applicant/", grow, django_assert_max_num_queries
    )
    assert bound <= 15


def test_the_frameworks_list(client, faculty_staff, django_assert_max_num_queries):
    client.force_login(faculty_staff)

    def grow(n):
        for _ in range(n):
            FrameworkFactory()

    _same_bound_at_two_sizes(
        client,
        "/portfolio/frameworks/",
        grow,
        django_assert_max_num_queries,
        expect="Framework",
    )


def test_the_exam_appeals_list(client, faculty_staff, django_assert_max_num_queries):
    client.force_login(faculty_staff)
    sitting = make_sitting(past=True, capacity=100)

    def grow(n):
        for _ in range(n):
            Appeal.objects.create(booking=book(sitting), grounds="The marking was wrong.")

    bound = _same_bound_at_two_sizes(
        client, "/manage/exams/appeals/", grow, django_assert_max_num_queries
    )
    assert bound <= 10
    assert Appeal.objects.count() == LARGE
