"""Eligibility and evidence rules, judged against an applicant: the checklist.

Each rule gives one line: met or not, in words, and a link to the page where the applicant
fixes it (their profile, their evidence, their coverage, their declaration). Submission is
refused unless every line is met; the same lines are the public page's sentences.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accreditation.models import AppliesTo, EligibilityKind, EvidenceRuleKind
from accreditation.states import State
from credentials import api as credentials_api
from portfolio import api as portfolio_api


@dataclass(frozen=True)
class Line:
    met: bool
    text: str
    fix_url: str = ""
    fix_text: str = ""
    # A second way to meet it (the next diploma sitting), shown beside the first.
    more_url: str = ""
    more_text: str = ""
    # Link even when met (to a declaration or a reference the applicant may want to see).
    keep_link: bool = False


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _range(minimum, maximum) -> str:
    if minimum and maximum is not None:
        return f"{minimum} to {maximum} items" if minimum != maximum else _items(minimum)
    if minimum:
        return f"at least {_items(minimum)}"
    if maximum is not None:
        return f"at most {_items(maximum)}"
    return "any number of items"


def credential_name(code: str) -> str:
    try:
        return credentials_api.credential_type(code).name
    except credentials_api.CredentialError:
        return code


def regulator_names(codes) -> str:
    names = []
    for code in codes:
        try:
            names.append(portfolio_api.Regulator(code).label)
        except ValueError:
            names.append(code)
    return " or ".join(names)


def evidence_kind_label(code: str) -> str:
    from portfolio.api import EVIDENCE_KIND_LABELS

    return EVIDENCE_KIND_LABELS.get(code, code)


def eligibility_sentence(rule, names: dict | None = None) -> str:
    """The rule as a sentence. NAMES: {credential type code: name}, to save a query each."""
    if rule.kind == EligibilityKind.HOLDS_CREDENTIAL:
        code = rule.credential_type_code
        name = names.get(code, code) if names is not None else credential_name(code)
        return f"You hold an active {name} credential."
    if rule.kind == EligibilityKind.REGISTERED:
        return f"You are registered with the {regulator_names(rule.regulator_codes)}."
    return "You work in an extended role and name the supervisor who oversees it."


def evidence_sentence(rule, unit="capability", units="capabilities") -> str:
    what = _range(rule.minimum, rule.maximum)
    if rule.kind == EvidenceRuleKind.PER_CAPABILITY:
        where = f"{unit} {rule.code}" if rule.code else f"each {unit}"
        return f"Evidence for {where}: {what}."
    if rule.kind == EvidenceRuleKind.PER_DOMAIN:
        where = f"domain {rule.code}" if rule.code else "each domain"
        return f"Evidence for {where}: {what}."
    if rule.kind == EvidenceRuleKind.TOTAL:
        return f"Evidence in all: {what}."
    if rule.kind == EvidenceRuleKind.REQUIRED_KIND:
        kind = evidence_kind_label(rule.evidence_kind)
        return f"At least {_items(rule.minimum or 1)} of this kind: {kind}."
    if rule.kind == EvidenceRuleKind.SUPERVISOR_REFERENCE:
        return "Your supervisor gives a structured reference (we ask them by email)."
    return "Every evidence item is confirmed by a third party."


def rules_for(application) -> list:
    """The evidence rules that apply: a first application's, or a renewal's."""
    wanted = AppliesTo.RENEWAL if application.is_renewal else AppliesTo.FIRST_AWARD
    return [r for r in application.pathway.evidence_rules.all() if r.applies_to == wanted]


def required_kinds(application) -> list[str]:
    if application.is_renewal:
        # Evidence since the last award, of any kind.
        return list(portfolio_api.EVIDENCE_KIND_LABELS)
    return [
        r.evidence_kind for r in rules_for(application) if r.kind == EvidenceRuleKind.REQUIRED_KIND
    ]


def eligibility_lines(application, *, profile) -> list[Line]:
    lines = []
    for rule in application.pathway.eligibility.all():
        text = eligibility_sentence(rule)
        if rule.kind == EligibilityKind.HOLDS_CREDENTIAL:
            lines.append(credential_line(application, rule, text))
        elif rule.kind == EligibilityKind.REGISTERED:
            met = bool(
                profile
                and profile.regulator in rule.regulator_codes
                and profile.registration_number
            )
            lines.append(
                Line(met, text, reverse("portfolio:profile_edit"), "Change your registration")
            )
        else:
            met = bool(application.extended_role.strip() and application.supervisor_name.strip())
            lines.append(
                Line(
                    met,
                    text,
                    reverse("accreditation:application_edit", args=[application.pk]),
                    "Describe your role and supervisor",
                )
            )
    return lines


def credential_line(application, rule, text) -> Line:
    """'You hold an active X credential': met by the credential itself or, where the rule
    accepts one, by a declared prior qualification (waiting for verification or verified).
    Otherwise the line offers the declaration and the next way to earn it (a sitting)."""
    from accreditation.models import QualificationStatus
    from accreditation.services.qualifications import declaration_for

    code = rule.credential_type_code
    if credentials_api.holds_valid_credential(application.applicant, code):
        return Line(True, text, reverse("credentials:my_credentials"), "See your credentials")
    routes = credentials_api.routes_to(code)
    more_url, more_text = (routes[0].url, routes[0].text) if routes else ("", "")
    if not rule.accepts_declaration:
        return Line(
            False,
            text,
            reverse("credentials:my_credentials"),
            "See your credentials",
            more_url,
            more_text,
        )
    text = f"{text.removesuffix('.')} or a qualification the pathway accepts instead."
    declare_url = reverse("accreditation:qualification", args=[application.pk, rule.pk])
    declaration = declaration_for(application.applicant, code)
    status = declaration.status if declaration else ""
    if status == QualificationStatus.VERIFIED:
        return Line(
            True,
            f"{text} The faculty verified your {declaration.qualification}.",
            declare_url,
            "See your declaration",
            keep_link=True,
        )
    if status == QualificationStatus.DECLARED:
        return Line(
            True,
            f"{text} You declared your {declaration.qualification}: the faculty verifies it "
            "before your portfolio goes to its assessors.",
            declare_url,
            "See your declaration",
            keep_link=True,
        )
    if status == QualificationStatus.NOT_ACCEPTED:
        text = (
            f"{text} The faculty could not accept your {declaration.qualification}: "
            f"{declaration.decision_note}"
        )
    else:
        text = f"{text} Passed it before the portal or hold an accepted equivalent? Declare it."
    return Line(False, text, declare_url, "Declare a qualification you hold", more_url, more_text)


def coverage_rules(application, *, source: str = "") -> "portfolio_api.CoverageRules":
    """APPLICATION's pathway rules as limits on its framework's capabilities and domains, for
    the coverage page and the checklist alike. A rule naming one code wins over a rule for
    each one; a code no rule names has no limit."""
    competencies: dict = {}
    domains: dict = {}
    each_competency = each_domain = total = (None, None)
    for rule in rules_for(application):
        limits = (rule.minimum, rule.maximum)
        if rule.kind == EvidenceRuleKind.PER_CAPABILITY:
            if rule.code:
                competencies[rule.code] = limits
            else:
                each_competency = limits
        elif rule.kind == EvidenceRuleKind.PER_DOMAIN:
            if rule.code:
                domains[rule.code] = limits
            else:
                each_domain = limits
        elif rule.kind == EvidenceRuleKind.TOTAL:
            total = limits
    return portfolio_api.CoverageRules(
        source=source or f"the rules of your application for {application.pathway.name}",
        competencies=competencies,
        domains=domains,
        each_competency=each_competency,
        each_domain=each_domain,
        total=total,
        since=application.renewal_of.valid_from if application.is_renewal else None,
    )


def _short(code, entry) -> str:
    """Why ENTRY (a capability's or a domain's coverage) is outside its rule, in words."""
    if entry.state == portfolio_api.CoverageState.OVER:
        return f"{code} has {_items(entry.total)}"
    confirmed = " confirmed" if entry.counted < entry.total else ""
    return f"{code} has {_items(entry.counted)}{confirmed}"


def evidence_lines(application, *, framework, outline, items) -> list[Line]:
    unit, units = (framework.unit_name, framework.unit_name_plural) if framework else ("", "")
    coverage_url = reverse("portfolio:coverage_framework", args=[framework.pk]) if framework else ""
    coverage = portfolio_api.framework_coverage(
        user=application.applicant,
        framework=framework,
        rules=coverage_rules(application),
    )
    capabilities = {c.competency.code: c for d in coverage.domains for c in d.competencies}
    domains = {d.domain.code: d for d in coverage.domains}
    outside = (portfolio_api.CoverageState.GAP, portfolio_api.CoverageState.OVER)
    lines = []
    for rule in rules_for(application):
        text = evidence_sentence(rule, unit, units)
        if rule.kind in (EvidenceRuleKind.PER_CAPABILITY, EvidenceRuleKind.PER_DOMAIN):
            table = capabilities if rule.kind == EvidenceRuleKind.PER_CAPABILITY else domains
            targets = [rule.code] if rule.code else list(table)
            short = [
                _short(code, table[code])
                for code in targets
                if table.get(code) and table[code].state in outside
            ]
            if rule.code and rule.code not in table:
                short = [f"{rule.code} is not in the framework"]
            if short:
                text = f"{text} Not yet: {'; '.join(short)}."
            lines.append(Line(not short, text, coverage_url, "See your coverage"))
        elif rule.kind == EvidenceRuleKind.TOTAL:
            met = coverage.state not in outside
            if not met:
                text = f"{text} You have {_items(coverage.total)}."
            lines.append(Line(met, text, coverage_url, "See your coverage"))
        elif rule.kind == EvidenceRuleKind.REQUIRED_KIND:
            n = sum(1 for item in items if item["kind"] == rule.evidence_kind)
            met = n >= (rule.minimum or 1)
            lines.append(Line(met, text, add_evidence_url(application), "Add evidence"))
        elif rule.kind == EvidenceRuleKind.SUPERVISOR_REFERENCE:
            lines.append(reference_line(application, text))
        else:
            unconfirmed = [item for item in items if not item["confirmed"]]
            met = not unconfirmed
            url = reverse("portfolio:evidence_list")
            if unconfirmed:
                text = f"{text} Not yet confirmed: {', '.join(i['title'] for i in unconfirmed[:5])}"
                text += " and others." if len(unconfirmed) > 5 else "."
                url = reverse("portfolio:evidence_detail", args=[unconfirmed[0]["id"]])
            lines.append(Line(met, text, url, "Ask for a confirmation"))
    return lines


def reference_line(application, text) -> Line:
    """Met once the named supervisor has given their reference through the portal."""
    from accreditation.models import ReferenceStatus
    from accreditation.services.references import LinkState, current_reference, link_state

    url = reverse("accreditation:reference", args=[application.pk])
    reference = current_reference(application)
    if reference is not None and reference.status == ReferenceStatus.GIVEN:
        return Line(
            True,
            f"{text} {reference.supervisor_name} gave it on {reference.given_at:%-d %B %Y}.",
            url,
            "See your reference",
            keep_link=True,
        )
    if reference is not None and reference.status == ReferenceStatus.REQUESTED:
        if link_state(reference) == LinkState.EXPIRED:
            return Line(
                False,
                f"{text} Not yet: the link we sent {reference.supervisor_name} expired on "
                f"{reference.expires_at:%-d %B %Y}.",
                url,
                "Ask your supervisor again",
            )
        return Line(
            False,
            f"{text} Not yet: we asked {reference.supervisor_name} on "
            f"{reference.requested_at:%-d %B %Y}; their link works until "
            f"{reference.expires_at:%-d %B %Y}.",
            url,
            "See the request or send a reminder",
        )
    return Line(False, f"{text} Not yet asked.", url, "Ask your supervisor for their reference")


def add_evidence_url(application) -> str:
    from accreditation.services.rounds import add_evidence_url as url

    return url(application)


@dataclass
class Checklist:
    lines: list[Line]
    framework: object
    outline: list
    items: list
    window: object

    @property
    def ready(self) -> bool:
        return all(line.met for line in self.lines)

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if not line.met]


def open_window(pathway, day=None):
    day = day or timezone.localdate()
    for window in pathway.windows.all():
        if window.opens <= day <= window.closes:
            return window
    return None


def checklist(application, *, day=None) -> Checklist:
    """Every rule of the application's pathway, judged now, with the window."""
    pathway = application.pathway
    profile = portfolio_api.profile_of(application.applicant)
    framework = portfolio_api.published_framework(pathway.framework_code)
    lines = []
    if profile is None:
        lines.append(
            Line(
                False,
                "You have made your clinician profile.",
                reverse("portfolio:profile_edit"),
                "Create your profile",
            )
        )
    lines += eligibility_lines(application, profile=profile)
    if framework is None:
        lines.append(Line(False, "The pathway's framework is published (ask the faculty office)."))
        outline, items = [], []
    else:
        outline = portfolio_api.framework_outline(framework)
        since = application.renewal_of.valid_from if application.is_renewal else None
        items = portfolio_api.evidence_for_framework(
            application.applicant, framework, kinds=required_kinds(application), since=since
        )
        lines += evidence_lines(application, framework=framework, outline=outline, items=items)
    window = open_window(pathway, day)
    if application.state == State.MORE_EVIDENCE:
        from accreditation.services.rounds import more_evidence_lines

        lines += more_evidence_lines(application, items, framework)
        deadline = application.more_evidence_deadline
        lines.append(
            Line(
                True,
                f"No window needed: resubmit by {deadline:%-d %B %Y}."
                if deadline
                else "No window needed.",
            )
        )
    elif application.is_renewal:
        from accreditation.services.renewals import renewal_line

        lines.insert(0, renewal_line(application, day))
        lines.append(Line(True, "Renewals can be submitted at any time, not only in a window."))
    elif window is None:
        upcoming = next_window(pathway, day)
        when = (
            f" The next opens on {upcoming.opens:%-d %B %Y}."
            if upcoming
            else " No window is planned yet."
        )
        lines.append(Line(False, "An application window is open." + when))
    else:
        lines.append(Line(True, f"An application window is open until {window.closes:%-d %B %Y}."))
    return Checklist(lines=lines, framework=framework, outline=outline, items=items, window=window)


def next_window(pathway, day=None):
    day = day or timezone.localdate()
    future = [w for w in pathway.windows.all() if w.opens > day]
    return min(future, key=lambda w: w.opens) if future else None
