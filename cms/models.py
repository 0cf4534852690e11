"""The public website's page types.

Every page has a meta description (its search description, or its summary when that is
empty), a canonical URL and breadcrumbs that follow the page tree (cms/templates and
CmsPage.get_context). Content a page shows is cached as template fragments (cms/caching.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import caching
from cms.blocks import BodyBlock, DocumentLinkBlock
from cms.documents import PortalDocument
from cms.moderation import SecondEditorApprovalTask
from portal.links import absolute_url

__all__ = [
    "ContactPage",
    "GuidancePage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "PortalDocument",
    "SecondEditorApprovalTask",
    "StandardPage",
]

SUMMARY_FEATURES = ["bold", "italic", "link"]
META_DESCRIPTION_LENGTH = 160
NEWS_PER_PAGE = 10
SEARCH_DESCRIPTION_HELP = (
    "One or two plain sentences for search engines and cards that link here. "
    "Left empty, the page's summary is used."
)


class CmsPage(Page):
    """What every public page shares: meta description, breadcrumbs, cached fragments."""

    summary_field = "summary"

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description", help_text=SEARCH_DESCRIPTION_HELP),
            ],
            heading="For search engines",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="For site menus"),
    ]

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        if self.search_description:
            return self.search_description
        summary = strip_tags(str(getattr(self, self.summary_field, "") or "")).strip()
        if summary:
            return Truncator(" ".join(summary.split())).chars(META_DESCRIPTION_LENGTH)
        return f"{self.title} – {settings.FACULTY_NAME}"

    def breadcrumbs(self, request=None) -> list[dict]:
        """The page's ancestors below the tree's root, as the NHS.UK breadcrumb shows them."""
        return [
            {"label": ancestor.title, "url": ancestor.get_url(request=request)}
            for ancestor in self.get_ancestors().filter(depth__gt=1)
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        crumbs = []
        if self.depth > 2:
            if getattr(request, "is_preview", False):
                crumbs = self.breadcrumbs(request)
            else:
                crumbs = caching.cached_value(
                    f"crumbs:{self.pk}", lambda: self.breadcrumbs(request)
                )
        context["breadcrumbs"] = crumbs
        context["meta_description"] = self.meta_description
        context["canonical_url"] = self.canonical_url(request)
        return context

    def get_sitemap_urls(self, request=None):
        return [
            {
                "location": self.canonical_url(request),
                "lastmod": self.last_published_at or self.latest_revision_created_at,
            }
        ]

    def canonical_url(self, request=None) -> str:
        """Always on PORTAL_BASE_URL, whatever Host the request came with."""
        url = self.get_url(request=request) or ""
        return absolute_url(url) if url.startswith("/") else url


class HomePage(CmsPage):
    """The public front door: what the portal is for, and where to start."""

    lede = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    summary_field = "lede"
    content_panels = [*Page.content_panels, FieldPanel("lede"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("lede"), index.SearchField("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    template = "cms/home_page.html"

    def sections(self):
        """The pages under home marked for menus: the cards that lead into the site."""
        return self.get_children().live().in_menu().public().order_by("path")

    def latest_news(self, count: int = 3):
        return NewsPage.objects.live().public().descendant_of(self).order_by("-date", "-pk")[:count]


class StandardPage(CmsPage):
    """Information pages built from blocks."""

    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    template = "cms/standard_page.html"

    def child_pages(self):
        """The pages under this one, listed after its body (a section's contents)."""
        return self.get_children().live().public().order_by("path")


class GuidancePage(CmsPage):
    """Guidance a clinician reads before applying: contents list, related documents, and
    when it was last reviewed and is next due for review. May be for members only."""

    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)
    related_documents = StreamField([("document", DocumentLinkBlock())], blank=True)
    last_reviewed = models.DateField(default=timezone.localdate)
    next_review = models.DateField(
        help_text="When this guidance must be checked again (within three years)."
    )
    members_only = models.BooleanField(
        default=False,
        help_text="Only signed-in members can read it. Takes effect when the page is published.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("related_documents"),
        FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")], heading="Review"),
        FieldPanel("members_only"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    template = "cms/guidance_page.html"

    def clean(self):
        super().clean()
        if self.last_reviewed and self.next_review:
            if self.next_review <= self.last_reviewed:
                raise ValidationError({"next_review": "The next review must be after the last."})
            if self.next_review > self.last_reviewed + datetime.timedelta(days=3 * 366):
                raise ValidationError(
                    {"next_review": "Review guidance at least every three years."}
                )

    def contents(self) -> list[dict]:
        """The body's headings, in order, as the contents list links to them."""
        return [
            {"label": block.value, "anchor": slugify(block.value)}
            for block in self.body
            if block.block_type == "heading" and slugify(block.value)
        ]


class NewsIndexPage(CmsPage):
    """News from the faculty, newest first."""

    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    subpage_types = ["cms.NewsPage"]
    template = "cms/news_index_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["news"] = Paginator(news, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class NewsPage(CmsPage):
    date = models.DateField("news date", default=timezone.localdate)
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "cms/news_page.html"


class ContactPage(CmsPage):
    """How to reach the faculty office."""

    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    opening_hours = models.CharField(max_length=120, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("telephone"),
                FieldPanel("opening_hours"),
                FieldPanel("address"),
            ],
            heading="Contact details",
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    subpage_types: list[str] = []
    template = "cms/contact_page.html"


# Pages showing live facts from accreditation and exams (kept apart: they import those apps).
from cms.fact_pages import ExamPage, PathwayPage  # noqa: E402

__all__ += ["ExamPage", "PathwayPage"]
