"""The exams pages' forms. Every refused move (an ExamError) shows as the form's error."""

import datetime

from django import forms
from django.utils import timezone

from exams.adjustment_states import Decision
from exams.appeal_states import AppealStatus
from exams.models import AdjustmentKind, AppealKind, ImportKind, SittingMode
from exams.services.standards import ANGOFF, ANGOFF_TRIMMED, FIXED, HOFSTEE, METHOD_NAMES
from portal.forms import NHSDateField


class ConfirmForm(forms.Form):
    """A form with nothing to fill in: the button is the decision."""


class AdjustmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="What adjustment do you need?",
        choices=AdjustmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the adjustment you need."},
    )
    details = forms.CharField(
        label="Tell us more",
        help_text="For example how much extra time, and the condition or need it is for.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Tell us more about the adjustment.",
            "max_length": "Keep it to 2,000 characters.",
        },
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline."},
    )
    note = forms.CharField(
        label="Note to the candidate",
        help_text="Needed when you decline.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (AppealStatus.UPHELD, "Uphold the appeal"),
            (AppealStatus.DISMISSED, "Dismiss the appeal"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose uphold or dismiss."},
    )
    outcome = forms.CharField(
        label="Outcome the candidate will read",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the outcome the candidate will read."},
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you asking for?",
        choices=[
            (AppealKind.REMARK, "A re-mark: check that my answers were marked correctly"),
            (AppealKind.APPEAL, "An appeal: something went wrong with the exam or its conduct"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a re-mark or an appeal."},
    )
    grounds = forms.CharField(
        label="What are you appealing against, and why?",
        help_text="Appeals and re-mark requests are decided by the exams team.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what you are appealing against and why."},
    )


class ImportForm(forms.Form):
    component = forms.ChoiceField(
        label="Paper or OSCE", error_messages={"required": "Choose the paper or OSCE."}
    )
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds."},
    )
    file = forms.FileField(
        label="Results file",
        help_text="A CSV file (.csv) or Excel workbook (.xlsx), at most 8 MB and 250,000 rows. "
        "Nothing is saved until you have seen the check and confirmed.",
        error_messages={"required": "Choose a file to check.", "empty": "The file is empty."},
    )

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = [(str(c.pk), c.name) for c in components]


class JudgementsForm(forms.Form):
    file = forms.FileField(
        label="Angoff judgements",
        help_text="First column judge, then one column per question id; each cell the "
        "probability (0 to 1) that a borderline candidate answers correctly.",
        error_messages={"required": "Choose a file.", "empty": "The file is empty."},
    )


class StandardForm(forms.Form):
    method = forms.ChoiceField(
        label="How is the standard set?",
        choices=[(m, METHOD_NAMES[m]) for m in (ANGOFF, ANGOFF_TRIMMED, HOFSTEE, FIXED)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the standard is set."},
    )
    cut = forms.FloatField(
        label="Cut score (marks)",
        help_text="Only for a cut score set by the board.",
        required=False,
        min_value=0,
        max_value=1000,
        error_messages={"invalid": "Enter the cut score as a number of marks."},
    )
    min_cut = forms.FloatField(
        label="Hofstee: lowest acceptable cut (%)", required=False, min_value=0, max_value=100
    )
    max_cut = forms.FloatField(
        label="Hofstee: highest acceptable cut (%)", required=False, min_value=0, max_value=100
    )
    min_fail = forms.FloatField(
        label="Hofstee: lowest acceptable fail rate (%)", required=False, min_value=0, max_value=100
    )
    max_fail = forms.FloatField(
        label="Hofstee: highest acceptable fail rate (%)",
        required=False,
        min_value=0,
        max_value=100,
    )
    HOFSTEE_FIELDS = ("min_cut", "max_cut", "min_fail", "max_fail")
    HOFSTEE_MISSING = {
        "min_cut": "Enter the lowest acceptable cut, in percent.",
        "max_cut": "Enter the highest acceptable cut, in percent.",
        "min_fail": "Enter the lowest acceptable fail rate, in percent.",
        "max_fail": "Enter the highest acceptable fail rate, in percent.",
    }

    def clean(self):
        data = super().clean()
        if data.get("method") == HOFSTEE:
            for name in self.HOFSTEE_FIELDS:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, self.HOFSTEE_MISSING[name])
        if data.get("method") == FIXED and data.get("cut") is None and "cut" not in self.errors:
            self.add_error("cut", "Enter the cut score the board set.")
        return data

    def hofstee_bounds(self):
        return {name: self.cleaned_data[name] for name in self.HOFSTEE_FIELDS}


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label="Why is this question excluded?",
        max_length=200,
        error_messages={"required": "Say why the question is excluded."},
    )


