"""What editors meet: the accessibility checker, block rules, and previews kept private."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.images import get_image_model

from cms.blocks import ActionLinkBlock, CardBlock, ImageBlock
from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def test_the_editors_checks_panel_runs_the_accessibility_checker_with_wcag_rules(
    client, home, content_editor
):
    client.force_login(content_editor)
    page = StandardPage.objects.get(slug="examinations")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    match = re.search(
        r'<script id="accessibility-axe-configuration" type="application/json">(.*?)</script>',
        html,
        re.S,
    ) or re.search(r'id="[a-z-]*axe-configuration"[^>]*>(.*?)</script>', html, re.S)
    assert match, "no accessibility checker configuration in the page editor"
    run_only = json.loads(match.group(1))["options"]["runOnly"]
    assert {"image-alt", "heading-order", "link-name", "color-contrast"} <= set(run_only)


def test_live_pages_carry_the_checker_for_editors_only(client, home, content_editor):
    assert "wagtail-userbar" not in client.get("/examinations/").content.decode()
    client.force_login(content_editor)
    html = client.get("/examinations/").content.decode()
    assert "<wagtail-userbar>" in html
    assert "image-alt" in html  # our rules, in the userbar's checker configuration


def test_a_preview_of_a_draft_is_never_cached_for_the_public(client, home, content_editor):
    page = StandardPage.objects.get(slug="examinations")
    client.get("/examinations/")  # the public fragment is cached
    client.force_login(content_editor)
    page.body = [("paragraph", "<p>Unapproved preview words.</p>")]
    page.save_revision(user=content_editor)
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert "Unapproved preview words." in preview.content.decode()
    client.logout()
    assert "Unapproved preview words." not in client.get("/examinations/").content.decode()


def test_images_need_words_not_file_names(home):
    image = get_image_model().objects.get()
    image.title = "pillars.png"
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean({"image": image, "alt_text": "pillars.png", "caption": ""})
    with pytest.raises(ValidationError):
        block.clean({"image": image, "alt_text": "", "caption": ""})
    value = block.clean({"image": image, "alt_text": "Four coloured columns", "caption": ""})
    assert value["alt_text"] == "Four coloured columns"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "ftp://x.example/"])
def test_links_go_to_web_addresses_or_site_paths_only(url):
    with pytest.raises(ValidationError):
        ActionLinkBlock().clean({"text": "Go", "link_page": None, "link_url": url})


def test_an_action_link_needs_somewhere_to_go_and_a_card_only_one(home):
    with pytest.raises(StructBlockValidationError):
        ActionLinkBlock().clean({"text": "Go", "link_page": None, "link_url": ""})
    assert ActionLinkBlock().clean({"text": "Go", "link_page": None, "link_url": "/register/"})
    with pytest.raises(StructBlockValidationError):
        CardBlock().clean(
            {
                "heading": "Both",
                "description": "",
                "link_page": StandardPage.objects.first(),
                "link_url": "https://example.org/",
            }
        )
