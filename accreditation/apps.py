from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    """Pathways, applications, review, decisions and appeals: the process that ends in an award.

    Awards go through credentials.api; this app never imports exams (nor exams this one).
    """

    name = "accreditation"
    verbose_name = "Accreditation"
    default_auto_field = "django.db.models.BigAutoField"
