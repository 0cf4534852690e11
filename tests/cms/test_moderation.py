"""Nothing goes public until a second content editor approves it."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import GuidancePage, StandardPage

pytestmark = pytest.mark.django_db


def _edit_form(page, body_text, action):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": rich_text(str(page.summary)),
        "body": streamfield([("paragraph", rich_text(f"<p>{body_text}</p>"))]),
        action: action,
    }
    if isinstance(page, GuidancePage):
        data |= {
            "related_documents": streamfield([]),
            "last_reviewed": page.last_reviewed.isoformat(),
            "next_review": page.next_review.isoformat(),
        }
    return nested_form_data(data)


def _submit(client, page, text):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _edit_form(page, text, "action-submit"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).current_task_state


def _approve_url(page, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


def test_the_whole_tree_has_the_two_editor_workflow(home):
    page = GuidancePage.objects.get(slug="gpwer-in-msk")
    assert page.get_workflow().name == "Two-editor approval"
    assert home.get_workflow().name == "Two-editor approval"


def test_an_unapproved_edit_is_not_public(client, home, content_editor):
    page = StandardPage.objects.get(slug="examinations")
    client.force_login(content_editor)
    _submit(client, page, "Sittings are cancelled forever.")
    client.logout()
    html = client.get("/examinations/").content.decode()
    assert "cancelled forever" not in html
    assert "single-best-answer" in html  # the published version is still what people read


def test_the_author_cannot_approve_their_own_edit(client, home, content_editor):
    page = StandardPage.objects.get(slug="examinations")
    client.force_login(content_editor)
    task_state = _submit(client, page, "My own change.")
    response = client.post(_approve_url(page, task_state), {})
    # Sent back to the CMS dashboard, which says why.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    dashboard = client.get(response["Location"]).content.decode()
    assert "Sorry, you do not have permission to access this area." in dashboard
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert "My own change." not in client.get("/examinations/").content.decode()
    # Nor is it offered: the dashboard lists nothing for them to review.
    assert (
        not page.get_workflow()
        .tasks.first()
        .specific.get_actions(StandardPage.objects.get(pk=page.pk), content_editor)
    )


def test_a_second_editor_approves_and_the_change_is_published(
    client, home, content_editor, second_editor
):
    page = StandardPage.objects.get(slug="examinations")
    client.get("/examinations/")  # cached now: approval must refresh it
    client.force_login(content_editor)
    task_state = _submit(client, page, "Part 2 dates are now confirmed.")
    client.force_login(second_editor)
    response = client.post(_approve_url(page, task_state), {})
    # Back to the page's editor, the change approved.
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    task_state.refresh_from_db()
    assert task_state.status == "approved"
    client.logout()
    assert "Part 2 dates are now confirmed." in client.get("/examinations/").content.decode()


def test_content_editors_cannot_publish_directly(client, home, content_editor):
    page = StandardPage.objects.get(slug="examinations")
    client.force_login(content_editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _edit_form(page, "Straight to the public.", "action-publish"),
    )
    client.logout()
    assert "Straight to the public." not in client.get("/examinations/").content.decode()
    assert not page.permissions_for_user(content_editor).can_publish()


def test_the_demo_has_a_change_waiting_for_the_second_editor(home):
    from cms.demo import seed_editorial_demo
    from portal.demo import seed_user
    from portal.models import User
    from portal.roles import Role

    seed_user("editor@demo.msk-portal.example", "Farah", "Iqbal", role=Role.CONTENT_EDITOR)
    seed_editorial_demo()
    seed_editorial_demo()  # safe to run twice
    reviewer = User.objects.get(email="reviewer.editor@demo.msk-portal.example")
    author = User.objects.get(email="editor@demo.msk-portal.example")
    news = home.get_children().get(slug="news").specific
    task = news.get_workflow().tasks.first().specific
    assert [name for name, *_ in task.get_actions(news, reviewer)] == [
        "reject",
        "approve",
        "approve",
    ]
    assert task.get_actions(news, author) == []
    assert "newest first" not in news.summary  # not public until approved
