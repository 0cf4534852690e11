from wagtail import blocks


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "openquote"
        template = "cms/blocks/inset_text.html"


class WarningCalloutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "cms/blocks/warning_callout.html"


class CardBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    description = blocks.TextBlock(required=False)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = blocks.URLBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/card.html"


class CardGroupBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(CardBlock(), **kwargs)

    class Meta:
        icon = "grip"
        template = "cms/blocks/card_group.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    inset_text = InsetTextBlock()
    warning_callout = WarningCalloutBlock()
    cards = CardGroupBlock()
