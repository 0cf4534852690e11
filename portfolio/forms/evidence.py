"""Forms for evidence items: details, links to competencies grouped by framework, and files.

Files are checked here (portfolio.files.inspect_upload) so that every refusal appears as an
error on the page; the cleaned value of a files field is a list of CheckedUploads, the only
thing the evidence service will store.
"""

from dataclasses import dataclass
from itertools import groupby

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from portal.forms import NHSDateField
from portfolio.files import (
    ACCEPT,
    ALLOWED_DESCRIPTION,
    UploadRefused,
    check_sent_name,
    inspect_upload,
)
from portfolio.models import (
    ClinicianProfile,
    Competency,
    EvidenceItem,
    EvidenceKind,
    EvidenceLink,
    FrameworkStatus,
)
from portfolio.services.evidence import FUTURE_DATE_MESSAGE, too_many_files_message

REFLECTION_MAX_LENGTH = 10_000


def _route_of(owner) -> str:
    profile = ClinicianProfile.objects.filter(user=owner).first() if owner else None
    return profile.effective_route if profile is not None else ""


def _items_per_competency(owner, *, exclude: EvidenceItem | None) -> dict[int, int]:
    """How many of OWNER's other items each competency already has (one query)."""
    if owner is None:
        return {}
    links = EvidenceLink.objects.filter(item__owner=owner)
    if exclude is not None:
        links = links.exclude(item=exclude)
    return dict(
        links.values("competency_id")
        .annotate(items=Count("item_id", distinct=True))
        .values_list("competency_id", "items")
    )


def _choice_label(competency: Competency, used: int) -> str:
    label = f"{competency.code} {competency.title}"
    if competency.max_evidence is not None and used >= competency.max_evidence:
        return f"{label} (already has {used}: the most is {competency.max_evidence})"
    if used:
        return f"{label} ({used} item{'s' if used != 1 else ''} so far)"
    return label


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the form checks them (and that there is one) in clean_files."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        return [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]


def files_field() -> MultipleFileField:
    size = filesizeformat(settings.PORTFOLIO_MAX_UPLOAD_BYTES)
    return MultipleFileField(
        label="Files",
        # Not required here, so that clean_files always runs: Django drops a file whose
        # name is only dots or slashes, and the person should hear why, not "choose a file".
        required=False,
        help_text=(
            f"Up to {EvidenceItem.MAX_FILES} files in all: {ALLOWED_DESCRIPTION}, "
            f"each {size} or smaller. Remove patient-identifiable information first."
        ),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )


class FilesMixin:
    """Checks the `files` field: names as sent, the count, then each file's content."""

    existing_files = 0
    sent_names: tuple[str, ...] = ()

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        errors = []
        for sent in self.sent_names:
            try:
                check_sent_name(sent)
            except UploadRefused as exc:
                errors.append(exc.message)
        if errors:
            raise ValidationError(errors)
        if not uploads:
            raise ValidationError("Choose at least one file to upload.")
        if self.existing_files + len(uploads) > EvidenceItem.MAX_FILES:
            raise ValidationError(too_many_files_message(self.existing_files))
        checked = []
        for upload in uploads:
            try:
                checked.append(inspect_upload(upload))
            except UploadRefused as exc:
                errors.append(exc.message)
        if errors:
            raise ValidationError(errors)
        return checked


