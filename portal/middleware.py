import functools

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from portal.audit import RequestContext, client_ip, reset_request_context, set_request_context
from portal.roles import needs_mfa

# The Django and Wagtail admins are third-party pages with inline styles and a few inline
# scripts (Wagtail's date choosers); they get a policy that allows those but still no
# foreign origin. Only signed-in staff reach them, after MFA where their role needs it.
ADMIN_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
}


@functools.cache
def admin_prefixes() -> tuple[str, ...]:
    """Where the Django admin and the Wagtail admin are mounted (portal/urls.py)."""
    return (reverse("admin:index"), reverse("wagtailadmin_home"))


class AdminContentSecurityPolicyMiddleware:
    """Below Django's CSP middleware: the admins' responses carry their policy up to it, set
    as Django's documented csp_override decorator sets a view's."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_response = csp_override(ADMIN_CSP)(get_response)

    def __call__(self, request):
        if request.path.startswith(admin_prefixes()):
            return self.admin_response(request)
        return self.get_response(request)


class CmsAdminForEditorsMiddleware:
    """Someone signed in who may not use the CMS admin is told so (403), not sent to sign in:
    Wagtail would send them to the sign-in page, which sends anyone already signed in straight
    back, and the browser would give up ("too many redirects")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path.startswith(admin_prefixes()[1])
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            from django.shortcuts import render

            return render(request, "403.html", status=403)
        return self.get_response(request)


class RequestContextMiddleware:
    """Makes the user and source IP available to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_context(
            RequestContext(user=getattr(request, "user", None), ip_address=client_ip(request))
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)


class StaffMFAMiddleware:
    """Staff who have not enrolled MFA are sent to enrol before anything else.

    Only the account pages (where enrolment, reauthentication and sign-out live)
    and static files stay reachable until they have.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            needs_mfa(user)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not _has_mfa(user)
        ):
            return redirect(f"{reverse('mfa_index')}?required=1")
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    known = getattr(user, "enrolled_mfa", None)  # read with the user (portal.auth_backends)
    if known is not None:
        return known

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
