"""Cached fragments of public pages, dropped whenever what they show changes.

One number, the generation, is part of every fragment's key. Publishing, unpublishing, moving
or deleting a page, changing its privacy, a document or image, or any fact model another app
lists in its PUBLIC_FACT_MODELS (pathway windows, exam sittings) bumps it, so every fragment
is rendered afresh on its next request; old entries simply expire. Today's date is part of
the key too, so "open now" and "next window" roll over at midnight without an edit.

Coarse on purpose: edits are rare, reads are many, and one number cannot go stale piecemeal.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal import generations

GENERATION_KEY = "cms:public-generation"


def generation() -> int:
    return generations.current(GENERATION_KEY)


def fragment_version() -> str:
    return f"{generation()}:{timezone.localdate().isoformat()}"


def fragment_seconds() -> int:
    return settings.CMS_FRAGMENT_CACHE_SECONDS


def cached_value(key: str, compute):
    """COMPUTE's result, kept under the current generation and date like the fragments."""
    seconds = fragment_seconds()
    if seconds <= 0:
        return compute()
    key = f"cms:value:{fragment_version()}:{key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def forget_public_pages(**kwargs) -> None:
    """Make every cached fragment stale (and the header menu with it)."""
    from portal.navigation import forget_menu

    generations.bump(GENERATION_KEY)
    forget_menu()


def _changed(sender, **kwargs):
    forget_public_pages()


def fact_models() -> list:
    """Models whose rows public pages show: each app's api.PUBLIC_FACT_MODELS, if it has one."""
    from importlib import import_module

    found = []
    for label in ("accreditation", "exams"):
        if not apps.is_installed(label):
            continue
        try:
            module = import_module(f"{label}.api")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "PUBLIC_FACT_MODELS", ()))
    return found


def connect() -> None:
    """Called once from CmsConfig.ready()."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_changed, dispatch_uid=f"cms.caching.{signal!r}")
    post_delete.connect(_page_deleted, dispatch_uid="cms.caching.page_deleted")
    watched = [PageViewRestriction, get_document_model(), get_image_model(), *fact_models()]
    for model in watched:
        uid = f"cms.caching.{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete")


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        forget_public_pages()
