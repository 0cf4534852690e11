"""The portal's roles, held as Django groups with permissions.

A role is a group, found by the role's code (RoleGroup), never by its name: the group is named
with the role's label for staff to read, and follows it if the label changes. `ensure_roles()`
creates the groups and their permissions. It runs once after every migrate (and after a test
database is flushed), so a database always has them. Other apps find a role's people with
`users_with_role()` or `role_lookup()`.
"""

from django.db import models
from django.db.models import Q

from portal.contributions import declared_mappings


class Role(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    ASSESSOR = "assessor", "Assessor"
    LEAD_ASSESSOR = "lead_assessor", "Lead assessor"
    # The faculty office: runs exam sittings and the accreditation office (fees, completeness,
    # allocation), decides role requests, manages credentials.
    FACULTY_STAFF = "faculty_staff", "Faculty staff"
    COMMISSIONER = "commissioner", "Commissioner"
    CONTENT_EDITOR = "content_editor", "Content editor"
    EXAMINER = "examiner", "Examiner"


# Roles whose holders handle other people's data, or publish in the faculty's name (content
# editors: the Wagtail admin): they must enrol MFA first.
MFA_REQUIRED_ROLES = frozenset(
    {
        Role.ASSESSOR,
        Role.LEAD_ASSESSOR,
        Role.FACULTY_STAFF,
        Role.CONTENT_EDITOR,
        Role.EXAMINER,
    }
)

# Roles that use the Django admin as a power tool.
DJANGO_ADMIN_ROLES = frozenset({Role.FACULTY_STAFF})

# Portal's own permissions per role, as "app_label.codename" (Wagtail's, which portal sets up,
# included). Each app gives roles its own in its api.py (ROLE_PERMISSIONS); see role_permissions().
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.FACULTY_STAFF: ("portal.view_auditevent",),
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


def role_permissions() -> dict[Role, tuple[str, ...]]:
    """Every role's permissions: portal's, then each app's ROLE_PERMISSIONS."""
    granted: dict[Role, list[str]] = {role: list(ROLE_PERMISSIONS.get(role, ())) for role in Role}
    for _module, permissions in declared_mappings("ROLE_PERMISSIONS"):
        for role, dotted in permissions.items():
            granted[Role(role)].extend(dotted)
    return {role: tuple(dict.fromkeys(dotted)) for role, dotted in granted.items()}


# Where each role lands after signing in, most senior first.
ROLE_PRIORITY = (
    Role.FACULTY_STAFF,
    Role.LEAD_ASSESSOR,
    Role.ASSESSOR,
    Role.EXAMINER,
    Role.COMMISSIONER,
    Role.CONTENT_EDITOR,
    Role.APPLICANT,
)


# Between role codes read in one string (portal.auth_backends); no role's code contains it.
ROLE_NAMES_SEPARATOR = "\n"


def remember_roles(user, role_codes) -> frozenset[Role]:
    """Keep USER's roles, from the codes of its groups' roles, for the rest of the request."""
    codes = set(role_codes)
    user._portal_roles = frozenset(role for role in Role if role.value in codes)
    return user._portal_roles


def roles_of(user) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    cache = getattr(user, "_portal_roles", None)
    if cache is None:
        cache = remember_roles(user, user.groups.values_list("portal_role__role", flat=True))
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
    from django.contrib.auth.models import Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    granted = role_permissions()
    wanted = {dotted for permissions in granted.values() for dotted in permissions}
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
    groups = _role_groups()
    for role in Role:
        groups[role].permissions.set([found[dotted] for dotted in granted[role]])
    _grant_page_permissions()
    _grant_collection_permissions()


def _grant_page_permissions() -> None:
    """Content editors may add and change any page under the root, but not publish: a second
    editor approves each change through the workflow, and approval publishes (cms/moderation)."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    group = group_of(Role.CONTENT_EDITOR)
    for codename in ("add_page", "change_page"):
        perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    GroupPagePermission.objects.filter(
        group=group, permission__codename__in=("publish_page", "bulk_delete_page")
    ).delete()


def _grant_collection_permissions() -> None:
    """Wagtail grants images and documents per collection: editors get the root one."""
    from django.contrib.auth.models import Permission
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    group = group_of(Role.CONTENT_EDITOR)
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
    user.groups.add(group_of(role))
    if role in DJANGO_ADMIN_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_portal_roles", None)


def _role_groups() -> dict:
    """Each role's group, found by its code; made, or renamed to the role's label, as needed."""
    from django.contrib.auth.models import Group

    from portal.models import RoleGroup

    linked = {link.role: link.group for link in RoleGroup.objects.select_related("group")}
    groups = {}
    for role in Role:
        group = linked.get(role.value)
        if group is None:
            group, _ = Group.objects.get_or_create(name=role.label)
            RoleGroup.objects.create(role=role.value, group=group)
        elif group.name != role.label:
            group.name = role.label
            group.save(update_fields=["name"])
        groups[role] = group
    return groups


def group_of(role: Role):
    """The Django group that holds ROLE."""
    from django.contrib.auth.models import Group

    group = Group.objects.filter(portal_role__role=role.value).first()
    return group if group is not None else _role_groups()[role]


def role_lookup(role: Role, *, via: str = "") -> Q:
    """A filter for people holding ROLE: on users, or through VIA ("owner__") from another
    model. Staff role checks in views and services use has_role(); this is for queries."""
    return Q(**{f"{via}groups__portal_role__role": Role(role).value})


def users_with_role(role: Role):
    """The users holding ROLE."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(role_lookup(role))
