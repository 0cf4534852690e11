"""Image renditions for public pages, streamed from whichever storage holds them.

Only files that are a Wagtail image rendition are served here; evidence, certificates and
documents have their own views, which check who is asking."""

import mimetypes

from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

RENDITION_PREFIX = "images/"


@require_GET
def rendition(request, name: str):
    name = f"{RENDITION_PREFIX}{name}"
    renditions = get_image_model().get_rendition_model().objects
    if ".." in name or not renditions.filter(file=name).exists():
        raise Http404("No such image.")
    try:
        handle = storages["renditions"].open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("No such image.") from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404("No such image.")
    response = FileResponse(handle, content_type=content_type)
    # A rendition's name changes whenever its image or filter does.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
