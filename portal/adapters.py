from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from portal.tasks import queue_email

# allauth's messages that people meet, in the portal's words.
ERROR_MESSAGES = {
    "email_password_mismatch": (
        "The email address or password is not right. Check them and try again."
    ),
    "too_many_login_attempts": (
        "Too many failed sign-in attempts. Wait a few minutes, then try again."
    ),
    "rate_limited": "Too many attempts. Wait a few minutes, then try again.",
    "account_inactive": "This account has been closed. Contact the faculty office.",
    "enter_current_password": "Enter your current password",
    "incorrect_password": "The password is not right",
    "invalid_password_reset": "This link to reset your password has expired or was used already",
    "unverified_primary_email": "Confirm your email address first",
    "duplicate_email": "This email address is already on your account",
    "same_as_current": "Enter a different value from the current one",
}


class PortalAccountAdapter(DefaultAccountAdapter):
    error_messages = {**DefaultAccountAdapter.error_messages, **ERROR_MESSAGES}

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Render now, while the request is here; send from the task queue after commit,
        # so a rolled-back sign-up never sends a verification email.
        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "SERVICE_NAME": settings.SERVICE_NAME,
            "FACULTY_NAME": settings.FACULTY_NAME,
            "FACULTY_SHORT_NAME": settings.FACULTY_SHORT_NAME,
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        transaction.on_commit(lambda: queue_email(message))