@dataclass(frozen=True)
class ChosenCompetencies:
    """What a link asks the add page to tick: `?competency=<id or code>` (may repeat), or
    `?framework=<id>&capability=<code>` as the coverage page and the accreditation checklist
    send it. Only competencies the form offers are ticked; anything else is ignored."""

    refs: tuple[str, ...] = ()
    framework_id: int | None = None

    MAX_REFS = 20

    @classmethod
    def from_query(cls, query) -> "ChosenCompetencies":
        values = [*query.getlist("competency"), *query.getlist("capability")]
        refs = tuple(value.strip() for value in values if value.strip())[: cls.MAX_REFS]
        framework = query.get("framework", "").strip()
        framework_id = int(framework) if _is_id(framework) else None
        return cls(refs, framework_id)

    def offered(self) -> Q:
        """Competencies to offer beyond the route's: the framework the link names, or the
        competencies it names by id (a GP following a gap on another framework's coverage)."""
        if not self.refs:
            return Q(pk__in=[])
        if self.framework_id is not None:
            return Q(framework_id=self.framework_id)
        return Q(pk__in=[int(ref) for ref in self.refs if _is_id(ref)])

    def ticks(self, competency: Competency) -> bool:
        if self.framework_id is not None and competency.framework_id != self.framework_id:
            return False
        return competency.code in self.refs or str(competency.pk) in self.refs


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of evidence",
        choices=[("", "Choose a type"), *EvidenceKind.choices],
        error_messages={"required": "Select the type of evidence."},
    )
    date = NHSDateField(
        label="Date of the activity",
        help_text="For example, 27 3 2026. For a course or a log, the date it ended.",
        error_messages={"required": "Enter the date of the activity."},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title.",
            "max_length": "The title must be 200 characters or fewer.",
        },
    )
    reflection = forms.CharField(
        label="Reflection",
        required=False,
        max_length=REFLECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you did, what you learned and what you will do differently.",
        error_messages={
            "max_length": f"Your reflection must be {REFLECTION_MAX_LENGTH:,} characters or fewer."
        },
    )

    def __init__(
        self,
        *args,
        item: EvidenceItem | None = None,
        owner=None,
        chosen: ChosenCompetencies | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        chosen = chosen or ChosenCompetencies()
        self.framework_fields: list[str] = []
        linked = set()
        if item is not None:
            owner = owner or item.owner
            self.initial.update(
                kind=item.kind, date=item.date, title=item.title, reflection=item.reflection
            )
            linked = {str(pk) for pk in item.links.values_list("competency_id", flat=True)}
        # Only the frameworks of the clinician's route (and any the item already uses).
        route = _route_of(owner)
        competencies = Competency.objects.filter(framework__status=FrameworkStatus.PUBLISHED)
        if route:
            competencies = competencies.filter(
                Q(framework__route__in=["", route])
                | Q(pk__in=[int(pk) for pk in linked])
                | chosen.offered()
            )
        competencies = competencies.select_related("framework", "domain").order_by(
            "framework__name", "framework_id", "domain__order", "order", "code"
        )
        used = _items_per_competency(owner, exclude=item)
        for framework, group in groupby(competencies, key=lambda c: c.framework):
            name = f"competencies_{framework.pk}"
            units = framework.unit_name_plural
            group = list(group)
            choices = [(str(c.pk), _choice_label(c, used.get(c.pk, 0))) for c in group]
            self.fields[name] = forms.MultipleChoiceField(
                label=f"{units[:1].upper()}{units[1:]} in {framework.name}",
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=f"Select every {framework.unit_name} this evidence shows. You can "
                "leave this blank.",
                error_messages={"invalid_choice": f"Choose {units} from the list."},
            )
            self.initial[name] = [
                str(c.pk) for c in group if str(c.pk) in linked or chosen.ticks(c)
            ]
            self.framework_fields.append(name)

    def full_clean(self):
        super().full_clean()
        self.fields["date"].widget.has_error = "date" in self.errors

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise ValidationError(FUTURE_DATE_MESSAGE)
        return value

    def competency_ids(self) -> list[int]:
        return [int(pk) for name in self.framework_fields for pk in self.cleaned_data[name]]


class EvidenceCreateForm(FilesMixin, EvidenceForm):
    def __init__(self, *args, sent_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sent_names = tuple(sent_names)
        self.fields["files"] = files_field()
        self.order_fields(["kind", "date", "title", "reflection", "files"])


class EvidenceFilesForm(FilesMixin, forms.Form):
    def __init__(self, *args, item: EvidenceItem, sent_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_files = item.files.count()
        self.sent_names = tuple(sent_names)
        self.fields["files"] = files_field()
