"""How well a clinician's evidence covers one framework version.

Counts are of DISTINCT evidence items: an item linked to two competencies of a domain counts once
for the domain and once for the framework. An item counts as confirmed when a third party has
confirmed it (a live CONFIRMED confirmation); otherwise it is unconfirmed. The confirmed and
unconfirmed counts are shown beside each rule.

When the framework requires confirmation (the advanced practice route: every item confirmed by
a peer), only confirmed items count towards a minimum, so "Met" never shows with none
confirmed; a maximum counts every linked item.

`framework_coverage` runs three queries whatever the number of items or competencies: the
domains, the competencies, and one grouped-in-Python list of (competency, item, confirmed)
rows, which also gives each row the items behind it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.module_loading import import_string

from portfolio.models import (
    Competency,
    Confirmation,
    ConfirmationStatus,
    Domain,
    EvidenceLink,
    Framework,
    FrameworkStatus,
)


class CoverageState:
    do_not_call_in_templates = True

    GAP = "gap"
    MET = "met"
    OVER = "over"
    NO_RULE = "no_rule"


def _items(n: int) -> str:
    return f"{n} more item" if n == 1 else f"{n} more items"


def judge(
    count: int, minimum: int | None, maximum: int | None, *, counted: int | None = None
) -> tuple[str, str]:
    """(state, words) for COUNT items against an optional minimum and maximum.

    COUNTED, when given, is what the minimum is judged on (only the confirmed items, for a
    framework that requires confirmation); the maximum is always judged on every linked item.
    """
    counted = count if counted is None else counted
    if minimum and counted < minimum:
        needed = _items(minimum - counted)
        if counted < count:
            return CoverageState.GAP, f"Gap: needs {needed} confirmed"
        return CoverageState.GAP, f"Gap: needs {needed}"
    if maximum is not None and count > maximum:
        return CoverageState.OVER, f"Over the maximum of {maximum} by {count - maximum}"
    if not minimum and maximum is None:
        return CoverageState.NO_RULE, "No minimum or maximum"
    return CoverageState.MET, "Met"


def limits(minimum: int | None, maximum: int | None) -> str:
    """The rule in words: "1 to 2", "at least 4", "at most 35" or "No limit"."""
    if minimum and maximum is not None:
        return f"exactly {minimum}" if minimum == maximum else f"{minimum} to {maximum}"
    if minimum:
        return f"at least {minimum}"
    if maximum is not None:
        return f"at most {maximum}"
    return "No limit"


Limits = tuple[int | None, int | None]
NO_LIMITS: Limits = (None, None)


@dataclass(frozen=True)
class CoverageRules:
    """The limits a pathway sets on a framework, replacing the framework's own figures, so that
    the coverage page and the application's checklist judge the same rules.

    COMPETENCIES and DOMAINS map codes to (minimum, maximum); a code not in them takes
    EACH_COMPETENCY (EACH_DOMAIN), else has no limit. SINCE, for a renewal: only evidence
    dated on or after it counts."""

    source: str
    competencies: dict[str, Limits] = field(default_factory=dict)
    domains: dict[str, Limits] = field(default_factory=dict)
    each_competency: Limits = NO_LIMITS
    each_domain: Limits = NO_LIMITS
    total: Limits = NO_LIMITS
    since: datetime.date | None = None

    def for_competency(self, code: str) -> Limits:
        return self.competencies.get(code, self.each_competency)

    def for_domain(self, code: str) -> Limits:
        return self.domains.get(code, self.each_domain)


def rules_for(user, framework) -> CoverageRules | None:
    """The rules another app sets on FRAMEWORK for USER (the pathway of their application),
    asked of each provider named in settings.PORTFOLIO_COVERAGE_RULES; None: the framework's
    own figures apply."""
    for path in getattr(settings, "PORTFOLIO_COVERAGE_RULES", ()):
        rules = import_string(path)(user, framework)
        if rules is not None:
            return rules
    return None


@dataclass
class _Counted:
    confirmed_ids: set = field(default_factory=set)
    unconfirmed_ids: set = field(default_factory=set)
    # When the framework requires confirmation, only confirmed items count towards a minimum.
    confirmation_required: bool = False
    # (minimum, maximum) from a pathway's rules, in place of the framework's figures.
    limits_override: Limits | None = None

    @property
    def counted(self) -> int:
        """The items a minimum is judged on."""
        return self.confirmed if self.confirmation_required else self.total

    @property
    def confirmed(self) -> int:
        return len(self.confirmed_ids)

    @property
    def unconfirmed(self) -> int:
        return len(self.unconfirmed_ids)

    @property
    def total(self) -> int:
        return len(self.confirmed_ids | self.unconfirmed_ids)

    @property
    def limits(self) -> str:
        return limits(getattr(self, "minimum", None), self.maximum)

    def add(self, item_id: int, confirmed: bool) -> None:
        (self.confirmed_ids if confirmed else self.unconfirmed_ids).add(item_id)


@dataclass
class CompetencyCoverage(_Counted):
    competency: Competency | None = None
    state: str = ""
    status: str = ""
    items: list = field(default_factory=list)  # (item id, title, confirmed), for links

    @property
    def minimum(self) -> int | None:
        if self.limits_override is not None:
            return self.limits_override[0]
        return self.competency.min_evidence

    @property
    def maximum(self) -> int | None:
        if self.limits_override is not None:
            return self.limits_override[1]
        return self.competency.max_evidence


@dataclass
class DomainCoverage(_Counted):
    domain: Domain | None = None
    competencies: list[CompetencyCoverage] = field(default_factory=list)
    state: str = ""
    status: str = ""

    @property
    def minimum(self) -> int | None:
        if self.limits_override is not None:
            return self.limits_override[0]
        return self.domain.min_evidence

    @property
    def maximum(self) -> int | None:
        if self.limits_override is not None:
            return self.limits_override[1]
        return self.domain.max_evidence


@dataclass
class FrameworkCoverage(_Counted):
    framework: Framework | None = None
    domains: list[DomainCoverage] = field(default_factory=list)
    state: str = ""
    status: str = ""

    rules: CoverageRules | None = None

    @property
    def minimum(self) -> int | None:
        return self.limits_override[0] if self.limits_override is not None else None

    @property
    def maximum(self) -> int | None:
        if self.limits_override is not None:
            return self.limits_override[1]
        return self.framework.max_total_evidence

    @property
    def competency_count(self) -> int:
        return sum(len(d.competencies) for d in self.domains)

    def _competencies_in(self, state: str) -> int:
        return sum(1 for d in self.domains for c in d.competencies if c.state == state)

    @property
    def gaps(self) -> int:
        return self._competencies_in(CoverageState.GAP)

    @property
    def over(self) -> int:
        return self._competencies_in(CoverageState.OVER)

    @property
    def met(self) -> int:
        return self.competency_count - self.gaps - self.over

    @property
    def domain_problems(self) -> int:
        return sum(1 for d in self.domains if d.state in (CoverageState.GAP, CoverageState.OVER))

    @property
    def complete(self) -> bool:
        return not (
            self.gaps
            or self.over
            or self.domain_problems
            or self.state in (CoverageState.GAP, CoverageState.OVER)
        )


def frameworks_for(user):
    """Framework versions USER may see coverage for: the published ones and any they used."""
    used = EvidenceLink.objects.filter(item__owner=user).values("competency__framework_id")
    return Framework.objects.filter(Q(status=FrameworkStatus.PUBLISHED) | Q(pk__in=used))


_ASK = object()


def framework_coverage(*, user, framework: Framework, rules=_ASK) -> FrameworkCoverage:
    """USER's coverage of FRAMEWORK, judged by RULES (by default those of the pathway USER
    applies for, from rules_for; None: the framework's own figures)."""
    if rules is _ASK:
        rules = rules_for(user, framework)
    required = framework.confirmation_required

    domains = {
        d.pk: DomainCoverage(
            domain=d,
            confirmation_required=required,
            limits_override=rules.for_domain(d.code) if rules else None,
        )
        for d in Domain.objects.filter(framework=framework).order_by("order", "code")
    }
    competencies = {}
    for competency in Competency.objects.filter(framework=framework).order_by("order", "code"):
        entry = CompetencyCoverage(
            competency=competency,
            confirmation_required=required,
            limits_override=rules.for_competency(competency.code) if rules else None,
        )
        competencies[competency.pk] = entry
        domains[competency.domain_id].competencies.append(entry)

    confirmed = Confirmation.objects.filter(
        item=OuterRef("item_id"), status=ConfirmationStatus.CONFIRMED
    )
    links = EvidenceLink.objects.filter(item__owner=user, competency__framework=framework)
    if rules is not None and rules.since is not None:
        links = links.filter(item__date__gte=rules.since)
    rows = (
        links.annotate(confirmed=Exists(confirmed))
        .order_by("-item__date", "item_id")
        .values_list("competency_id", "item_id", "item__title", "confirmed")
    )
    result = FrameworkCoverage(
        framework=framework,
        domains=list(domains.values()),
        confirmation_required=required,
        limits_override=rules.total if rules else None,
        rules=rules,
    )
    for competency_id, item_id, title, is_confirmed in rows:
        entry = competencies[competency_id]
        entry.add(item_id, is_confirmed)
        entry.items.append((item_id, title, is_confirmed))
        domains[entry.competency.domain_id].add(item_id, is_confirmed)
        result.add(item_id, is_confirmed)

    for domain in result.domains:
        for entry in domain.competencies:
            entry.state, entry.status = judge(
                entry.total, entry.minimum, entry.maximum, counted=entry.counted
            )
        domain.state, domain.status = judge(
            domain.total, domain.minimum, domain.maximum, counted=domain.counted
        )
    result.state, result.status = judge(
        result.total, result.minimum, result.maximum, counted=result.total
    )
    if result.state == CoverageState.NO_RULE:
        result.status = "No maximum"
    elif result.state == CoverageState.MET and result.maximum is not None:
        result.status = f"Within the maximum of {result.maximum}"
    return result


def over_their_maximum(*, user, competency_ids) -> list[tuple[Competency, int]]:
    """Of COMPETENCY_IDS, those USER now has more items for than their maximum (with counts)."""
    from django.db.models import Count

    counts = (
        EvidenceLink.objects.filter(item__owner=user, competency_id__in=list(competency_ids))
        .values("competency_id")
        .annotate(items=Count("item_id", distinct=True))
        .values_list("competency_id", "items")
    )
    by_id = dict(counts)
    competencies = Competency.objects.filter(
        pk__in=by_id, max_evidence__isnull=False
    ).select_related("framework")
    return [
        (competency, by_id[competency.pk])
        for competency in competencies.order_by("code")
        if by_id[competency.pk] > competency.max_evidence
    ]


def over_maximum_message(over: list[tuple[Competency, int]]) -> str:
    parts = [
        f"{competency.code} now has {count} items (the most is {competency.max_evidence})"
        for competency, count in over
    ]
    return (
        "Over the maximum: " + "; ".join(parts) + ". Assessors look for your strongest "
        "items: edit the weaker ones to unlink them."
    )
