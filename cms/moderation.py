"""Nothing is published until a second content editor approves it.

Content editors may add and change pages but hold no publish permission (portal/roles.py), so
the only way onto the public site is Wagtail's workflow: the editor submits, and the one task,
"Second editor approval", must be approved by a content editor who neither submitted the
page nor wrote the revision under review. Approval publishes. An edit made during review
needs approving again (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT).

The workflow, its task and the members-only document collection are data, made by
`ensure_editorial_setup()` after every migrate and by seed_demo.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.models import AbstractGroupApprovalTask, TaskState

from portal.roles import Role, group_of

WORKFLOW_NAME = "Two-editor approval"
TASK_NAME = "Second editor approval"
MEMBERS_COLLECTION = "Members only"


def _authors(task_state) -> set[int]:
    workflow_state = task_state.workflow_state
    authors = {workflow_state.requested_by_id}
    if task_state.revision_id and task_state.revision.user_id:
        authors.add(task_state.revision.user_id)
    return authors - {None}


class SecondEditorApprovalTask(AbstractGroupApprovalTask):
    """A group approval that the page's own author cannot give."""

    def _current_task_state(self, obj):
        workflow_state = getattr(obj, "current_workflow_state", None)
        return workflow_state.current_task_state if workflow_state else None

    def get_actions(self, obj, user):
        task_state = self._current_task_state(obj)
        if task_state is not None and user.pk in _authors(task_state):
            return []
        return super().get_actions(obj, user)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Row-locked: two editors deciding at once make one decision, and the second is told.
        locked = TaskState.objects.select_for_update().get(pk=task_state.pk)
        if locked.status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied("Another content editor has already decided on this change.")
        if action_name == "approve" and user.pk in _authors(task_state):
            raise PermissionDenied("Another content editor must approve your changes.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    @classmethod
    def get_description(cls):
        return "A content editor other than the author approves the change before it is published"

    class Meta:
        verbose_name = "second editor approval task"
        verbose_name_plural = "second editor approval tasks"


def ensure_editorial_setup() -> None:
    """The workflow on the whole page tree and the members-only collection (safe to repeat)."""
    from wagtail.models import (
        BaseViewRestriction,
        Collection,
        CollectionViewRestriction,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    group = group_of(Role.CONTENT_EDITOR)
    task = SecondEditorApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = SecondEditorApprovalTask.objects.create(name=TASK_NAME, active=True)
    task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    root = Page.get_first_root_node()
    if root is not None:
        # Replaces Wagtail's default "Moderators approval" on the root: one workflow for all.
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    collection_root = Collection.get_first_root_node()
    if collection_root is None:  # a flushed test database: Wagtail's migration made it once
        collection_root = Collection.add_root(name="Root")
    members = Collection.objects.filter(name=MEMBERS_COLLECTION).first()
    if members is None:
        members = collection_root.add_child(name=MEMBERS_COLLECTION)
    if not CollectionViewRestriction.objects.filter(collection=members).exists():
        CollectionViewRestriction.objects.create(
            collection=members, restriction_type=BaseViewRestriction.LOGIN
        )


def sync_members_only(page) -> None:
    """A published page marked members-only is private to signed-in members; unmarked, not.

    Runs on publish, so the change of privacy is itself approved through the workflow.
    """
    from wagtail.models import BaseViewRestriction, PageViewRestriction

    wanted = bool(getattr(page, "members_only", False))
    own = PageViewRestriction.objects.filter(page=page, restriction_type=BaseViewRestriction.LOGIN)
    if wanted and not own.exists():
        PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.LOGIN)
    elif not wanted and own.exists():
        own.delete()
