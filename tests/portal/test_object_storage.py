"""Files on S3-compatible object storage (moto's server on loopback stands in for it)."""

import socket

import boto3
import pytest
from botocore.config import Config
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from portfolio.models import EvidenceFile, EvidenceItem
from tests.portfolio import documents

pytestmark = pytest.mark.django_db

BUCKET = "msk-portal-test"
ADD_URL = "/portfolio/evidence/add/"
KEYS = {"access_key": "testing", "secret_key": "testing"}
FAST_FAIL = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield endpoint
    server.stop()


def s3_storages(endpoint: str) -> dict:
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-west-2",
                "default_acl": "private",
                "file_overwrite": False,
                "addressing_style": "path",
                "client_config": FAST_FAIL,
                **KEYS,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def bucket_keys(endpoint: str) -> list[str]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.fixture
def owner_client(client, applicant, settings):
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    client.force_login(applicant)
    return client


def evidence_form(**files) -> dict:
    return {
        "kind": "case_review",
        "date_day": "3",
        "date_month": "2",
        "date_year": "2026",
        "title": "Complex knee case",
        "reflection": "I learned to examine more carefully.",
        **files,
    }


def test_evidence_files_are_stored_in_the_bucket_and_served_back(
    owner_client, settings, s3_endpoint
):
    settings.STORAGES = s3_storages(s3_endpoint)
    pdf = documents.pdf()
    before = set(bucket_keys(s3_endpoint))
    response = owner_client.post(
        ADD_URL,
        evidence_form(files=[SimpleUploadedFile("knee.pdf", pdf, "application/pdf")]),
    )
    assert response.status_code == 302, response.text[:2000]
    evidence_file = EvidenceFile.objects.get()
    assert set(bucket_keys(s3_endpoint)) - before == {evidence_file.file.name}
    download = owner_client.get(f"/portfolio/files/{evidence_file.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf


def test_readyz_checks_the_bucket(client, settings, s3_endpoint):
    settings.STORAGES = s3_storages(s3_endpoint)
    before = set(bucket_keys(s3_endpoint))
    response = client.get("/readyz")
    assert response.json()["checks"]["storage"] == "ok"
    assert set(bucket_keys(s3_endpoint)) == before


def test_storage_unreachable_during_an_upload_saves_nothing_and_says_so(owner_client, settings):
    settings.STORAGES = s3_storages(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    response = owner_client.post(
        ADD_URL,
        evidence_form(files=[SimpleUploadedFile("knee.pdf", documents.pdf(), "application/pdf")]),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Your files could not be stored just now, so nothing was saved" in response.text
    assert EvidenceItem.objects.count() == 0
    assert EvidenceFile.objects.count() == 0


def test_readyz_is_503_when_the_bucket_is_unreachable(client, settings):
    settings.STORAGES = s3_storages(f"http://127.0.0.1:{free_port()}")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "unavailable"
