"""Competency frameworks in and out of spreadsheets, with django-import-export.

One flat format, one row per competency (see COLUMNS). The same resource serves the portal's
import page and the Django admin, so both refuse the same things: formula cells, bad numbers,
duplicate codes, unknown domains and any version that is not a draft. An import is all or
nothing: it runs in one transaction and any bad row rolls the whole file back.
"""

import hashlib
import json
from dataclasses import dataclass, field

import tablib
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources
from import_export.fields import Field
from import_export.results import RowResult

from portal.audit import record
from portal.spreadsheets import escape_cell
from portfolio.errors import PortfolioError
from portfolio.frameworks_files import COLUMNS, header_problems, read_upload
from portfolio.frameworks_rows import Problem, RowChecker, format_problem
from portfolio.models import Competency, Domain, Framework, FrameworkStatus

COMPETENCY_FIELDS = ("title", "descriptor", "level", "min_evidence", "max_evidence", "order")
DOMAIN_FIELDS = ("title", "order", "min_evidence", "max_evidence")
PAYLOAD_SALT = "portfolio.framework-import"
PAYLOAD_MAX_AGE = 60 * 60  # a preview can be confirmed for an hour


class CompetencyResource(resources.ModelResource):
    """Rows of COLUMNS ↔ the domains and competencies of one framework version."""

    domain_code = Field(attribute="domain__code", column_name="domain_code", readonly=True)
    domain_title = Field(attribute="domain__title", column_name="domain_title", readonly=True)
    domain_order = Field(attribute="domain__order", column_name="domain_order", readonly=True)
    domain_min_evidence = Field(
        attribute="domain__min_evidence", column_name="domain_min_evidence", readonly=True
    )
    domain_max_evidence = Field(
        attribute="domain__max_evidence", column_name="domain_max_evidence", readonly=True
    )

    class Meta:
        model = Competency
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["code"]
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True

    def __init__(self, framework: Framework | None = None, **kwargs):
        super().__init__(**kwargs)
        self.framework = framework
        self.problems: dict[int, list[Problem]] = {}  # spreadsheet row number → problems
        self.file_problems: list[str] = []
        self.cleaned: dict[int, dict] = {}
        self.domain_actions: list[tuple[str, str, str]] = []  # (code, title, action)
        self.changes: dict[int, list[str]] = {}
        self._domains: dict[str, Domain] = {}
        self._existing: dict[str, Competency] = {}
        self._row = 0

    # Export ---------------------------------------------------------------------------

    def get_queryset(self):
        queryset = Competency.objects.select_related("domain")
        if self.framework is not None:
            queryset = queryset.filter(framework=self.framework)
        return queryset.order_by(
            "framework__code",
            "framework__version",
            "domain__order",
            "domain__code",
            "order",
            "code",
        )

    def export_field(self, field, instance, **kwargs):
        value = field.get_value(instance)
        return escape_cell(value)

    # Import ---------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        if self.framework is None:
            raise PortfolioError("Choose the draft framework version to import into.")
        self.framework = Framework.objects.select_for_update().get(pk=self.framework.pk)
        if self.framework.status != FrameworkStatus.DRAFT:
            self.file_problems.append(
                f"{self.framework} is {self.framework.get_status_display().lower()} and "
                "cannot change. Import into a draft version."
            )
        self.file_problems += header_problems(dataset.headers)
        if self.file_problems:
            raise PortfolioError(" ".join(self.file_problems))
        existing_domains = {d.code: d for d in Domain.objects.filter(framework=self.framework)}
        checker = RowChecker(known_domains=set(existing_domains))
        for index, values in enumerate(dataset, start=1):
            checker.check(index + 1, dict(zip(dataset.headers, values, strict=True)))
        self.problems, self.cleaned = checker.finish()
        if not self.problems:
            self._save_domains(existing_domains, checker.domains)
            self._existing = {c.code: c for c in self.get_queryset()}

    def _save_domains(self, existing: dict[str, Domain], defined: dict[str, dict]) -> None:
        self._domains = dict(existing)
        for code, values in defined.items():
            domain = existing.get(code)
            if domain is None:
                domain = Domain(framework=self.framework, code=code)
                action = "new"
            elif all(getattr(domain, name) == values[name] for name in DOMAIN_FIELDS):
                self.domain_actions.append((code, domain.title, "unchanged"))
                continue
            else:
                action = "update"
            for name in DOMAIN_FIELDS:
                setattr(domain, name, values[name])
            domain.save()
            self._domains[code] = domain
            self.domain_actions.append((code, domain.title, action))

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"] + 1  # the header is row 1, as in a spreadsheet
        if self._leave_alone(number):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
        else:
            self._row = number
            row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = number
        return row_result

    def _leave_alone(self, number: int) -> bool:
        """A blank row; or the file or another row is wrong, so nothing will be written."""
        if self.file_problems:
            return True
        if number in self.problems:
            return False  # reported as invalid, with its problems
        return number not in self.cleaned or bool(self.problems)

    def before_import_row(self, row, **kwargs):
        if self._row in self.problems:
            raise ValidationError(
                [f"column {col}: {text}" if col else text for col, text in self.problems[self._row]]
            )

    def get_or_init_instance(self, instance_loader, row):
        code = self.cleaned[self._row]["code"]
        if code in self._existing:
            return self._existing[code], False
        return Competency(framework=self.framework, code=code), True

    def import_instance(self, instance, row, **kwargs):
        values = self.cleaned[self._row]
        domain = self._domains[values["domain_code"]]
        if instance.pk is not None:
            changed = [] if instance.domain_id == domain.pk else ["domain_code"]
            changed += [n for n in COMPETENCY_FIELDS if getattr(instance, n) != values[n]]
            self.changes[self._row] = changed
        instance.framework = self.framework
        instance.domain = domain
        for name in COMPETENCY_FIELDS:
            setattr(instance, name, values[name])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(original.pk) and not self.changes.get(self._row)


