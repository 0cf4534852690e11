"""Demo data for `make demo`: accounts, pages, frameworks, a portfolio, credentials and a
watch list. Safe to run twice.

It lives in cms, the app at the top of the dependency chain, so it may call every app's
own demo module.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accreditation.demo import seed_demo_applications
from cms.demo import seed_editorial_demo, seed_pages
from credentials.demo import seed_demo_credentials
from exams.demo import BOARD_EMAIL, seed_demo_delivery, seed_demo_exams
from portal.demo import DEMO_PASSWORD, seed_accounts
from portal.models import User
from portal.roles import ensure_roles
from portfolio.demo import seed_demo_portfolio, seed_frameworks


class Command(BaseCommand):
    help = "Create the demo accounts (one per role), pages, frameworks, portfolio and credentials."

    @transaction.atomic
    def handle(self, *args, **options):
        seed_accounts(stdout=self.stdout)
        seed_pages()
        ensure_roles()  # page permissions need the home page's tree
        seed_editorial_demo()  # a second editor, and a change waiting for their approval
        seed_frameworks()
        applicant = User.objects.get(email="applicant@demo.msk-portal.example")
        seed_demo_portfolio(applicant)
        seed_demo_credentials(
            applicant=applicant,
            commissioner=User.objects.get(email="commissioner@demo.msk-portal.example"),
            administrator=User.objects.get(email="exams@demo.msk-portal.example"),
        )
        seed_demo_applications(
            applicant=applicant,
            assessor=User.objects.get(email="assessor@demo.msk-portal.example"),
            lead=User.objects.get(email="lead.assessor@demo.msk-portal.example"),
            administrator=User.objects.get(email="exams@demo.msk-portal.example"),
        )
        seed_demo_exams(
            applicant=applicant,
            administrator=User.objects.get(email="exams@demo.msk-portal.example"),
        )
        seed_demo_delivery(
            applicant=applicant,
            administrator=User.objects.get(email="exams@demo.msk-portal.example"),
            board=User.objects.get(email=BOARD_EMAIL),
            candidates=list(
                User.objects.filter(email__endswith="@candidates.demo.msk-portal.example")
                .select_related("clinician")
                .order_by("email")
            ),
            examiner=User.objects.get(email="examiner@demo.msk-portal.example"),
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready. Password for every account: {DEMO_PASSWORD}")
        )
