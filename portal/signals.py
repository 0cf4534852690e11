"""Audit every login, failed login and logout, and account security changes."""

from allauth.account.signals import (
    email_confirmed,
    password_changed,
    password_reset,
    user_signed_up,
)
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.audit import client_ip, record
from portal.roles import Role, assign_role


def _ip(request):
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="portal_audit_login")
def audit_login(sender, request, user, **kwargs):
    record("auth.login", obj=user, actor=user, ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="portal_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django masks secrets in `credentials`; keep only the identifier that was typed.
    typed = credentials.get("email") or credentials.get("username") or ""
    record("auth.login_failed", actor_email=str(typed), ip_address=_ip(request))


@receiver(user_logged_out, dispatch_uid="portal_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", obj=user, actor=user, ip_address=_ip(request))


@receiver(password_changed, dispatch_uid="portal_audit_password_changed")
def audit_password_changed(sender, request, user, **kwargs):
    record("auth.password_changed", obj=user, actor=user, ip_address=_ip(request))


@receiver(password_reset, dispatch_uid="portal_audit_password_reset")
def audit_password_reset(sender, request, user, **kwargs):
    record("auth.password_reset", obj=user, actor=user, ip_address=_ip(request))


@receiver(email_confirmed, dispatch_uid="portal_audit_email_confirmed")
def audit_email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    record(
        "auth.email_confirmed",
        obj=user,
        actor=user,
        ip_address=_ip(request),
        detail=email_address.email,
    )


@receiver(authenticator_added, dispatch_uid="portal_audit_mfa_added")
def audit_mfa_added(sender, request, user, authenticator, **kwargs):
    record(
        "auth.mfa_added",
        obj=user,
        actor=user,
        ip_address=_ip(request),
        new={"type": authenticator.type},
    )


@receiver(authenticator_removed, dispatch_uid="portal_audit_mfa_removed")
def audit_mfa_removed(sender, request, user, authenticator, **kwargs):
    record(
        "auth.mfa_removed",
        obj=user,
        actor=user,
        ip_address=_ip(request),
        old={"type": authenticator.type},
    )


@receiver(user_signed_up, dispatch_uid="portal_new_users_are_applicants")
def new_users_are_applicants(sender, request, user, **kwargs):
    """Anyone may sign up as an applicant; every other role is given by an administrator."""
    assign_role(user, Role.APPLICANT)
    record("auth.signed_up", obj=user, actor=user, ip_address=_ip(request))
