"""The site search, sitemap.xml and robots.txt."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from portal.links import absolute_url
from portal.text import has_hidden_characters

QUERY_MAX_LENGTH = 100
RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Published public pages matching the words (PostgreSQL full text on PostgreSQL)."""
    query = " ".join(request.GET.get("q", "").split())
    error = ""
    results = None
    if len(query) > QUERY_MAX_LENGTH:
        error = f"Search for {QUERY_MAX_LENGTH} characters or fewer"
    elif has_hidden_characters(query):
        error = "Search for words and numbers only"
    elif query:
        pages = Page.objects.live().public().specific().search(query, operator="and")
        results = Paginator(pages, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "query_string": urlencode({"q": query}),
            "results": results,
            "error": error,
            "max_length": QUERY_MAX_LENGTH,
            "canonical_url": absolute_url("/search/"),
            "meta_description": "Search the faculty's guidance, pathways, exams and news.",
        },
        status=400 if error else 200,
    )


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    return render(
        request,
        "cms/robots.txt",
        {"sitemap_url": absolute_url("/sitemap.xml")},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def sitemap(request):
    return wagtail_sitemap(request)
