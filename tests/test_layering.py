"""The apps depend on each other in one direction only, through each app's public module.

    cms → {exams, accreditation} → credentials → portfolio → portal

- An app imports only from apps below it (exams and accreditation never import each other).
- From another app it imports only that app's public door, `<app>/api.py`; `portal` is the
  shared base, so any of its modules may be used.
- The one exception: the demo seed (`cms/management/commands/seed_demo.py`) calls each app's
  `demo` module, which is for the demo only.

Imports are read with `ast` from every module of every app, migrations and function-level
imports included, so the layering holds without anyone watching.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYER = {"portal": 0, "portfolio": 1, "credentials": 2, "exams": 3, "accreditation": 3, "cms": 4}
APPS = tuple(LAYER)
SHARED = {"portal"}  # any module of these may be imported by apps above them
PUBLIC_MODULE = "api"
DEMO_SEED = Path("cms/management/commands/seed_demo.py")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # "from credentials import api" names the module credentials.api.
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def violations_in(path: Path) -> list[str]:
    relative = path.relative_to(ROOT)
    importer = relative.parts[0]
    problems = []
    for line, module in imported_modules(path):
        parts = module.split(".")
        target = parts[0]
        if target not in LAYER or target == importer:
            continue
        where = f"{relative}:{line} imports {module}"
        if LAYER[target] >= LAYER[importer]:
            problems.append(f"{where}: {importer} may not depend on {target}")
            continue
        if target in SHARED:
            continue
        door = parts[1] if len(parts) > 1 else ""
        if door == PUBLIC_MODULE:
            continue
        if relative == DEMO_SEED and door == "demo":
            continue
        problems.append(f"{where}: use {target}.{PUBLIC_MODULE} instead")
    return problems


def app_modules():
    for app in APPS:
        yield from sorted((ROOT / app).rglob("*.py"))


def test_every_app_is_checked():
    assert {path.relative_to(ROOT).parts[0] for path in app_modules()} == set(APPS)


def test_apps_import_only_downwards_and_only_through_public_modules():
    problems = [problem for path in app_modules() for problem in violations_in(path)]
    assert problems == []


@pytest.mark.parametrize(
    ("app", "source", "complaint"),
    [
        ("exams", "import accreditation.api", "exams may not depend on accreditation"),
        ("accreditation", "from exams import api", "accreditation may not depend on exams"),
        ("credentials", "from accreditation.api import x", "may not depend on accreditation"),
        ("portfolio", "from credentials import api", "portfolio may not depend on credentials"),
        ("portal", "import portfolio.models", "portal may not depend on portfolio"),
        ("exams", "from credentials.models import Credential", "use credentials.api instead"),
        ("credentials", "from portfolio.forms import x", "use portfolio.api instead"),
        ("cms", "from exams.models import Exam", "use exams.api instead"),
    ],
)
def test_the_check_catches_each_kind_of_wrong_import(tmp_path, monkeypatch, app, source, complaint):
    module = tmp_path / app / "somewhere.py"
    module.parent.mkdir()
    module.write_text(source + "\n")
    monkeypatch.setattr("tests.test_layering.ROOT", tmp_path)
    [problem] = violations_in(module)
    assert complaint in problem


def test_allowed_imports_pass(tmp_path, monkeypatch):
    module = tmp_path / "exams" / "somewhere.py"
    module.parent.mkdir()
    module.write_text(
        "from credentials import api\nfrom credentials.api import Source\n"
        "from portal.audit import record\nimport portfolio.api\nfrom exams.models import X\n"
    )
    monkeypatch.setattr("tests.test_layering.ROOT", tmp_path)
    assert violations_in(module) == []
