"""Authentication backends that read a signed-in user's roles and MFA enrolment in the same
query as the user.

Every signed-in request asks both (the role checks on each page, and the rule that staff
must have MFA), which cost two more queries per request when read separately.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.db.models import Exists, OuterRef, StringAgg, Value

from portal.roles import ROLE_NAMES_SEPARATOR, remember_roles


class UserWithRolesMixin:
    def get_user(self, user_id):
        from allauth.mfa.models import Authenticator

        model = get_user_model()
        mfa = Authenticator.objects.filter(
            user=OuterRef("pk"),
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
        )
        user = (
            model._default_manager.annotate(
                role_codes=StringAgg("groups__portal_role__role", Value(ROLE_NAMES_SEPARATOR)),
                enrolled_mfa=Exists(mfa),
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, (user.role_codes or "").split(ROLE_NAMES_SEPARATOR))
        return user


class ModelBackend(UserWithRolesMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(UserWithRolesMixin, AllauthBackend):
    pass
