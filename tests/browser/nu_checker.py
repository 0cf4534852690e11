"""The Nu HTML Checker (vnu.jar, from npm's vnu-jar) run over saved pages, once for them all.

Installed by .ci/run (`npm install --prefix .cache/vnu vnu-jar`, never committed) and run with
Debian's Java runtime (default-jre-headless).
"""

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = (
    "Install it with: apt-get install default-jre-headless && "
    "npm install --prefix .cache/vnu vnu-jar"
)


def java() -> str | None:
    return shutil.which("java")


def missing() -> str:
    """What is missing to run the checker, or "" when it can run."""
    needs = (("java", java()), (str(VNU_JAR), VNU_JAR.is_file()))
    lacking = [what for what, there in needs if not there]
    if not lacking:
        return ""
    return f"The Nu HTML Checker cannot run: {', '.join(lacking)} missing. {INSTALL}"


def ready() -> bool:
    return not missing()


def check_files(files: list[Path]) -> list[dict]:
    """Every error vnu finds in FILES (warnings and info are left out), as its JSON messages."""
    if not files:
        return []
    completed = subprocess.run(  # noqa: S603 (our own command line, no shell)
        [java(), "-Xss2m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # vnu writes its report to stderr and exits 1 when it found errors.
    report = completed.stderr.strip() or completed.stdout.strip()
    try:
        messages = json.loads(report[report.index("{") :])["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(
            f"vnu did not report in JSON (exit {completed.returncode}):\n{report[:2000]}"
        ) from exc
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def describe(errors: list[dict], names: dict[str, str]) -> str:
    """The errors by page, each with its line and the markup around it."""
    lines = [f"{len(errors)} HTML error(s) from the Nu HTML Checker:"]
    for error in errors[:150]:
        url = error.get("url", "")
        page = names.get(url.rsplit("/", 1)[-1], url)
        lines.append(f"- {page}, line {error.get('lastLine', '?')}: {error.get('message', '')}")
        if error.get("extract"):
            lines.append(f"      {error['extract'].strip()[:200]}")
    if len(errors) > 150:
        lines.append(f"... and {len(errors) - 150} more")
    return "\n".join(lines)
