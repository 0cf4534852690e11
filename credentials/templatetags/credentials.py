"""{% status_tag credential %}: a credential's status as every page shows it."""

from django import template
from django.utils.html import format_html

from credentials.selectors.register import public_record
from portfolio.api import number_with_register

register = template.Library()
TAG = '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>'


@register.simple_tag
def status_tag(credential) -> str:
    # One place decides the words ("Not yet valid", "Replaced by a renewal"…) and the colour,
    # so private pages never say "Valid" where the public ones would not.
    record = public_record(credential)
    return format_html(TAG, record.tag_colour, record.status_words)


@register.filter
def with_register(number: str) -> str:
    """ "7012345" as the register writes it: "GMC 7012345"."""
    return number_with_register(number or "")
