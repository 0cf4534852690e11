"""Roles are found by their stable code, never by the name their group shows in the admins."""

import pytest
from django.contrib.auth.models import Group

from portal.models import RoleGroup, User
from portal.roles import (
    Role,
    assign_role,
    ensure_roles,
    group_of,
    has_role,
    role_lookup,
    roles_of,
    users_with_role,
)
from tests.factories import make_persona

pytestmark = pytest.mark.django_db


def test_each_role_has_one_group_named_with_its_label():
    for role in Role:
        group = group_of(role)
        assert group.name == role.label
        assert RoleGroup.objects.get(group=group).role == role.value


def test_a_renamed_group_still_holds_its_role(client):
    """What a later relabelling does: nothing that finds a role by its code changes."""
    commissioner = make_persona(Role.COMMISSIONER)
    group = group_of(Role.COMMISSIONER)
    group.name = "Commissioners and employers"
    group.save()

    fresh = User.objects.get(pk=commissioner.pk)
    assert roles_of(fresh) == {Role.COMMISSIONER}
    assert list(users_with_role(Role.COMMISSIONER)) == [commissioner]
    assert User.objects.filter(role_lookup(Role.COMMISSIONER)).get() == commissioner
    client.force_login(commissioner)  # the backend reads roles with the user, by code
    page = client.get("/dashboard/", follow=True)
    assert page.wsgi_request.user.pk == commissioner.pk
    assert has_role(page.wsgi_request.user, Role.COMMISSIONER)
    # The next migrate gives the group its role's label again, and no second group.
    ensure_roles()
    assert group_of(Role.COMMISSIONER).name == Role.COMMISSIONER.label
    assert Group.objects.filter(name=Role.COMMISSIONER.label).count() == 1


def test_a_group_merely_named_like_a_role_gives_nothing():
    person = make_persona(None)
    impostor = Group.objects.create(name="Lead assessor (old)")
    person.groups.add(impostor)
    fresh = User.objects.get(pk=person.pk)
    assert roles_of(fresh) == frozenset()
    assert not users_with_role(Role.LEAD_ASSESSOR).filter(pk=person.pk).exists()


def test_a_role_given_twice_is_held_once():
    person = make_persona(Role.ASSESSOR)
    assign_role(person, Role.ASSESSOR)
    assert users_with_role(Role.ASSESSOR).filter(pk=person.pk).count() == 1
