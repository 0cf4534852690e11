"""What the apps above portal add to its shared pages, read from each app's public module.

Portal is the base layer: it never names another app's URLs, permissions or audit actions. Each
of the portal's own apps may declare in its `api.py`:

- DASHBOARD_CARDS: Cards, the links on the role dashboards (with a live note or list);
- FIRST_STEPS: FirstSteps, a step a dashboard puts first until it is done;
- NAVIGATION: NavLinks, the header's links;
- AUDIT_WORDS: {"app.action": "words"} for the audit trail;
- ROLE_PERMISSIONS: {Role: ("app_label.codename", ...)}, the permissions each role is given.

Portal collects them here, in INSTALLED_APPS order, beside its own. No app writes into portal's
dictionaries; an app that is not installed adds nothing.
"""

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings

# The superuser's dashboard, which is no role's.
ADMINISTRATION = "administration"


@dataclass(frozen=True)
class Card:
    """A link on DASHBOARD (a Role, or ADMINISTRATION) at ORDER (lowest first). URL is a URL
    name; NOTE(user) gives a few words shown on the card ("3 waiting"), LIST(user) a list shown
    under the cards: {"heading": str, "links": [{"text", "url", "note"}], "empty": str}."""

    dashboard: str
    order: int
    heading: str
    description: str
    url: str
    note: Callable[[object], str] | None = None
    list: Callable[[object], dict] | None = None


@dataclass(frozen=True)
class FirstStep:
    """What DASHBOARD offers first, on its own, while NEEDED(user): the card whose URL name is
    REPLACES is left off until then."""

    dashboard: str
    heading: str
    description: str
    url: str
    needed: Callable[[object], bool]
    replaces: str = ""


@dataclass(frozen=True)
class NavLink:
    """A link in the header at ORDER. SHOWN(user) says who sees it; None: everyone, signed in
    or not, beside the site's own pages; otherwise only signed-in people for whom it is true."""

    order: int
    label: str
    url: str
    shown: Callable[[object], bool] | None = None


def project_apps() -> list:
    """The portal's own apps (folders beside manage.py), in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base
    ]


@functools.cache
def api_modules() -> tuple[ModuleType, ...]:
    """Each of the portal's own apps' public module (`<app>/api.py`), where it has one."""
    modules = []
    for config in project_apps():
        name = f"{config.name}.api"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return tuple(modules)


def declared(name: str) -> list:
    """Every app's NAME (a sequence), one after another in INSTALLED_APPS order."""
    found = []
    for module in api_modules():
        found.extend(getattr(module, name, ()))
    return found


def declared_mappings(name: str) -> list[tuple[str, dict]]:
    """(app module, mapping) for every app that declares NAME as a mapping."""
    return [
        (module.__name__, getattr(module, name))
        for module in api_modules()
        if getattr(module, name, None)
    ]
