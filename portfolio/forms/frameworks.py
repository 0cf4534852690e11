from django import forms

from portfolio.models import Framework
from portfolio.routes import Route


class FrameworkDetailsForm(forms.Form):
    """A draft's name, description, whole-portfolio limit, route and wording."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the framework's name."},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who the framework is for and how it is used.",
    )
    max_total_evidence = forms.IntegerField(
        label="Most evidence items in a portfolio (optional)",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Leave blank for no limit. For example 35.",
        error_messages={
            "invalid": "Enter a whole number, like 35, or leave it blank.",
            "min_value": "Enter a number of 1 or more, or leave it blank.",
            "max_value": "Enter a number of 1,000 or less, or leave it blank.",
        },
    )

    route = forms.ChoiceField(
        label="Route",
        required=False,
        choices=[("", "Every route"), *Route.choices],
        widget=forms.RadioSelect,
        help_text="Clinicians on this route map their evidence to this framework.",
        error_messages={"invalid_choice": "Choose a route from the list."},
    )
    confirmation_required = forms.BooleanField(
        label="Evidence counts only once a third party has confirmed it",
        required=False,
    )
    unit_name = forms.RegexField(
        label="What the framework calls one of its units (optional)",
        required=False,
        regex=r"\A[a-z][a-z -]{1,38}\Z",
        max_length=40,
        initial="competency",
        help_text="Lower case, for example capability. Leave blank for competency.",
        error_messages={"invalid": "Use lower-case letters only, like capability."},
    )
    unit_name_plural = forms.RegexField(
        label="And more than one (optional)",
        required=False,
        regex=r"\A[a-z][a-z -]{1,38}\Z",
        max_length=40,
        initial="competencies",
        help_text="For example capabilities. Leave blank for competencies.",
        error_messages={"invalid": "Use lower-case letters only, like capabilities."},
    )

    def clean_unit_name(self):
        return self.cleaned_data["unit_name"] or "competency"

    def clean_unit_name_plural(self):
        return self.cleaned_data["unit_name_plural"] or "competencies"

    @classmethod
    def for_framework(cls, framework: Framework, data=None):
        initial = {
            field: getattr(framework, field)
            for field in (
                "name",
                "description",
                "max_total_evidence",
                "route",
                "confirmation_required",
                "unit_name",
                "unit_name_plural",
            )
        }
        return cls(data, initial=initial)


class NewFrameworkForm(FrameworkDetailsForm):
    code = forms.SlugField(
        label="Code",
        max_length=50,
        help_text=(
            "Shared by every version and never changed. Lower-case letters, numbers and "
            "hyphens, for example gpwer-msk."
        ),
        error_messages={
            "required": "Enter a code for the framework.",
            "invalid": "Use only lower-case letters, numbers and hyphens, like gpwer-msk.",
        },
    )
    field_order = [
        "code",
        "name",
        "description",
        "max_total_evidence",
        "route",
        "confirmation_required",
        "unit_name",
        "unit_name_plural",
    ]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Framework.objects.filter(code=code).exists():
            raise forms.ValidationError(
                "A framework with this code already exists. Open it to make a new version."
            )
        return code


class FrameworkImportForm(forms.Form):
    """First post: the file (a preview follows). Second post: the signed preview to confirm."""

    file = forms.FileField(
        label="Upload a CSV or Excel file",
        required=False,
        help_text="A .csv (UTF-8) or .xlsx file of at most 2,000 rows and 1 MB.",
    )
    payload = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("payload") and "file" not in self.errors:
            self.add_error("file", "Choose a CSV or Excel file to import.")
        return cleaned
