"""Render time and query count of the public CMS pages, without and with the fragment cache.

.venv/bin/python bench/cms_pages.py [--repeat 50] [--extra 50]

A throwaway SQLite database with the demo content, plus --extra news pages and home-page
sections (and, once the pathway and exam pages exist, --extra windows and sittings), so the
figures show what grows with content and what does not. "before" renders every fragment on
each request (CMS_FRAGMENT_CACHE_SECONDS=0); "after" is the normal, cached page.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _grow(extra: int) -> list[str]:
    """More content of every kind; returns the pages to time."""
    from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage

    home = HomePage.objects.get()
    news = NewsIndexPage.objects.get(slug="news")
    for i in range(extra):
        home.add_child(
            instance=StandardPage(title=f"Section {i}", slug=f"bench-section-{i}")
        ).save_revision().publish()
        news.add_child(
            instance=NewsPage(title=f"News {i}", slug=f"bench-news-{i}", date=datetime.date.today())
        ).save_revision().publish()
    pages = ["/", "/gpwer-in-msk/", "/news/"]
    try:
        from bench.cms_fact_pages import grow_fact_pages
    except ImportError:  # the pathway and exam pages are not built yet
        return pages
    return pages + grow_fact_pages(extra)


class _Counter:
    """A database execute wrapper that counts the queries it sees."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--extra", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-cms-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    pages = _grow(args.extra)
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{args.extra} extra pages, windows and sittings; {args.repeat} requests each\n")
    print(f"{'page':40} {'before ms':>10} {'queries':>8} {'after ms':>9} {'queries':>8}")
    for url in pages:
        row = []
        for seconds in (0, 600):
            with override_settings(CMS_FRAGMENT_CACHE_SECONDS=seconds):
                cache.clear()
                assert client.get(url).status_code == 200, url  # menu, site paths, fragments
                queries = _Counter()
                with connection.execute_wrapper(queries):
                    client.get(url)
                timings = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                row += [statistics.median(timings), queries.count]
        print(f"{url:40} {row[0]:10.1f} {row[1]:8d} {row[2]:9.1f} {row[3]:8d}")


if __name__ == "__main__":
    main()
