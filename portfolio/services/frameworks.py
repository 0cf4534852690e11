"""Competency frameworks: every change of a framework version's state, guarded and audited.

A version moves draft → published → retired and never back. Only a draft can change; to
change a published framework, make a new draft version (a copy), edit it, and publish it,
which retires the version before. Evidence stays linked to the competencies of the version
it was mapped under: publishing never moves links.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from portal.audit import record
from portfolio.errors import PortfolioError
from portfolio.models import Competency, Domain, EvidenceLink, Framework, FrameworkStatus

# The fields of a Framework row that are its content, as opposed to its state.
CONTENT_FIELDS = (
    "name",
    "description",
    "max_total_evidence",
    "route",
    "confirmation_required",
    "unit_name",
    "unit_name_plural",
)


def _locked(framework: Framework) -> Framework:
    """Every version of FRAMEWORK's code, locked; returns the fresh row of FRAMEWORK itself."""
    versions = list(Framework.objects.select_for_update().filter(code=framework.code))
    for version in versions:
        if version.pk == framework.pk:
            return version
    raise PortfolioError("This framework no longer exists.")


def _require_draft(framework: Framework, doing: str) -> None:
    if framework.status != FrameworkStatus.DRAFT:
        raise PortfolioError(
            f"Version {framework.version} of {framework.name} is "
            f"{framework.get_status_display().lower()}, so you cannot {doing}. "
            "Make a new draft version to change it."
        )


def _content(framework: Framework) -> dict:
    return {field: getattr(framework, field) for field in CONTENT_FIELDS}


@transaction.atomic
def create_framework(
    *,
    code: str,
    name: str,
    description: str = "",
    max_total_evidence: int | None = None,
    route: str = "",
    confirmation_required: bool = False,
    unit_name: str = "competency",
    unit_name_plural: str = "competencies",
) -> Framework:
    """Start a new framework: version 1, as a draft."""
    if Framework.objects.select_for_update().filter(code=code).exists():
        raise PortfolioError(
            f"A framework with the code {code} already exists. "
            "Make a new draft version of it instead."
        )
    framework = Framework(
        code=code,
        name=name,
        description=description,
        max_total_evidence=max_total_evidence,
        route=route,
        confirmation_required=confirmation_required,
        unit_name=unit_name,
        unit_name_plural=unit_name_plural,
        version=1,
        status=FrameworkStatus.DRAFT,
    )
    framework.full_clean()
    framework.save()
    record("portfolio.framework_created", obj=framework, new=_content(framework))
    return framework


@transaction.atomic
def update_framework(*, framework: Framework, **details) -> Framework:
    """Change a draft's details (any of CONTENT_FIELDS: name, limit, route, wording…)."""
    unknown = set(details) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Not framework details: {', '.join(sorted(unknown))}")
    framework = _locked(framework)
    _require_draft(framework, "change its details")
    old = _content(framework)
    for field, value in details.items():
        setattr(framework, field, value)
    framework.full_clean()
    framework.save(update_fields=list(CONTENT_FIELDS))
    if old != _content(framework):
        record("portfolio.framework_changed", obj=framework, old=old, new=_content(framework))
    return framework


@transaction.atomic
def publish_framework(*, framework: Framework) -> Framework:
    """Draft → published. The version published before it (if any) is retired."""
    framework = _locked(framework)
    _require_draft(framework, "publish it again")
    if not Competency.objects.filter(framework=framework).exists():
        raise PortfolioError(
            "A framework with no competencies cannot be published. Import or add some first."
        )
    previous = Framework.objects.filter(
        code=framework.code, status=FrameworkStatus.PUBLISHED
    ).first()
    if previous is not None:
        # Retire first: the database allows one published version per code.
        previous.status = FrameworkStatus.RETIRED
        previous.save(update_fields=["status"])
        record(
            "portfolio.framework_retired",
            obj=previous,
            old=FrameworkStatus.PUBLISHED,
            new=FrameworkStatus.RETIRED,
            detail=f"Replaced by version {framework.version}.",
        )
    framework.status = FrameworkStatus.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(
        "portfolio.framework_published",
        obj=framework,
        old=FrameworkStatus.DRAFT,
        new=FrameworkStatus.PUBLISHED,
    )
    return framework


@transaction.atomic
def retire_framework(*, framework: Framework) -> Framework:
    """Published → retired: nobody maps new evidence to it; existing links stay."""
    framework = _locked(framework)
    if framework.status != FrameworkStatus.PUBLISHED:
        raise PortfolioError(
            f"Only a published version can be retired; version {framework.version} is "
            f"{framework.get_status_display().lower()}."
        )
    framework.status = FrameworkStatus.RETIRED
    framework.save(update_fields=["status"])
    record(
        "portfolio.framework_retired",
        obj=framework,
        old=FrameworkStatus.PUBLISHED,
        new=FrameworkStatus.RETIRED,
    )
    return framework


@transaction.atomic
def new_draft_version(*, framework: Framework) -> Framework:
    """Copy a published or retired version, with its domains and competencies, as a new draft."""
    source = _locked(framework)
    if source.status == FrameworkStatus.DRAFT:
        raise PortfolioError(
            f"Version {source.version} is already a draft: edit it rather than copying it."
        )
    siblings = Framework.objects.filter(code=source.code)
    draft = siblings.filter(status=FrameworkStatus.DRAFT).first()
    if draft is not None:
        raise PortfolioError(
            f"Version {draft.version} of {draft.name} is already a draft. "
            "Publish or delete it before starting another."
        )
    version = siblings.aggregate(latest=Max("version"))["latest"] + 1
    copy = Framework.objects.create(
        code=source.code,
        version=version,
        status=FrameworkStatus.DRAFT,
        **_content(source),
    )
    domains = {}
    for domain in source.domains.all():
        domains[domain.pk] = Domain.objects.create(
            framework=copy,
            code=domain.code,
            title=domain.title,
            order=domain.order,
            min_evidence=domain.min_evidence,
            max_evidence=domain.max_evidence,
        )
    Competency.objects.bulk_create(
        Competency(
            framework=copy,
            domain=domains[competency.domain_id],
            code=competency.code,
            title=competency.title,
            descriptor=competency.descriptor,
            level=competency.level,
            min_evidence=competency.min_evidence,
            max_evidence=competency.max_evidence,
            order=competency.order,
        )
        for competency in source.competencies.all()
    )
    record(
        "portfolio.framework_draft_created",
        obj=copy,
        new=FrameworkStatus.DRAFT,
        detail=f"Copied from version {source.version}.",
    )
    return copy


@transaction.atomic
def delete_draft(*, framework: Framework) -> None:
    """Throw a draft away, with its domains and competencies."""
    framework = _locked(framework)
    _require_draft(framework, "delete it")
    if EvidenceLink.objects.filter(competency__framework=framework).exists():
        raise PortfolioError("Evidence is mapped to this draft, so it cannot be deleted.")
    record(
        "portfolio.framework_draft_deleted",
        obj=framework,
        old=FrameworkStatus.DRAFT,
        new=None,
    )
    # The parts' own delete() refuses published versions; this one is a draft.
    Competency.objects.filter(framework=framework).delete()
    Domain.objects.filter(framework=framework).delete()
    framework.delete()