class JudgeForm(forms.Form):
    """One judge's Angoff judgements entered by hand: a probability for every question."""

    judge = forms.RegexField(
        label="Judge",
        help_text="A name or initials: letters, digits, spaces, dots, hyphens.",
        regex=r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$",
        max_length=40,
        error_messages={
            "required": "Enter the judge's name or initials.",
            "invalid": "Use letters, digits, spaces, dots and hyphens for the judge's name.",
        },
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.FloatField(
                label=f"Question {item.code}",
                min_value=0,
                max_value=1,
                widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
                error_messages={
                    "required": f"Enter a probability for question {item.code}.",
                    "invalid": f"Enter question {item.code}'s probability as a number from 0 to 1.",
                    "min_value": f"Question {item.code}'s probability must be 0 or more.",
                    "max_value": f"Question {item.code}'s probability must be 1 or less.",
                },
            )

    def judgements(self) -> dict[str, dict[int, float]]:
        data = self.cleaned_data
        return {data["judge"].strip(): {item.pk: data[f"item_{item.pk}"] for item in self.items}}


class ReleaseForm(forms.Form):
    release_on = NHSDateField(
        label="Release on (optional)",
        help_text="Leave blank to release now. A date releases the results at 9am on that day, "
        "within the next 90 days.",
        required=False,
        min_date=datetime.date(2026, 1, 1),
        max_date=datetime.date(2100, 12, 31),
    )

    def release_at(self):
        day = self.cleaned_data.get("release_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


class SittingForm(forms.Form):
    """A new sitting (made as a draft: scheduling it publishes it)."""

    exam = forms.ChoiceField(label="Exam", error_messages={"required": "Choose the exam."})
    label = forms.CharField(
        label="Name of the sitting",
        help_text="For example Spring 2027.",
        max_length=100,
        error_messages={"required": "Enter a name for the sitting."},
    )
    starts_on = NHSDateField(label="First day", min_date=datetime.date(2020, 1, 1))
    ends_on = NHSDateField(label="Last day", min_date=datetime.date(2020, 1, 1))
    mode = forms.ChoiceField(
        label="Where is it sat?",
        choices=SittingMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose online or at a venue."},
    )
    venue = forms.CharField(
        label="Venue", help_text="Needed for a sitting at a venue.", required=False, max_length=200
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=5000,
        error_messages={
            "required": "Enter the number of places.",
            "invalid": "Enter the number of places as a whole number.",
            "min_value": "A sitting needs at least 1 place.",
            "max_value": "A sitting can have at most 5,000 places.",
        },
    )
    applications_open = NHSDateField(label="Applications open", min_date=datetime.date(2020, 1, 1))
    applications_close = NHSDateField(
        label="Applications close", min_date=datetime.date(2020, 1, 1)
    )
    fee = forms.DecimalField(
        label="Fee (£)",
        min_value=0,
        max_value=10000,
        decimal_places=2,
        error_messages={
            "required": "Enter the fee in pounds.",
            "invalid": "Enter the fee in pounds, for example 450 or 452.50.",
            "max_value": "The fee must be £10,000 or less.",
            "min_value": "The fee cannot be negative.",
            "max_decimal_places": "Enter the fee to the penny at most.",
        },
    )

    def __init__(self, *args, exams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam"].choices = [("", "Choose an exam")] + [
            (str(e.pk), e.name) for e in exams
        ]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        opens, closes = data.get("applications_open"), data.get("applications_close")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        if opens and closes and closes < opens:
            self.add_error("applications_close", "Applications must close after they open.")
        if starts and closes and closes > starts:
            self.add_error("applications_close", "Applications must close by the first day.")
        if data.get("mode") == SittingMode.VENUE and not (data.get("venue") or "").strip():
            self.add_error("venue", "Enter the venue of a sitting at a venue.")
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label="Places",
        help_text="More places go to the waiting list at once, in the order they applied.",
        min_value=1,
        max_value=5000,
        error_messages={
            "required": "Enter the number of places.",
            "invalid": "Enter the number of places as a whole number.",
            "min_value": "A sitting needs at least 1 place.",
            "max_value": "A sitting can have at most 5,000 places.",
        },
    )
