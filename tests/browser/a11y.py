"""axe-core in the browser: inject the vendored copy, run it, explain what failed."""

from pathlib import Path

AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the accessibility statement promises.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """
async (tags) => {
  // resultTypes only trims the passes and incomplete lists: every rule still runs.
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t),
      html: n.html,
      summary: n.failureSummary,
    })),
  }));
}
"""


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now. The context must bypass the CSP."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def describe_violations(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(node['target'])}")
            lines.append(f"       {node['html'][:300]}")
            if node["summary"]:
                for detail in node["summary"].splitlines():
                    lines.append(f"       | {detail}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, page.url)
