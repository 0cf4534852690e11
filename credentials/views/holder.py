"""The holder's own credentials: the list on /credentials/ and each signed PDF certificate.

Both answer 404 to anyone but the holder (staff included): a credential's private page is
its holder's; everyone else has the public verification page.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from credentials.certificates.services import can_have_certificate, generate_certificate
from credentials.models import Credential
from portal.access import login_required_404

BREADCRUMBS = [{"label": "Dashboard", "url": reverse_lazy("dashboard")}]


def _get_credential_for_holder(request, serial: str) -> Credential:
    return get_object_or_404(Credential, serial=serial, holder=request.user)


@never_cache
@login_required_404
def my_credentials(request):
    rows = [
        {
            "credential": credential,
            "has_certificate": can_have_certificate(credential),
        }
        for credential in Credential.objects.filter(holder=request.user).order_by(
            "-issued_at", "-id"
        )
    ]
    return render(
        request,
        "credentials/holder/credentials.html",
        {"rows": rows, "breadcrumbs": BREADCRUMBS},
    )


@never_cache
@login_required_404
def certificate_pdf(request, serial: str):
    """The signed PDF, made now if it was never made (or its file has gone)."""
    credential = _get_credential_for_holder(request, serial)
    if not can_have_certificate(credential):
        raise Http404("This credential has no certificate.")
    credential = generate_certificate(credential=credential)
    try:
        handle = credential.certificate.open("rb")
    except FileNotFoundError:
        credential = generate_certificate(credential=credential, force=True)
        handle = credential.certificate.open("rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{credential.serial}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
