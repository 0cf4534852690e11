"""Verification by token: the page, the signed Open Badge, and the issuer's public profile.

Every token that names no credential (unknown, guessed, truncated, malformed) gets the same
plain "not found" answer. The token is in the address, so these pages never send a referrer.
"""

import logging

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from credentials.openbadges.credential import issuer_document, signed_credential
from credentials.selectors.register import credential_for_token, registration_is_public
from credentials.statuses import public_record

logger = logging.getLogger(__name__)


def private_link(response):
    """Headers for an answer reached through a secret link.

    The site-wide Referrer-Policy (same-origin) keeps the link from other sites while letting
    the browser send the Origin header our forms' CSRF check needs.
    """
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Django logs a failed request's path; portal.logfilters redacts the token from it.
    return response


def public_json(response):
    """Read-only public JSON: any site may read it; nobody keeps a stale copy."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return private_link(response)


def not_found_json():
    return public_json(JsonResponse({"error": "not found"}, status=404))


@require_safe
@never_cache
def page(request, token: str):
    credential = credential_for_token(token)
    if credential is None:
        return private_link(render(request, "credentials/verify/not_found.html", status=404))
    renewal = getattr(credential, "superseded_by", None)
    record = public_record(credential)
    return private_link(
        render(
            request,
            "credentials/verify/detail.html",
            {
                "record": record,
                "status_description": record.description,
                "credential": credential,
                "renewal": renewal,
                "renews": credential.supersedes,
                "registration": credential.registration
                if registration_is_public(credential)
                else "",
            },
        )
    )


@require_safe
def open_badge(request, token: str):
    """The credential as a signed OpenBadgeCredential, stating its status today."""
    credential = credential_for_token(token)
    if credential is None:
        return not_found_json()
    return public_json(JsonResponse(signed_credential(credential), json_dumps_params={"indent": 2}))


@require_safe
def issuer_profile(request):
    """The issuer's Profile with its public key (a Multikey) for verifying badges."""
    response = JsonResponse(issuer_document(), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def status_list(request, number: int, purpose: str):
    """A Bitstring Status List credential (revocation or suspension), signed; cached for its
    ttl by anyone (it names no one: only bits at random places)."""
    from credentials import status_lists

    if purpose not in status_lists.PURPOSES or not status_lists.exists(number):
        raise Http404("Page not found")
    response = JsonResponse(
        status_lists.signed_status_list(number, purpose), json_dumps_params={"indent": 2}
    )
    response["Content-Type"] = "application/vc+ld+json"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={status_lists.TTL_SECONDS}"
    return response
