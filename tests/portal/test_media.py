"""Images on public pages are served through the portal, and nothing else is."""

import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendition(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "green").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Knee examination",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="knee.png"),
    )
    return image.get_rendition("width-20")


def test_a_rendition_links_through_the_portal_and_is_served(client, rendition):
    assert rendition.url.startswith("/media/images/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/media/images/not-a-rendition.png",
        "/media/images/../evidence/1/secret",
        "/media/evidence/1/secret",
        "/media/original_images/knee.png",
    ],
)
def test_anything_else_under_media_is_not_found(client, rendition, path):
    assert client.get(path, follow=True).status_code == 404
