"""StreamField blocks, each rendered as an NHS.UK frontend component.

Editors choose from these and nothing else: no raw HTML, no inline style. Images must have
alternative text; links must have words.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "document-link"]
TEXT_FEATURES = [*INLINE_FEATURES, "ul", "ol"]


def _one_link(value, page_field="link_page", url_field="link_url", *, required=False):
    """A block links to a page or to a web address, never both (and, if REQUIRED, one)."""
    page, url = value.get(page_field), value.get(url_field)
    if page and url:
        message = "Choose a page or give a web address, not both."
        raise blocks.StructBlockValidationError(
            block_errors={url_field: ErrorList([ValidationError(message)])}
        )
    if required and not (page or url):
        message = "Choose a page or give a web address."
        raise blocks.StructBlockValidationError(
            block_errors={page_field: ErrorList([ValidationError(message)])}
        )


def _site_or_web_address(value: str) -> None:
    if value and not (
        value.startswith(("https://", "http://", "mailto:"))
        or (value.startswith("/") and not value.startswith("//"))
    ):
        raise ValidationError(
            "Enter a web address starting https://, or a path on this site starting /."
        )


class LinkURLBlock(blocks.CharBlock):
    """A web address, or a path on this site such as /register/ (no javascript: links)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("label", "Web address")
        super().__init__(validators=[_site_or_web_address], **kwargs)


class HeadingBlock(blocks.CharBlock):
    """A section heading (h2). Guidance pages list these in their contents list."""

    def __init__(self, **kwargs):
        super().__init__(max_length=120, form_classname="title", **kwargs)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=INLINE_FEATURES)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/inset_text.html"


class WarningCalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "cms/blocks/warning_callout.html"


class DetailsBlock(blocks.StructBlock):
    """Extra detail most readers can skip, behind a summary they open (NHS.UK details)."""

    summary = blocks.CharBlock(max_length=120, help_text="What the hidden text is about.")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "cms/blocks/details.html"


class CardBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock(required=False)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = LinkURLBlock()

    def clean(self, value):
        value = super().clean(value)
        _one_link(value)
        return value

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/card.html"


class CardGroupBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(CardBlock(), **kwargs)

    class Meta:
        icon = "grip"
        template = "cms/blocks/card_group.html"


class ActionLinkBlock(blocks.StructBlock):
    """The one thing to do next, e.g. "Start your application" (NHS.UK action link)."""

    text = blocks.CharBlock(max_length=80)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = LinkURLBlock()

    def clean(self, value):
        value = super().clean(value)
        _one_link(value, required=True)
        return value

    class Meta:
        icon = "arrow-right"
        template = "cms/blocks/action_link.html"


class ImageBlock(blocks.StructBlock):
    """An image with the words a screen reader says for it (required) and a caption."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for someone who cannot see it.",
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    def clean(self, value):
        value = super().clean(value)
        alt = (value.get("alt_text") or "").strip()
        image = value.get("image")
        filename_like = image is not None and alt.lower() in {
            (image.title or "").lower(),
            (getattr(image, "filename", "") or "").lower(),
        }
        if alt.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")) or (
            filename_like and "." in alt
        ):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ErrorList(
                        [ValidationError("Describe the image in words, not its file name.")]
                    )
                }
            )
        return value

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a document, with its type and size so readers know what they will get."""

    document = DocumentChooserBlock()
    label = blocks.CharBlock(
        max_length=120, required=False, help_text="Leave empty to use the document's title."
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "cms/blocks/document_link.html"


class TableBlock(blocks.StructBlock):
    """A table with a caption that says what it shows (NHS.UK table)."""

    caption = blocks.CharBlock(max_length=150)
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(required=False)),
            ("number", blocks.DecimalBlock(required=False)),
            ("date", blocks.DateBlock(required=False)),
            ("rich_text", blocks.RichTextBlock(features=INLINE_FEATURES, required=False)),
        ]
    )

    class Meta:
        icon = "table"
        template = "cms/blocks/table.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["h3", "h4", *TEXT_FEATURES])
    inset_text = InsetTextBlock()
    warning_callout = WarningCalloutBlock()
    details = DetailsBlock()
    cards = CardGroupBlock()
    action_link = ActionLinkBlock()
    image = ImageBlock()
    document_link = DocumentLinkBlock()
    table = TableBlock()
