"""Portal's dashboards, navigation, audit words and roles are made from what each app declares in
its api.py; portal names no other app's URLs or permissions, and no app writes into portal."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import Resolver404, resolve, reverse

from portal import contributions
from portal.audit_words import ACTION_WORDS, action_words, describe_action
from portal.contributions import ADMINISTRATION, Card, FirstStep, NavLink, api_modules
from portal.roles import ROLE_PERMISSIONS, Role, role_permissions
from portal.views.dashboards import PORTAL_CARDS, dashboard_cards

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portfolio", "credentials", "accreditation", "exams", "cms")


def made_up_app(**declared):
    return SimpleNamespace(__name__="madeup.api", **declared)


@pytest.fixture
def with_app(monkeypatch):
    """Install a made-up app's api module beside the real ones."""

    def install(module):
        modules = (*api_modules(), module)
        monkeypatch.setattr(contributions, "api_modules", lambda: modules)

    return install


def test_the_apis_collected_are_the_portals_own_apps_only():
    names = [module.__name__ for module in api_modules()]
    assert names == ["portfolio.api", "credentials.api", "accreditation.api", "exams.api"]


def test_every_card_an_app_declares_is_on_its_dashboard_in_order():
    for module in api_modules():
        for card in getattr(module, "DASHBOARD_CARDS", ()):
            assert card in dashboard_cards(card.dashboard), (module.__name__, card.heading)
    for dashboard in (*Role, ADMINISTRATION):
        orders = [card.order for card in dashboard_cards(dashboard)]
        assert orders == sorted(orders)
        assert len(orders) == len(set(orders)), f"two cards share a place on {dashboard}"


def test_portal_declares_only_cards_for_its_own_pages():
    for card in PORTAL_CARDS:
        assert card.url.split(":")[0] not in APPS, card.heading
        reverse(card.url)


def test_a_card_an_app_declares_shows_with_its_note(client, applicant, with_app):
    with_app(
        made_up_app(
            DASHBOARD_CARDS=[
                Card(
                    Role.APPLICANT,
                    15,
                    "Made-up card",
                    "From an app.",
                    "privacy",
                    note=lambda user: f"{user.first_name}: 2 new",
                )
            ]
        )
    )
    client.force_login(applicant)
    html = client.get(reverse("role_dashboard", args=["applicant"])).text
    made_up = html.index("Made-up card")
    assert html.index("Your evidence") < made_up < html.index("Coverage")
    assert f'href="{reverse("privacy")}">Made-up card' in html
    assert f"{applicant.first_name}: 2 new" in html


def test_a_first_step_an_app_declares_comes_first_until_done(client, commissioner, with_app):
    done = []
    step = FirstStep(
        Role.COMMISSIONER,
        "Do the made-up thing",
        "Before anything else.",
        "privacy",
        needed=lambda user: not done,
        replaces="credentials:bulk_verify",
    )
    with_app(made_up_app(FIRST_STEPS=[step]))
    client.force_login(commissioner)
    url = reverse("role_dashboard", args=["commissioner"])
    html = client.get(url).text
    assert "Do the made-up thing" in html and "Before anything else." in html
    assert "Check a list of registration numbers" not in html  # the card it replaces waits
    done.append(True)
    html = client.get(url).text
    assert "Do the made-up thing" not in html
    assert "Check a list of registration numbers" in html


def test_navigation_links_come_from_the_apps(client, applicant, with_app):
    with_app(
        made_up_app(
            NAVIGATION=[
                NavLink(5, "Made-up public link", "privacy"),
                NavLink(15, "Made-up signed-in link", "accessibility", lambda user: True),
            ]
        )
    )
    html = client.get(reverse("privacy")).text
    assert "Made-up public link" in html and "Check the register" in html
    assert "Made-up signed-in link" not in html and "Your portfolio" not in html
    client.force_login(applicant)
    html = client.get(reverse("privacy")).text
    dashboard = html.index(">Dashboard<")
    assert dashboard < html.index("Made-up signed-in link") < html.index("Your portfolio")


def test_audit_words_are_each_apps_own():
    assert describe_action("credential.revoked") == "Credential revoked"
    assert describe_action("portfolio.exported") == "Portfolio downloaded"
    assert describe_action("exams.results_released") == "Exam results released"
    assert not [action for action in ACTION_WORDS if action.split(".")[0] in APPS]
    assert not [a for a in ACTION_WORDS if a.startswith(("credential.", "watchlist."))]


def test_an_action_worded_twice_is_refused(with_app):
    with_app(made_up_app(AUDIT_WORDS={"credential.revoked": "Something else"}))
    with pytest.raises(ValueError, match="credential.revoked"):
        action_words.__wrapped__()


def test_each_app_gives_roles_its_own_permissions():
    granted = role_permissions()
    for module in api_modules():
        for role, permissions in getattr(module, "ROLE_PERMISSIONS", {}).items():
            app = module.__name__.split(".")[0]
            assert all(dotted.startswith(f"{app}.") for dotted in permissions), app
            assert set(permissions) <= set(granted[role])
    own = {dotted.split(".")[0] for dotted in sum(ROLE_PERMISSIONS.values(), ())}
    assert not own & set(APPS)


@pytest.mark.django_db
def test_the_roles_groups_hold_every_declared_permission():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.FACULTY_STAFF.label)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == set(role_permissions()[Role.FACULTY_STAFF])
    assert "exams.change_sitting" in held and "portfolio.add_framework" in held


def test_no_app_writes_into_portal_when_it_starts():
    """Every app's AppConfig.ready() leaves portal alone: they declare in their api.py."""
    for app in APPS:
        tree = ast.parse((ROOT / app / "apps.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                imports = [
                    n.module
                    for n in ast.walk(node)
                    if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("portal")
                ]
                assert imports == [], f"{app}/apps.py ready() imports {imports}"


# -- links: reverse(), never a typed path --------------------------------------------------------

_PATH = re.compile(r"/[\w./-]*")


def _names_a_view(path: str) -> str:
    """The URL name PATH would reach, if it is one of the site's named views."""
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return ""
    return "" if match.url_name in (None, "wagtail_serve") else match.view_name


def _python_literals(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts or path.name in ("settings.py", "test_settings.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            literal = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if literal and _PATH.fullmatch(node.value):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


@pytest.mark.parametrize("app", ["portal", "credentials"])
def test_python_links_go_through_reverse(app):
    typed = [
        f"{where} {value!r} is {name}"
        for where, value in _python_literals(app)
        if (name := _names_a_view(value))
    ]
    assert typed == []


@pytest.mark.parametrize("folder", ["portal", "credentials"])
def test_templates_link_with_the_url_tag(folder):
    typed = []
    for path in sorted((ROOT / "templates" / folder).rglob("*.html")):
        for value in re.findall(r'(?:href|action|src)="(/[^"{]*)"', path.read_text()):
            if name := _names_a_view(value):
                typed.append(f"{path.relative_to(ROOT)} {value!r} is {name}")
    assert typed == []


def test_the_links_check_catches_a_typed_path():
    assert _names_a_view("/portfolio/") == "portfolio:evidence_list"
    assert _names_a_view("/register/?q=x") == "credentials:register"
    assert _names_a_view("/") == ""  # the site's home page, a Wagtail page
