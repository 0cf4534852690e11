"""The public site under real concurrency on PostgreSQL, and PostgreSQL's full-text search."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import Revision, TaskState

from cms.demo import seed_pages
from cms.models import GuidancePage, StandardPage
from portal.roles import Role
from tests.factories import make_persona
from tests.postgres.test_credential_races import _run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_pages():
    from django.conf import settings
    from wagtail.models import Locale

    from portal.roles import ensure_roles

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    home = seed_pages()
    ensure_roles()
    return home


def test_two_editors_approving_at_once_publish_once(site_pages):
    author = make_persona(Role.CONTENT_EDITOR, mfa=True)
    approvers = [make_persona(Role.CONTENT_EDITOR, mfa=True) for _ in range(2)]
    page = StandardPage.objects.get(slug="examinations")
    page.body = [("paragraph", "<p>Revised dates.</p>")]
    revision = page.save_revision(user=author)
    workflow_state = page.get_workflow().start(page, author)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    published_before = Revision.objects.filter(object_id=str(page.pk)).count()

    def approve(n):
        task.on_action(TaskState.objects.get(pk=task_state.pk), approvers[n], "approve")

    errors = _run_in_threads(approve, 2)
    assert len(errors) == 1 and isinstance(errors[0], PermissionDenied), errors
    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_APPROVED
    assert Revision.objects.filter(object_id=str(page.pk)).count() == published_before


def test_postgres_full_text_search_finds_guidance_by_a_word_form_in_its_body(client, site_pages):
    # "confirms" in the body ("A peer confirms each item") is found by "confirmed".
    html = client.get("/search/", {"q": "confirmed"}).content.decode()
    assert 'href="/msk-advanced-practice/"' in html
    assert GuidancePage.objects.get(slug="msk-advanced-practice").live
