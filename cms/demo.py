"""Demo pages for the public website, written in our own words for the faculty's readers:
GPs, physiotherapists and other allied health professionals, sports and exercise
therapists, and commissioners. Covers every page type and the main menu. Safe to run twice.

The words are data, in cms/demo_content/: `pages.json` lists the pages in the order they are
made (which is the order of the menu), each under the page named by its `parent` slug, with its
fields and its blocks in Wagtail's own JSON form; `media.json` the documents and the picture the
pages use; `editorial.json` the second editor and the change waiting for them. This module only
reads them. Dates and fees are never typed into pages: a page made `one_per` published pathway
or exam takes its title, slug and summary from the live data, and its page shows the rest.
"""

import datetime
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection, Page, Site

from accreditation import api as accreditation_api
from cms.models import (
    ContactPage,
    ExamPage,
    GuidancePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PathwayPage,
    PortalDocument,
    StandardPage,
)
from cms.moderation import MEMBERS_COLLECTION, ensure_editorial_setup
from exams import api as exams_api

CONTENT = Path(__file__).resolve().parent / "demo_content"
PAGE_TYPES = {
    model.__name__: model
    for model in (
        ContactPage,
        ExamPage,
        GuidancePage,
        HomePage,
        NewsIndexPage,
        NewsPage,
        PathwayPage,
        StandardPage,
    )
}


def content(name: str) -> dict:
    """One of the data files in cms/demo_content/, by name without `.json` (read afresh each
    time, so that nothing made from it can change what the next run reads)."""
    return json.loads((CONTENT / f"{name}.json").read_text(encoding="utf-8"))


def _minimal_pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed_documents() -> dict[str, PortalDocument]:
    collections = {
        "root": Collection.get_first_root_node(),
        "members": Collection.objects.get(name=MEMBERS_COLLECTION),
    }
    found = {}
    for key, spec in content("media")["documents"].items():
        title = spec["title"]
        document = PortalDocument.objects.filter(title=title).first()
        if document is None:
            document = PortalDocument(title=title, collection=collections[spec["collection"]])
            document.file.save(spec["file_name"], ContentFile(_minimal_pdf(title)), save=False)
            document._set_document_file_metadata()
            document.save()
        found[key] = document
    return found


def _picture(spec: dict) -> bytes:
    """A plain diagram-like picture: one coloured column each, drawn so the demo needs no
    image files."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    picture = PILImage.new("RGB", (spec["width"], spec["height"]), "#ffffff")
    draw = ImageDraw.Draw(picture)
    for i, colour in enumerate(spec["columns"]):
        draw.rectangle((30 + i * 175, 60, 180 + i * 175, 300), fill=colour)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def seed_images() -> dict:
    from wagtail.images import get_image_model

    Image = get_image_model()
    found = {}
    for key, spec in content("media")["images"].items():
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            image = Image(
                title=spec["title"],
                collection=Collection.get_first_root_node(),
                width=spec["width"],
                height=spec["height"],
            )
            image.file.save(spec["file_name"], ContentFile(_picture(spec)), save=False)
            image._set_image_file_metadata()
            # The field's own update reads None here.
            image.width, image.height = spec["width"], spec["height"]
            image.save()
        found[key] = image
    return found


def _blocks(raw: list[dict], images: dict) -> list[tuple]:
    """Blocks as (type, value); an image block names its picture by its key in media.json."""
    made = []
    for block in raw:
        value = block["value"]
        if block["type"] == "image":
            value = {**value, "image": images[value["image"]]}
        made.append((block["type"], value))
    return made


def _fields(spec: dict, documents: dict, images: dict) -> dict:
    model = PAGE_TYPES[spec["type"]]
    fields = dict(spec["fields"])
    if "body" in spec:
        fields["body"] = _blocks(spec["body"], images)
    if "related_documents" in spec:
        fields["related_documents"] = [
            ("document", {"document": documents[key], "label": ""})
            for key in spec["related_documents"]
        ]
    if "date" in fields:
        fields["date"] = datetime.date.fromisoformat(fields["date"])
    if model is GuidancePage:  # guidance says when it was last reviewed, and when it will be
        today = timezone.localdate()
        fields.update(last_reviewed=today, next_review=today + datetime.timedelta(days=365))
    return fields


def _live_facts(one_per: str) -> list[dict]:
    """A page's facts for each published pathway or exam, from the live data."""
    if one_per == "published pathway":
        return [
            {
                "title": pathway.name,
                "slug": pathway.code,
                "pathway": pathway,
                "summary": f"<p>{pathway.summary}</p>" if pathway.summary else "",
            }
            for pathway in accreditation_api.published_pathways()
        ]
    if one_per == "published exam":
        return [
            {
                "title": exam.name,
                "slug": exam.code,
                "exam": exam,
                "summary": f"<p>{exam.description}</p>" if exam.description else "",
            }
            for exam in exams_api.published_exams()
        ]
    raise ValueError(f"pages.json: no live data called {one_per!r}")


def _add(parent, model, fields):
    page = model.objects.filter(slug=fields["slug"]).first()
    if page is None:
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def _home(root: Page, images: dict) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        spec = content("pages")["home"]
        home = HomePage(**spec["fields"], body=_blocks(spec["body"], images))
        # Wagtail's first migration makes a placeholder page with the slug we want.
        for placeholder in (
            root.get_children().filter(slug="home").exclude(content_type__model="homepage")
        ):
            placeholder.delete()
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="MSK portal",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    home.refresh_from_db()
    return home


def seed_pages() -> HomePage:
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    ensure_editorial_setup()  # the members' collection, for the documents
    documents = seed_documents()
    images = seed_images()
    home = _home(root, images)
    made = {"home": home}
    for spec in content("pages")["pages"]:
        model = PAGE_TYPES[spec["type"]]
        parent = made[spec["parent"]]
        if "one_per" not in spec:
            fields = _fields(spec, documents, images)
            made[fields["slug"]] = _add(parent, model, fields)
            continue
        for facts in _live_facts(spec["one_per"]):
            fields = _fields(spec, documents, images)
            # The words around the facts name the page by its title: "{title}".
            fields["search_description"] = fields["search_description"].format(**facts)
            _add(parent, model, {**fields, **facts})
    return home


def seed_editorial_demo() -> None:
    """A second content editor, and a change to a page waiting for their approval (submitted
    by the demo's editor), so the two-editor workflow can be tried. Safe to run twice."""
    from wagtail.models import WorkflowState

    from portal.demo import seed_user
    from portal.models import User
    from portal.roles import Role

    editorial = content("editorial")
    editor = editorial["second_editor"]
    seed_user(editor["email"], editor["first_name"], editor["last_name"], role=Role.CONTENT_EDITOR)
    author = User.objects.filter(email=editorial["author"]).first()
    change = editorial["change"]
    page = PAGE_TYPES[change["type"]].objects.filter(slug=change["page"]).first()
    if author is None or page is None:
        return
    if WorkflowState.objects.filter(object_id=str(page.pk)).exists():
        return
    page.summary = change["summary"]
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
