from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from cms import caching

register = template.Library()


@register.simple_tag
def document_link(document, label=""):
    """A link to a document with its type and size: "Title (PDF, 120 KB)"."""
    if document is None:
        return ""
    size = f", {filesizeformat(document.file_size)}" if document.file_size else ""
    return format_html(
        '<a href="{}">{}</a> <span class="nhsuk-u-secondary-text-colour">({}{})</span>',
        document.url,
        label or document.title,
        document.kind_name,
        size,
    )


class PublicCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        seconds = caching.fragment_seconds()
        # Previews show unpublished drafts: never cache them, never serve them from the cache.
        if request is None or getattr(request, "is_preview", False) or seconds <= 0:
            return self.nodelist.render(context)
        vary = [caching.fragment_version(), *(var.resolve(context) for var in self.vary_on)]
        key = make_template_fragment_key(f"cms:{self.name}", vary)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, seconds)
        return html


@register.tag("publiccache")
def do_publiccache(parser, token):
    """{% publiccache "name" var ... %}...{% endpubliccache %}: a fragment of a public page,
    kept until anything published (or any fact it shows) changes, or the day turns."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("publiccache needs a fragment name.")
    nodelist = parser.parse(("endpubliccache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return PublicCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
