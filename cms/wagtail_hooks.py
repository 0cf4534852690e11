"""Wagtail admin settings of ours: the accessibility checker's rules."""

from wagtail import hooks
from wagtail.admin.userbar import ContentCheckerItem


class PortalContentChecker(ContentCheckerItem):
    """Wagtail's built-in checker (the editor's "Checks" panel and the userbar on live pages),
    with the WCAG rules an editor's content can break added to Wagtail's own."""

    axe_run_only = [
        *ContentCheckerItem.axe_run_only,
        "image-alt",
        "link-in-text-block",
        "list",
        "listitem",
        "duplicate-id-aria",
        "th-has-data-cells",
        "td-headers-attr",
        "table-duplicate-name",
        "color-contrast",
    ]


@hooks.register("construct_wagtail_userbar")
def use_portal_content_checker(request, items, page):
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, PortalContentChecker):
            items[index] = PortalContentChecker(in_editor=item.in_editor)