@dataclass
class PreviewRow:
    number: int
    code: str
    title: str
    domain_code: str
    action: str  # new, update or skip
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportOutcome:
    """What an import did (or, for a preview, would do); errors mean it wrote nothing."""

    errors: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    domains: list[tuple[str, str, str]] = field(default_factory=list)
    payload: str = ""

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def summary(self) -> str:
        parts = [
            f"{self.count('new')} new",
            f"{self.count('update')} changed",
            f"{self.count('skip')} unchanged",
        ]
        domains_new = sum(1 for _code, _title, action in self.domains if action == "new")
        domains_changed = sum(1 for _code, _title, action in self.domains if action == "update")
        return (
            f"Competencies: {', '.join(parts)}. "
            f"Domains: {domains_new} new, {domains_changed} changed."
        )


def _fingerprint(framework: Framework) -> str:
    """A digest of a draft's content: a preview is only confirmed against the same draft."""
    content = [
        list(Domain.objects.filter(framework=framework).order_by("code").values_list()),
        list(Competency.objects.filter(framework=framework).order_by("code").values_list()),
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def _errors(resource: CompetencyResource, result) -> list[str]:
    errors = [e.error.message for e in result.base_errors if isinstance(e.error, PortfolioError)]
    if result.base_errors and not errors:
        errors.append("The file could not be imported. Check it against the template.")
    for number, problems in sorted(resource.problems.items()):
        errors += [format_problem(number, column, text) for column, text in problems]
    for number, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(f"Row {number + 1}: could not be saved ({type(error.error).__name__}).")
    reported = set(resource.problems)
    for invalid in result.invalid_rows:
        if invalid.number + 1 not in reported:
            for message in invalid.validation_error.messages:
                errors.append(f"Row {invalid.number + 1}: {message}")
    return errors


def _run(framework: Framework, dataset: tablib.Dataset, *, dry_run: bool) -> ImportOutcome:
    problems = header_problems(dataset.headers)
    if problems:
        return ImportOutcome(errors=problems)
    resource = CompetencyResource(framework=framework)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    outcome = ImportOutcome(errors=_errors(resource, result), domains=resource.domain_actions)
    if not outcome.errors and (result.has_errors() or result.has_validation_errors()):
        outcome.errors = ["The file could not be imported."]
    if outcome.errors:
        return outcome
    for row_result in result.rows:
        values = resource.cleaned.get(row_result.number)
        if values is not None:
            outcome.rows.append(
                PreviewRow(
                    number=row_result.number,
                    code=values["code"],
                    title=values["title"],
                    domain_code=values["domain_code"],
                    action=row_result.import_type,
                    changes=resource.changes.get(row_result.number, []),
                )
            )
    if not outcome.rows:
        outcome.errors = ["The file has no competencies in it."]
    return outcome


def _lock_draft(framework: Framework) -> Framework:
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.DRAFT:
        raise PortfolioError(
            f"{framework} is {framework.get_status_display().lower()} and cannot change. "
            "Import into a draft version."
        )
    return framework


@transaction.atomic
def preview_import(*, framework: Framework, upload) -> ImportOutcome:
    """Dry run: read and check the upload; nothing is written. Returns what would happen."""
    framework = _lock_draft(framework)
    dataset = read_upload(upload)
    outcome = _run(framework, dataset, dry_run=True)
    if not outcome.errors:
        outcome.payload = signing.dumps(
            {
                "framework": framework.pk,
                "fingerprint": _fingerprint(framework),
                "headers": list(dataset.headers),
                "rows": [list(row) for row in dataset],
            },
            salt=PAYLOAD_SALT,
            compress=True,
        )
    return outcome


@transaction.atomic
def confirm_import(*, framework: Framework, payload: str) -> ImportOutcome:
    """Write a previewed file: checked again, all rows or none."""
    framework = _lock_draft(framework)
    try:
        data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature as exc:
        raise PortfolioError(
            "The preview has expired or was altered. Upload the file again."
        ) from exc
    if data["framework"] != framework.pk:
        raise PortfolioError("That preview was for another framework. Upload the file again.")
    if data["fingerprint"] != _fingerprint(framework):
        raise PortfolioError(
            "The draft changed after you previewed the file. Upload it again to see a new preview."
        )
    dataset = tablib.Dataset(*[tuple(row) for row in data["rows"]], headers=data["headers"])
    outcome = _run(framework, dataset, dry_run=False)
    if not outcome.errors:
        record(
            "portfolio.framework_imported",
            obj=framework,
            detail=outcome.summary,
        )
    return outcome


def export_framework(*, framework: Framework, file_format: str) -> tuple[bytes, str, str]:
    """The framework's rows as (content, content type, file name); formulas are escaped."""
    dataset = CompetencyResource(framework=framework).export()
    name = f"{framework.code}-v{framework.version}"
    if file_format == "xlsx":
        return (
            dataset.export("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    if file_format == "csv":
        # With a byte order mark, so that Excel reads the text as UTF-8.
        return dataset.export("csv").encode("utf-8-sig"), "text/csv", f"{name}.csv"
    raise PortfolioError("Export as CSV or XLSX.")
