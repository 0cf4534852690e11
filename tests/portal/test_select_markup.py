"""The form renderer writes selects in Python for speed; the markup must be Django's own."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe

from portal.forms import NHSFormRenderer

CHOICES = [
    ("", "Anywhere"),
    ("a&b", 'Tom & "Jerry" <script>'),
    (3, 1234567),
    ("safe", mark_safe("<b>bold</b>")),
    ("Group <1>", [("g1", "First"), ("g2", "Second")]),
]


def both(widget: forms.Widget, name: str, value, attrs: dict) -> tuple[str, str]:
    """(Django's templates, the portal's renderer) for one widget."""
    return (
        widget.render(name, value, attrs, renderer=TemplatesSetting()),
        widget.render(name, value, attrs, renderer=NHSFormRenderer()),
    )


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), "a&b"),
        (forms.Select(choices=CHOICES), None),
        (forms.Select(choices=CHOICES), 3),
        (forms.Select(choices=CHOICES, attrs={"disabled": True, "data-x": '"q"'}), "g2"),
        (forms.SelectMultiple(choices=CHOICES), ["g1", "safe"]),
        (forms.NullBooleanSelect(), True),
    ],
)
def test_select_markup_is_the_same_as_djangos_templates(widget, value):
    attrs = {"id": "id_f", "class": "nhsuk-select", "aria-describedby": "f-hint"}
    attrs["placeholder"] = False
    templates, portal = both(widget, 'f"name', value, attrs)
    assert portal == templates
    assert "<script>" not in portal


def test_an_option_with_a_template_of_its_own_goes_through_the_templates():
    class Option(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Option(choices=[("a", "A")])
    templates, portal = both(widget, "f", "a", {})
    assert portal == templates
    assert "<option" not in portal
