"""allauth's forms in the portal's words (ACCOUNT_FORMS in settings).

Each error names its field ("Enter your email address", not "This field is required."), labels
follow the NHS.UK service manual, and sign-up asks for the person's name. The fields, their
checks and what saving does are allauth's own: only words change here, plus the two names.
"""

from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError

from portal.text import has_hidden_characters

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
# Advice shown under a new password's box (not a password: hence the noqa).
PASSWORD_HINT = "Use at least 12 characters. Do not use a common password, only numbers, or words from your name or email address."  # noqa: E501, S105
# allauth adds these messages itself (not through a field's error_messages): put ours instead.
REWORDED = {
    "You must type the same password each time.": "Enter the same password in both boxes",
}


class PortalWordsMixin:
    """Labels, hints and error messages per field, and allauth's own messages reworded."""

    # field name -> (label, hint or None, {error code: message})
    words: dict[str, tuple[str, str | None, dict[str, str]]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, hint, messages) in self.words.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.label = label
            field.help_text = hint or ""
            field.error_messages.update(messages)

    def add_error(self, field, error):
        if isinstance(error, str):
            error = REWORDED.get(error, error)
        elif not isinstance(error, (ValidationError, dict, list)):  # a lazy translation
            error = REWORDED.get(str(error), error)
        super().add_error(field, error)


def _email(required: str) -> tuple[str, None, dict[str, str]]:
    return ("Email address", None, {"required": required, "invalid": EMAIL_FORMAT})


class NameField(forms.CharField):
    """A first or last name: printable text only (no hidden or reordering characters)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=150, **kwargs)
        self.widget.attrs.update({"spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        if has_hidden_characters(value):
            raise ValidationError(
                f"{self.label} must only include letters, spaces, hyphens and apostrophes",
                code="hidden",
            )
        return value


class SignupForm(PortalWordsMixin, allauth_forms.SignupForm):
    first_name = NameField(widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = NameField(widget=forms.TextInput(attrs={"autocomplete": "family-name"}))

    words = {
        "first_name": ("First name", None, {"required": "Enter your first name"}),
        "last_name": ("Last name", None, {"required": "Enter your last name"}),
        "email": (
            "Email address",
            "We will send you a link to confirm it. You will use it to sign in.",
            {"required": "Enter your email address", "invalid": EMAIL_FORMAT},
        ),
        "password1": ("Create a password", PASSWORD_HINT, {"required": "Enter a password"}),
        "password2": ("Confirm your password", None, {"required": "Enter your password again"}),
    }


class LoginForm(PortalWordsMixin, allauth_forms.LoginForm):
    words = {
        "login": _email("Enter your email address"),
        "password": ("Password", None, {"required": "Enter your password"}),
    }

    def clean(self):
        # A wrong email or password (or too many tries) belongs to the first box, so that the
        # error summary links somewhere focus can go.
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("login", error)
            return self.cleaned_data


class ResetPasswordForm(PortalWordsMixin, allauth_forms.ResetPasswordForm):
    words = {"email": _email("Enter your email address")}


class ResetPasswordKeyForm(PortalWordsMixin, allauth_forms.ResetPasswordKeyForm):
    words = {
        "password1": ("New password", PASSWORD_HINT, {"required": "Enter a new password"}),
        "password2": (
            "Confirm your new password",
            None,
            {"required": "Enter your new password again"},
        ),
    }


class ChangePasswordForm(PortalWordsMixin, allauth_forms.ChangePasswordForm):
    words = {
        "oldpassword": ("Current password", None, {"required": "Enter your current password"}),
        **ResetPasswordKeyForm.words,
    }


class SetPasswordForm(PortalWordsMixin, allauth_forms.SetPasswordForm):
    words = ResetPasswordKeyForm.words


class AddEmailForm(PortalWordsMixin, allauth_forms.AddEmailForm):
    words = {"email": _email("Enter the email address to add")}


class ReauthenticateForm(PortalWordsMixin, allauth_forms.ReauthenticateForm):
    words = {"password": ("Password", None, {"required": "Enter your password"})}
