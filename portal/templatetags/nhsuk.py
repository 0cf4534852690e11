"""Template helpers for NHS.UK frontend markup."""

from django import forms, template
from django.utils.safestring import mark_safe

register = template.Library()

_INPUT_CLASS = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.ClearableFileInput: "nhsuk-file-upload",
    forms.FileInput: "nhsuk-file-upload",
}


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def field_kind(field) -> str:
    return _kind(field)


@register.filter
def error_target(field) -> str:
    """The id an error summary link points at: the first box of a date, the first radio or
    checkbox of a group, else the field itself. NHS.UK frontend moves focus there, so it must
    be something that can take focus, not the group's wrapper."""
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"  # MultiWidget numbers its boxes
    if _kind(field) in ("radios", "checkboxes"):
        first = next(iter(field.subwidgets), None)
        if first is not None and first.id_for_label:
            return first.id_for_label
    return field.id_for_label or field.auto_id


@register.simple_tag
def nhs_widget(field):
    """The field's widget with NHS classes and aria-describedby for hint and error."""
    widget = field.field.widget
    css = "nhsuk-input"
    for widget_class, widget_css in _INPUT_CLASS.items():
        if isinstance(widget, widget_class):
            css = widget_css
            break
    if _kind(field) == "checkbox":
        css = "nhsuk-checkboxes__input"
    if field.errors and _kind(field) == "input":
        css += f" {css}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    # NHS.UK guidance: no placeholders (they read as pre-filled answers and vanish on typing).
    attrs["placeholder"] = False
    return field.as_widget(attrs=attrs)


@register.simple_tag
def nhs_choice_input(field, choice):
    """One radio or checkbox of a multiple-choice field, with NHS classes."""
    kind = _kind(field)
    css = "nhsuk-radios__input" if kind == "radios" else "nhsuk-checkboxes__input"
    # str.replace drops the tag's safe marking; the markup is Django's own, escaped already.
    return mark_safe(choice.tag().replace("<input ", f'<input class="{css}" ', 1))  # noqa: S308


@register.filter
def iso_date(value: str) -> str:
    """An ISO date or date-time from a manifest, in the site's style: 27 March 2026."""
    import datetime

    from django.utils.dateformat import format as date_format

    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return date_format(day, "j F Y")
