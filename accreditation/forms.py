"""Forms for accreditation's pages. Only the fields named here are read from a POST: extra
fields (state, applicant, decision, assessor) are ignored."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accreditation.models import AppealOutcome, FeeStatus, Judgement, Outcome, Recommendation
from accreditation.services.guards import MAX_TEXT
from portal.forms import NHSDateField
from portal.text import has_hidden_characters
from portfolio import api as portfolio_api

FilesMixin, files_field, record_sent_file_names = portfolio_api.certificate_form_parts()

# The steps take no more (services.guards.clean_text): the form says so first.
TEXT_MAX = MAX_TEXT


def plain_text(value: str, *, multiline: bool = False) -> str:
    """VALUE, refused if it hides characters (one line unless MULTILINE)."""
    if has_hidden_characters(value, multiline=multiline):
        raise ValidationError("Remove the hidden or text-direction characters and try again.")
    return value


class LongText(forms.CharField):
    """A text area of at most TEXT_MAX characters, without hidden characters."""

    def __init__(self, *, rows=4, **kwargs):
        kwargs.setdefault("max_length", TEXT_MAX)
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "max_length", f"Enter {kwargs['max_length']:,} characters or fewer."
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": rows}))
        super().__init__(**kwargs)

    def clean(self, value):
        return plain_text(super().clean(value), multiline=True)


class DeclarationForm(forms.Form):
    extended_role = LongText(
        label="Describe your extended role",
        help_text="Where you work in it, how many sessions a week, and what you do.",
        error_messages={"required": "Describe your extended role."},
    )
    supervisor_name = forms.CharField(
        label="Your supervisor's full name",
        max_length=200,
        help_text="The consultant who oversees your extended role and gives your reference.",
        error_messages={"required": "Enter your supervisor's full name."},
        widget=forms.TextInput(attrs={"class": "nhsuk-input", "autocomplete": "off"}),
    )
    supervisor_email = forms.EmailField(
        label="Your supervisor's email address",
        max_length=254,
        error_messages={
            "required": "Enter your supervisor's email address.",
            "invalid": "Enter an email address like name@example.nhs.uk.",
        },
        widget=forms.EmailInput(attrs={"class": "nhsuk-input", "autocomplete": "off"}),
    )

    def clean_supervisor_name(self):
        return plain_text(self.cleaned_data["supervisor_name"].strip())

    def clean_supervisor_email(self):
        email = self.cleaned_data["supervisor_email"]
        if not email.isascii():
            raise ValidationError("Enter an email address like name@example.nhs.uk.")
        return email


class WithdrawForm(forms.Form):
    reason = LongText(label="Why are you withdrawing? (optional)", required=False, rows=3)


class AppealForm(forms.Form):
    grounds = LongText(
        label="Your grounds for appeal",
        help_text="Say which part of the decision you disagree with and why.",
        error_messages={"required": "Enter your grounds for appeal."},
        rows=8,
    )


class ReturnForm(forms.Form):
    reasons = LongText(
        label="What is missing",
        help_text="The applicant sees this and fixes it before submitting again.",
        error_messages={"required": "Enter what is missing."},
    )


class FeeForm(forms.Form):
    fee_status = forms.ChoiceField(
        label="Fee",
        choices=[(s.value, s.label) for s in FeeStatus if s != FeeStatus.DUE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose paid, waived or invoiced."},
    )
    fee_reference = forms.CharField(
        label="Reference (optional)",
        max_length=100,
        required=False,
        help_text="An invoice number or the reason for a waiver.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )

    def clean_fee_reference(self):
        return plain_text(self.cleaned_data["fee_reference"].strip())


class EndAllocationForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        error_messages={"required": "Enter the reason for the reallocation."},
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )

    def clean_reason(self):
        return plain_text(self.cleaned_data["reason"].strip())


def scope_field(**kwargs):
    return LongText(
        label="Scope of practice",
        help_text="What the credential lets the holder do, as the register shows it. It starts "
        "from the pathway's; change it for this applicant if you need to.",
        error_messages={"required": "Enter the scope of practice."},
        rows=3,
        **kwargs,
    )


def conditions_field(**kwargs):
    return LongText(
        label="Conditions (optional)",
        required=False,
        help_text="Any conditions on the credential, shown on the register and certificate.",
        rows=2,
        **kwargs,
    )


class ReviewForm(forms.Form):
    """One judgement, comment and evidence choice per capability of the round, then a
    recommendation."""

    def __init__(self, *args, capabilities, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.capabilities = capabilities
        item_choices = [(str(item["id"]), item["title"]) for item in items]
        self.groups = []
        for n, capability in enumerate(capabilities):
            code = capability["code"]
            judgement = f"cap{n}_judgement"
            comment = f"cap{n}_comment"
            evidence = f"cap{n}_evidence"
            self.fields[judgement] = forms.ChoiceField(
                label=f"Your judgement on {code}",
                choices=Judgement.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a judgement for {code}."},
            )
            self.fields[comment] = LongText(label=f"Comment on {code}", required=False, rows=3)
            self.fields[evidence] = forms.MultipleChoiceField(
                label=f"Evidence you relied on for {code}",
                choices=item_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.groups.append(
                {
                    "capability": capability,
                    "fields": [self[judgement], self[comment], self[evidence]],
                }
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label="Your recommendation",
            choices=Recommendation.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a recommendation."},
        )
        self.fields["comment"] = LongText(label="Overall comment (optional)", required=False)

    def judgements(self) -> dict:
        data = self.cleaned_data
        return {
            capability["code"]: {
                "judgement": data[f"cap{n}_judgement"],
                "comment": data[f"cap{n}_comment"],
                "evidence": data[f"cap{n}_evidence"],
            }
            for n, capability in enumerate(self.capabilities)
        }


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    reasons = LongText(
        label="Reasons",
        required=False,
        help_text="Needed for a decline or a request for more evidence; the applicant sees them.",
    )
    capabilities = forms.MultipleChoiceField(
        label="Capabilities that need more evidence",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For a request for more evidence.",
    )
    deadline = NHSDateField(
        label="Deadline for more evidence",
        required=False,
        help_text="For a request for more evidence, for example 27 3 2027.",
    )
    scope = scope_field(required=False)
    conditions = conditions_field()

    def __init__(self, *args, capabilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.capability_list = capabilities
        self.fields["capabilities"].choices = [
            (c["code"], f"{c['code']} {c['title']}") for c in capabilities
        ]
        self.reason_fields = []
        for n, capability in enumerate(capabilities):
            name = f"reason{n}"
            self.fields[name] = LongText(
                label=f"Reason for {capability['code']} (for a decline)", required=False, rows=2
            )
            self.reason_fields.append(self[name])

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.MORE_EVIDENCE:
            if not data.get("capabilities"):
                self.add_error("capabilities", "Choose the capabilities that need more evidence.")
            if not data.get("deadline") and "deadline" not in self.errors:
                self.add_error("deadline", "Enter the deadline for more evidence.")
        if outcome in (Outcome.MORE_EVIDENCE, Outcome.DECLINED) and not data.get("reasons"):
            self.add_error("reasons", "Enter the reasons.")
        if outcome == Outcome.DECLINED and not any(
            data.get(f"reason{n}") for n in range(len(self.capability_list))
        ):
            self.add_error(None, "Give the reasons for a decline by capability.")
        if data.get("deadline") and data["deadline"] < timezone.localdate():
            self.add_error("deadline", "The deadline must be in the future.")
        if outcome == Outcome.APPROVED and not data.get("scope"):
            self.add_error("scope", "Enter the scope of practice for the credential.")
        return data

    def capability_reasons(self) -> dict:
        return {
            c["code"]: self.cleaned_data.get(f"reason{n}", "")
            for n, c in enumerate(self.capability_list)
        }


class AppealDecisionForm(forms.Form):
    appeal_outcome = forms.ChoiceField(
        label="The outcome of the appeal",
        choices=AppealOutcome.choices,
        widget=forms.RadioSelect,
        help_text="A new review sends the evidence to assessors who have not seen it, and a "
        "lead assessor decides again. Changing the decision awards the credential now.",
        error_messages={"required": "Choose the outcome of the appeal."},
    )
    appeal_reasons = LongText(
        label="Reasons",
        help_text="The applicant sees these.",
        error_messages={"required": "Enter the reasons."},
    )
    scope = scope_field(required=False)
    conditions = conditions_field()

    def clean(self):
        data = super().clean()
        if data.get("appeal_outcome") == AppealOutcome.DECISION_CHANGED and not data.get("scope"):
            self.add_error("scope", "Enter the scope of practice for the credential.")
        return data


class QualificationForm(FilesMixin, forms.Form):
    """A prior qualification, declared with its certificate (checked as evidence files are)."""

    qualification = forms.ChoiceField(
        label="Which qualification do you hold?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the qualification you hold."},
    )
    awarding_body = forms.CharField(
        label="Awarding body",
        max_length=200,
        help_text="For example, Faculty of Sport and Exercise Medicine UK.",
        error_messages={
            "required": "Enter the awarding body.",
            "max_length": "Enter 200 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"class": "nhsuk-input"}),
    )
    awarded_on = NHSDateField(
        label="Date awarded",
        help_text="As on the certificate, for example 14 6 2019.",
        error_messages={"required": "Enter the date it was awarded."},
    )

    def __init__(self, *args, names, sent_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].choices = [(name, name) for name in names]
        self.fields["files"] = files_field()
        self.fields["files"].label = "Your certificate"
        self.sent_names = tuple(sent_names)

    def clean_awarding_body(self):
        return plain_text(self.cleaned_data["awarding_body"].strip())

    def clean_awarded_on(self):
        day = self.cleaned_data["awarded_on"]
        if day > timezone.localdate():
            raise ValidationError("The date awarded must be today or in the past.")
        return day


class QualificationDecisionForm(forms.Form):
    note = LongText(
        label="Reason (needed if you do not accept it)",
        required=False,
        help_text="The applicant sees this.",
        rows=3,
    )


class ConflictForm(forms.Form):
    conflict = forms.CharField(
        label="What is the conflict of interest?",
        max_length=500,
        help_text="For example: we work in the same service, or I have supervised them. The "
        "faculty office sees this and allocates another assessor.",
        error_messages={
            "required": "Say what the conflict of interest is.",
            "max_length": "Describe the conflict in 500 characters or fewer.",
        },
        widget=forms.Textarea(attrs={"class": "nhsuk-textarea", "rows": 3}),
    )

    def clean_conflict(self):
        return plain_text(self.cleaned_data["conflict"].strip())
