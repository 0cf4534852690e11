"""Forms for delivering exams here: the question bank, papers, OSCE circuits, marksheets and
the exam team's actions on one candidate. The services check everything again."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.forms import NHSDateField

TIME_HELP = "Use the 24-hour clock, for example 09:30."


def _time_field(label):
    return forms.TimeField(
        label=label,
        help_text=TIME_HELP,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
        error_messages={
            "required": f"Enter the time ({label.lower()}).",
            "invalid": "Enter a time like 09:30.",
        },
    )


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class QuestionForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=30,
        help_text="Letters, digits, dots, dashes or underscores, for example DMSK-UL-031.",
        error_messages={"required": "Enter a code for the question."},
    )
    domain = forms.CharField(
        label="Domain",
        max_length=60,
        help_text="The blueprint area, for example Upper limb.",
        error_messages={"required": "Enter the domain."},
    )
    stem = forms.CharField(
        label="Question",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The scenario and the lead-in question.",
        error_messages={"required": "Enter the question."},
    )
    option_a = forms.CharField(label="Option A", max_length=500)
    option_b = forms.CharField(label="Option B", max_length=500)
    option_c = forms.CharField(label="Option C", max_length=500)
    option_d = forms.CharField(label="Option D", max_length=500)
    option_e = forms.CharField(label="Option E (optional)", max_length=500, required=False)
    key = forms.ChoiceField(
        label="Key (the single best answer)",
        choices=[(letter, letter) for letter in "ABCDE"],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the key."},
    )
    tags = forms.CharField(
        label="Tags (optional)",
        required=False,
        max_length=300,
        help_text="Separate them with commas.",
    )
    explanation = forms.CharField(
        label="Explanation for the exam team (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    image = forms.FileField(
        label="Image (optional)",
        required=False,
        help_text="A PNG or JPEG, 2 MB or smaller.",
    )
    image_alt = forms.CharField(
        label="Alternative text for the image",
        required=False,
        max_length=300,
        help_text="What the image shows, for candidates who use a screen reader. Needed with "
        "an image.",
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        for letter in "abcd":
            self.fields[f"option_{letter}"].error_messages["required"] = (
                f"Enter option {letter.upper()}."
            )
        if editing:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", "Describe the image for candidates who cannot see it.")
        return data

    def content(self) -> dict:
        data = self.cleaned_data
        options = [data[f"option_{letter}"] for letter in "abcde" if data.get(f"option_{letter}")]
        return {
            "stem": data["stem"],
            "options": options,
            "key": data["key"],
            "domain": data["domain"],
            "tags": [tag for tag in data["tags"].split(",") if tag.strip()],
            "explanation": data["explanation"],
            "image_alt": data["image_alt"],
        }


class ReasonForm(forms.Form):
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=240,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "required": "Enter the minutes.",
            "invalid": "Enter the minutes as a whole number.",
            "min_value": "Enter at least 1 minute.",
            "max_value": "Enter 240 minutes or fewer.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="It goes into the audit trail.",
        error_messages={"required": "Give the reason."},
    )


class PaperForm(forms.Form):
    day = NHSDateField(label="Day of the paper", min_date=datetime.date(2020, 1, 1))
    opens = _time_field("Candidates can start from")
    closes = _time_field("Candidates can start until")
    duration_minutes = forms.IntegerField(
        label="Time allowed, in minutes",
        min_value=5,
        max_value=600,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "required": "Enter the time allowed.",
            "invalid": "Enter the time allowed as a whole number of minutes.",
            "min_value": "Allow at least 5 minutes.",
            "max_value": "Allow 600 minutes or fewer.",
        },
    )
    shuffle_questions = forms.BooleanField(
        label="Show the questions in a different order to each candidate", required=False
    )
    shuffle_options = forms.BooleanField(
        label="Show the options in a different order to each candidate", required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("opens") and data.get("closes"):
            data["opens_at"] = _moment(data["day"], data["opens"])
            data["closes_at"] = _moment(data["day"], data["closes"])
            if data["closes_at"] <= data["opens_at"]:
                self.add_error("closes", "The last start time must be after the first.")
        return data


class BlueprintForm(forms.Form):
    """One number per domain of the bank."""

    def __init__(self, *args, domains, counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}
        self.domains = domains
        for n, (domain, approved) in enumerate(domains):
            self.fields[f"domain_{n}"] = forms.IntegerField(
                label=f"{domain} ({approved} approved in the bank)",
                min_value=0,
                max_value=500,
                initial=counts.get(domain, 0),
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}
                ),
                error_messages={
                    "required": f"Enter a number for {domain} (0 for none).",
                    "invalid": f"Enter a whole number for {domain}.",
                    "min_value": "Enter 0 or more.",
                    "max_value": "Enter 500 or fewer.",
                },
            )

    def blueprint(self) -> dict:
        return {
            domain: self.cleaned_data[f"domain_{n}"] for n, (domain, _) in enumerate(self.domains)
        }


class CircuitForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, help_text="For example Circuit A.")
    day = NHSDateField(label="Day", min_date=datetime.date(2020, 1, 1))
    starts = _time_field("First rotation starts")
    station_minutes = forms.IntegerField(
        label="Minutes at each station",
        min_value=1,
        max_value=60,
        initial=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter a whole number of minutes.",
            "min_value": "Enter at least 1 minute.",
            "max_value": "Enter 60 minutes or fewer.",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("starts"):
            data["starts_at"] = _moment(data["day"], data["starts"])
        return data


class StationForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=120, help_text="For example Knee examination."
    )
    is_rest = forms.BooleanField(label="This is a rest station (nobody marks it)", required=False)
    checklist = forms.CharField(
        label="Checklist",
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One line each: the top mark, a bar, then what the examiner looks for, for "
        "example: 2 | Introduces themselves and gains consent",
    )

    def clean(self):
        data = super().clean()
        lines = []
        for n, line in enumerate((data.get("checklist") or "").splitlines(), 1):
            if not line.strip():
                continue
            top, bar, text = line.partition("|")
            if not bar or not top.strip().isascii() or not top.strip().isdigit():
                self.add_error(
                    "checklist", f"Line {n}: start with the top mark and a bar, like 2 | ..."
                )
                continue
            lines.append({"max": int(top), "text": text.strip()})
        if not data.get("is_rest") and not lines and not self.errors:
            self.add_error("checklist", "Give a marked station at least one checklist line.")
        data["lines"] = lines
        return data


class ExaminerForm(forms.Form):
    examiner = forms.ModelChoiceField(
        label="Examiner",
        queryset=None,
        empty_label="Choose an examiner",
        error_messages={
            "required": "Choose an examiner.",
            "invalid_choice": "Choose an examiner from the list.",
        },
    )

    def __init__(self, *args, examiners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiner"].queryset = examiners
        self.fields["examiner"].label_from_instance = lambda u: u.get_full_name() or u.email


class MarksheetForm(forms.Form):
    """A checklist mark per line, the global grade and a comment."""

    def __init__(self, *args, station, max_grade, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        for n, line in enumerate(station.checklist):
            self.fields[f"line_{n}"] = forms.TypedChoiceField(
                label=line["text"],
                choices=[(str(v), str(v)) for v in range(line["max"] + 1)],
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "nhsuk-radios--inline"}),
            )
        self.fields["global_grade"] = forms.TypedChoiceField(
            label="Global grade",
            help_text=f"1 (clear fail) to {max_grade} (excellent); the middle grade is borderline.",
            choices=[(str(v), str(v)) for v in range(1, max_grade + 1)],
            coerce=int,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["comment"] = forms.CharField(
            label="Comment (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def scores(self) -> list:
        return [self.cleaned_data.get(f"line_{n}") for n in range(len(self.station.checklist))]

    def clean(self):
        data = super().clean()
        if "revision" not in data:
            raise ValidationError("Reload the page and mark again.")
        return data


class BankImportForm(forms.Form):
    file = forms.FileField(
        label="The file",
        help_text="A CSV file (.csv) or an Excel workbook (.xlsx), 4 MB or smaller, with the "
        "columns code, domain, question, option_a to option_e, key, tags and explanation.",
        error_messages={"required": "Choose the file to check."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 4 * 1024 * 1024:
            raise ValidationError("The file must be 4 MB or smaller.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("Upload a CSV file (.csv) or an Excel workbook (.xlsx).")
        return upload
