"""The supervisor's structured reference form: who they are, how long they have supervised,
a judgement on each capability the framework sets a level for, and any concerns."""

from django import forms
from django.core.exceptions import ValidationError

from accreditation.forms import LongText, plain_text
from accreditation.models import SupervisorSpecialty
from accreditation.services.references import MAX_COMMENT, MAX_MONTHS

ENTRUSTED = [("yes", "Yes"), ("not_yet", "Not yet")]
YES_NO = [("no", "No"), ("yes", "Yes")]


class SupervisorReferenceForm(forms.Form):
    specialty = forms.ChoiceField(
        label="Your specialty",
        choices=SupervisorSpecialty.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your specialty."},
    )
    post = forms.CharField(
        label="Your post",
        max_length=200,
        help_text="For example, consultant in sport and exercise medicine, Riverside MSK service.",
        error_messages={
            "required": "Enter your post.",
            "max_length": "Enter your post in 200 characters or fewer.",
        },
    )
    registration = forms.CharField(
        label="Your registration number (optional)",
        required=False,
        max_length=40,
        help_text="For example, your GMC number.",
        error_messages={"max_length": "Enter your registration number in 40 characters or fewer."},
    )
    months = forms.IntegerField(
        label="How many months have you supervised them in this role?",
        min_value=0,
        max_value=MAX_MONTHS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter how many months you have supervised them.",
            "invalid": "Enter the number of months as a whole number, like 18.",
            "min_value": "Enter a number of months of 0 or more.",
            "max_value": f"Enter a number of months of {MAX_MONTHS} or fewer.",
        },
    )

    def __init__(self, *args, capabilities, gp_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.capabilities = capabilities
        for n, capability in enumerate(capabilities):
            self.fields[f"cap{n}_entrusted"] = forms.ChoiceField(
                label=f"{capability.code} {capability.title}: is {gp_name} "
                f"{capability.level[:1].lower()}{capability.level[1:]}?",
                choices=ENTRUSTED,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether they meet {capability.code}."},
            )
            self.fields[f"cap{n}_comment"] = LongText(
                label=f"What you have seen for {capability.code}",
                help_text="Required if not yet: say what they still need.",
                required=False,
                max_length=MAX_COMMENT,
                rows=3,
            )
        self.fields["concerns"] = forms.ChoiceField(
            label="Do you have any concerns about their probity, health or conduct?",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": "Say whether you have any concerns."},
        )
        self.fields["concerns_detail"] = LongText(
            label="Your concerns",
            help_text="Required if you have concerns.",
            required=False,
            max_length=MAX_COMMENT,
            rows=3,
        )
        self.fields["comment"] = LongText(
            label="Anything else the assessors should know (optional)",
            required=False,
            max_length=MAX_COMMENT,
            rows=4,
        )
        self.fields["declaration"] = forms.BooleanField(
            label="This reference is my own and, to the best of my knowledge, accurate.",
            error_messages={"required": "Confirm that this reference is your own and accurate."},
        )

    def clean_post(self):
        return plain_text(" ".join(self.cleaned_data["post"].split()))

    def clean_registration(self):
        value = " ".join(self.cleaned_data["registration"].split())
        if value and not (value.isascii() and value.replace(" ", "").isalnum()):
            raise ValidationError("Enter your registration number in letters and digits only.")
        return value

    def clean(self):
        data = super().clean()
        for n, capability in enumerate(self.capabilities):
            if data.get(f"cap{n}_entrusted") == "not_yet" and not data.get(f"cap{n}_comment"):
                self.add_error(
                    f"cap{n}_comment", f"Say what they still need for {capability.code}."
                )
        if data.get("concerns") == "yes" and not data.get("concerns_detail"):
            self.add_error("concerns_detail", "Describe your concerns.")
        return data

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "specialty": data["specialty"],
            "post": data["post"],
            "registration": data["registration"],
            "months": data["months"],
            "capabilities": [
                {
                    "code": capability.code,
                    "entrusted": data[f"cap{n}_entrusted"],
                    "comment": data[f"cap{n}_comment"],
                }
                for n, capability in enumerate(self.capabilities)
            ],
            "concerns": data["concerns"],
            "concerns_detail": data["concerns_detail"],
            "comment": data["comment"],
        }
