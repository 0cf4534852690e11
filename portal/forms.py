"""Form pieces every app shares: the NHS.UK renderer and the NHS.UK date input."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape

# No date a person types is outside these: older records and far futures are mistakes.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class NHSFormRenderer(TemplatesSetting):
    """Render `{{ form }}` and `{{ field }}` with NHS.UK frontend markup."""

    form_template_name = "nhsuk/forms/form.html"
    field_template_name = "nhsuk/forms/field.html"

    def render(self, template_name, context, request=None):
        # Django's select template includes a template per option: the register's 46 ICBs and
        # nations were a third of its time. Python writes the same markup (tests compare them).
        if template_name == SELECT_TEMPLATE:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(str(value))}"')
    return "".join(parts)


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html written out in Python: the same markup, character for
    character. None when an option uses a template of its own (the templates render it)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(localize(group_name))}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(localize(option['label']))}"
                "</option>\n"  # the option template's own last line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class NHSDateInput(forms.MultiWidget):
    """The NHS.UK date input: day, month and year boxes."""

    template_name = "nhsuk/forms/date_input.html"
    LABELS = ("Day", "Month", "Year")

    def __init__(self, attrs=None):
        def box(width):
            css = f"nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}"
            return forms.TextInput(attrs={"class": css, "inputmode": "numeric"})

        super().__init__({"day": box(2), "month": box(2), "year": box(4)}, attrs)
        self.has_error = False

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.LABELS, strict=True):
            subwidget["label"] = label
            if self.has_error:
                subwidget["attrs"]["class"] += " nhsuk-input--error"
        return context


class NHSDateField(forms.Field):
    """A date as three boxes, ASCII digits only, within [min_date, max_date].

    The bounds stop absurd dates (year 1, year 9999, 20-digit numbers) before they reach
    date arithmetic or the database; each gets a message naming what is allowed.
    """

    widget = NHSDateInput
    default_error_messages = {"required": "Enter the date."}

    def __init__(self, *, min_date=EARLIEST_DATE, max_date=LATEST_DATE, **kwargs):
        kwargs.setdefault("template_name", "nhsuk/forms/date_field.html")
        super().__init__(**kwargs)
        self.min_date, self.max_date = min_date, max_date

    def clean(self, value):
        day, month, year = ((part or "").strip() for part in value or ("", "", ""))
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [
            name
            for name, part in zip(NHSDateInput.LABELS, (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise ValidationError(f"The date must include a {' and a '.join(missing).lower()}.")
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise ValidationError("The year must be 4 numbers, for example 2026.")
        if not all(part.isascii() and part.isdigit() and len(part) <= 2 for part in (day, month)):
            raise ValidationError("The date must be a real date, for example 27 3 2026.")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError("The date must be a real date, for example 27 3 2026.") from None
        if value < self.min_date:
            raise ValidationError(f"The date must be on or after {_words(self.min_date)}.")
        if value > self.max_date:
            raise ValidationError(f"The date must be on or before {_words(self.max_date)}.")
        return value


def _words(day: datetime.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
