"""The header's site menu: the live pages under the site's home page marked "Show in menus".

Editors decide what is in the menu in the Wagtail admin (the page's Promote tab). The list is
cached for a few minutes and dropped whenever a page is published, unpublished, moved or
deleted, so a change shows at once.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal import generations

# Keyed by host (no database query on a hit) and by a generation that any change bumps.
CACHE_KEY = "portal:menu-pages:{generation}:{host}"
GENERATION_KEY = "portal:menu-pages:generation"
CACHE_SECONDS = 300


def menu_pages(request) -> list[tuple[str, str]]:
    """(title, url) of the site's menu pages, in the page tree's order."""
    key = CACHE_KEY.format(generation=generations.current(GENERATION_KEY), host=request.get_host())
    pages = cache.get(key)
    if pages is None:
        site = Site.find_for_request(request)
        pages = []
        if site is not None:
            pages = [
                (page.title, page.get_url(request=request))
                for page in site.root_page.get_children().live().in_menu().public().specific()
            ]
        cache.set(key, pages, CACHE_SECONDS)
    return pages


def forget_menu(**kwargs) -> None:
    generations.bump(GENERATION_KEY)


for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
    signal.connect(forget_menu, dispatch_uid=f"portal.navigation.{signal!r}")


@receiver(post_delete, dispatch_uid="portal.navigation.page_deleted")
def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        forget_menu()
