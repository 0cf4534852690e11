from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_standard_exams(sender, **kwargs):
    from exams.standard_exams import ensure_standard_exams

    ensure_standard_exams()


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "Exams"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Dashboard cards, audit words and permissions are declared in exams/api.py.
        post_migrate.connect(
            _ensure_standard_exams, sender=self, dispatch_uid="exams_standard_exams"
        )
