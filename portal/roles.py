"""The portal's roles, held as Django groups with permissions.

A role is a group; `ensure_roles()` creates the groups and their permissions. It runs once
after every migrate (and after a test database is flushed), so a database always has them.
"""

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    ASSESSOR = "assessor", "Assessor"
    LEAD_ASSESSOR = "lead_assessor", "Lead assessor"
    EXAM_ADMINISTRATOR = "exam_administrator", "Exam administrator"
    COMMISSIONER = "commissioner", "Commissioner"
    CONTENT_EDITOR = "content_editor", "Content editor"


# Roles whose holders handle other people's data, or publish in the faculty's name (content
# editors: the Wagtail admin): they must enrol MFA first.
MFA_REQUIRED_ROLES = frozenset(
    {Role.ASSESSOR, Role.LEAD_ASSESSOR, Role.EXAM_ADMINISTRATOR, Role.CONTENT_EDITOR}
)

# Roles that use the Django admin as a power tool.
DJANGO_ADMIN_ROLES = frozenset({Role.EXAM_ADMINISTRATOR})

# Permissions per role as "app_label.codename". Later capabilities add theirs here.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.APPLICANT: (),
    Role.ASSESSOR: (),
    Role.LEAD_ASSESSOR: (),
    Role.EXAM_ADMINISTRATOR: (
        "portal.view_auditevent",
        # Competency frameworks in the Django admin (import/export; drafts only change).
        *(
            f"portfolio.{verb}_{model}"
            for model in ("framework", "domain", "competency")
            for verb in ("view", "add", "change", "delete")
        ),
        # Accreditation pathways, their rules and windows, trained assessors (Django admin).
        *(
            f"accreditation.{verb}_{model}"
            for model in (
                "pathway",
                "applicationwindow",
                "eligibilityrule",
                "evidencerule",
                "assessortraining",
            )
            for verb in ("view", "add", "change", "delete")
        ),
        "accreditation.view_application",
        # Exams and sittings in the Django admin (statuses change only in the exams pages).
        *(
            f"exams.{verb}_{model}"
            for model in ("exam", "component", "sitting")
            for verb in ("view", "add", "change")
        ),
    ),
    Role.COMMISSIONER: (),
    Role.CONTENT_EDITOR: (
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ),
}

# Where each role lands after signing in, most senior first.
ROLE_PRIORITY = (
    Role.EXAM_ADMINISTRATOR,
    Role.LEAD_ASSESSOR,
    Role.ASSESSOR,
    Role.COMMISSIONER,
    Role.CONTENT_EDITOR,
    Role.APPLICANT,
)


# Between group names read in one string (portal.auth_backends); no role's name contains it.
ROLE_NAMES_SEPARATOR = "\n"


def remember_roles(user, group_names) -> frozenset[Role]:
    """Keep USER's roles, from the names of its groups, for the rest of the request."""
    names = set(group_names)
    user._portal_roles = frozenset(role for role in Role if role.label in names)
    return user._portal_roles


def roles_of(user) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cache = getattr(user, "_portal_roles", None)
    if cache is None:
        cache = remember_roles(user, user.groups.values_list("name", flat=True))
    return cache


def has_role(user, role: Role) -> bool:
    return role in roles_of(user)


def needs_mfa(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool(roles_of(user) & MFA_REQUIRED_ROLES)
    )


def describe_roles(user) -> str:
    """The user's roles in words. A superuser may do everything any role may."""
    if user.is_authenticated and user.is_superuser:
        return "Superuser (all roles)"
    return ", ".join(sorted(role.label for role in roles_of(user))) or "None yet"


def primary_role(user) -> Role | None:
    held = roles_of(user)
    for role in ROLE_PRIORITY:
        if role in held:
            return role
    return None


def ensure_roles() -> None:
    """Create each role's group with exactly its permissions (safe to run repeatedly).

    Every permission is created first (auth does that per app after migrating, in an order
    we cannot rely on), so this can run at any point after the migrations, in a few queries.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    wanted = {dotted for dotted in _all_role_permissions()}
    labels = {dotted.split(".")[0] for dotted in wanted}
    codenames = {dotted.split(".")[1] for dotted in wanted}
    found = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.filter(
            content_type__app_label__in=labels, codename__in=codenames
        ).select_related("content_type")
    }
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"Role permissions that do not exist: {', '.join(sorted(missing))}")
    Group.objects.bulk_create([Group(name=role.label) for role in Role], ignore_conflicts=True)
    groups = Group.objects.in_bulk([role.label for role in Role], field_name="name")
    for role in Role:
        groups[role.label].permissions.set([found[dotted] for dotted in ROLE_PERMISSIONS[role]])
    _grant_page_permissions()
    _grant_collection_permissions()


def _all_role_permissions():
    for permissions in ROLE_PERMISSIONS.values():
        yield from permissions


def _grant_page_permissions() -> None:
    """Content editors may add and change any page under the root, but not publish: a second
    editor approves each change through the workflow, and approval publishes (cms/moderation)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    group = Group.objects.get(name=Role.CONTENT_EDITOR.label)
    for codename in ("add_page", "change_page"):
        perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    GroupPagePermission.objects.filter(
        group=group, permission__codename__in=("publish_page", "bulk_delete_page")
    ).delete()


def _grant_collection_permissions() -> None:
    """Wagtail grants images and documents per collection: editors get the root one."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    group = Group.objects.get(name=Role.CONTENT_EDITOR.label)
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for verb in ("add", "change", "choose"):
            perm = Permission.objects.get(
                content_type__app_label=app_label, codename=f"{verb}_{model}"
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=perm
            )


def assign_role(user, role: Role) -> None:
    """Give USER the role; admin-using roles also become Django staff."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role.label))
    if role in DJANGO_ADMIN_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_portal_roles", None)
