"""Pages that show live facts from other apps: a pathway's windows and rules, an exam's
sittings. Editors write the words around them; the facts are never retyped.

The facts come only through each app's public module (accreditation.api, exams.api). They are
cached under the same generation as the page fragments (cms/caching.py), which any save or
delete of a model in the app's PUBLIC_FACT_MODELS bumps, and under today's date, so a new
window or sitting, or a sitting filling up, shows at once without an editor touching the page.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from accreditation import api as accreditation_api
from cms import caching
from cms.blocks import BodyBlock
from cms.models import SUMMARY_FEATURES, CmsPage
from exams import api as exams_api


class PathwayPage(CmsPage):
    """A pathway's public page: windows, fee, eligibility and evidence rules from the
    accreditation data, and "Start your application" for signed-in clinicians."""

    pathway = models.ForeignKey(
        "accreditation.Pathway",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"published": True},
    )
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("pathway"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    template = "cms/pathway_page.html"

    def facts(self):
        return caching.cached_value(
            f"pathway:{self.pathway_id}",
            lambda: accreditation_api.pathway_facts(self.pathway),
        )


class ExamPage(CmsPage):
    """An exam's public page: its upcoming sittings with status, dates, fee and places left."""

    exam = models.ForeignKey(
        "exams.Exam",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"published": True},
    )
    summary = RichTextField(features=SUMMARY_FEATURES, blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("exam"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    template = "cms/exam_page.html"

    def sittings(self):
        return caching.cached_value(
            f"exam:{self.exam_id}", lambda: exams_api.upcoming_sittings(self.exam)
        )
