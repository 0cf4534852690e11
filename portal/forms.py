"""Form pieces every app shares: the NHS.UK renderer and the NHS.UK date input."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

# No date a person types is outside these: older records and far futures are mistakes.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class NHSFormRenderer(TemplatesSetting):
    """Render `{{ form }}` and `{{ field }}` with NHS.UK frontend markup."""

    form_template_name = "nhsuk/forms/form.html"
    field_template_name = "nhsuk/forms/field.html"


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
