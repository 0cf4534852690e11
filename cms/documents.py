"""The faculty's published documents: PDF, Word, Excel and CSV only, checked like evidence.

Every new file goes through portfolio's checks (portfolio.api.inspect_document) when the
document is validated, which both of Wagtail's upload forms (one file, many files) do before
saving. Documents are served only by Wagtail's serve view (WAGTAILDOCS_SERVE_METHOD), which
applies the collection's privacy: a members-only document is never a plain media URL.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.models import AbstractDocument, Document

from portfolio.api import UploadRefused, inspect_document

# What readers are told next to a link, by file extension.
KIND_NAMES = {"pdf": "PDF", "docx": "Word document", "xlsx": "Excel spreadsheet", "csv": "CSV"}


class PortalDocument(AbstractDocument):
    admin_form_fields = Document.admin_form_fields

    def clean(self):
        super().clean()  # WAGTAILDOCS_EXTENSIONS first: a clear message for a wrong type
        upload = getattr(self.file, "file", None)  # a saved file reads back as a plain File
        if isinstance(upload, UploadedFile):
            try:
                inspect_document(upload)
            except UploadRefused as refused:
                raise ValidationError({"file": str(refused)}) from None

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.file_extension.lower(), self.file_extension.upper())

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
