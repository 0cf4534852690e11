from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_editorial_setup(sender, **kwargs):
    from cms.moderation import ensure_editorial_setup

    ensure_editorial_setup()


def _page_published(sender, instance, **kwargs):
    from cms.moderation import sync_members_only

    sync_members_only(instance)


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from cms import caching

        caching.connect()
        # Privacy first (dispatch order follows connection order), so the restriction exists
        # by the time anything reacts to the publication.
        page_published.connect(_page_published, dispatch_uid="cms.members_only")
        post_migrate.connect(
            _ensure_editorial_setup, sender=self, dispatch_uid="cms.ensure_editorial_setup"
        )
