"""Demo data for `make demo`: accounts, pages, frameworks and a portfolio. Safe to run twice.

It lives in cms, the app at the top of the dependency chain, so it may call every app's
own demo module.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms.demo import seed_pages
from portal.demo import DEMO_PASSWORD, seed_accounts
from portal.models import User
from portal.roles import ensure_roles
from portfolio.demo import seed_demo_portfolio, seed_frameworks


class Command(BaseCommand):
    help = "Create the demo accounts (one per role), pages, frameworks and portfolio."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_accounts(stdout=self.stdout)
        seed_pages()
        ensure_roles()  # page permissions need the home page's tree
        seed_frameworks()
        seed_demo_portfolio(User.objects.get(email="applicant@demo.msk-portal.example"))
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Password for every account: {DEMO_PASSWORD}")
        )
