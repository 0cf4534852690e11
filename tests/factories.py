import factory
from allauth.account.models import EmailAddress

from portal.models import User
from portal.roles import Role, assign_role
from portal.totp import add_authenticator_app

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        # Mandatory verification: most personas have a verified address already.
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        self.save()


def make_persona(
    role: Role | None, *, mfa: bool = False, superuser: bool = False, **kwargs
) -> User:
    # The role groups exist already: migrations (and every flush) create them.
    user = UserFactory(is_superuser=superuser, is_staff=superuser, **kwargs)
    if role is not None:
        assign_role(user, role)
    if mfa:
        add_authenticator_app(user, TOTP_SECRET)
    return user
