"""The public links to a credential (public contracts): built here and nowhere else.

Certificates (QR and printed URL), emails, watch lists, the JSON API and Open Badges all call
these, so the verification URL is one function.
"""

from django.urls import reverse

from portal.links import absolute_url


def verification_path(credential) -> str:
    return reverse("credentials:verify", args=[credential.token])


def verification_url(credential) -> str:
    """/verify/<token>/ on the portal's public base URL."""
    return absolute_url(verification_path(credential))


def open_badge_url(credential) -> str:
    return absolute_url(reverse("credentials:verify_credential_json", args=[credential.token]))


def status_url(credential) -> str:
    return absolute_url(reverse("credentials:api_credential", args=[credential.token]))
