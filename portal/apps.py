from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _ensure_cache_table(sender, using="default", **kwargs):
    # With the database cache (the demo's), the apps' post-migrate steps write to the cache:
    # make its table first, so that `manage.py migrate` works on a fresh database by itself.
    # A no-op for any other cache, and for a table that exists.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _ensure_roles(sender, **kwargs):
    from portal.roles import ensure_roles

    ensure_roles()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal import signals  # noqa: F401

        # Once per migrate: post_migrate is sent after every migration has run, and
        # ensure_roles makes any permission auth has not made yet, so the order in which the
        # apps' own post_migrate handlers run does not matter.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="portal_ensure_roles")
        pre_migrate.connect(
            _ensure_cache_table, sender=self, dispatch_uid="portal_ensure_cache_table"
        )
