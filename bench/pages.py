"""Render time of the main pages through the Django test client on a throwaway SQLite database.

.venv/bin/python bench/pages.py [--repeat 50]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from portal.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client(HTTP_HOST="127.0.0.1")
    pages = ["/", "/gpwer-in-msk/", "/accounts/login/"]
    signed_in = ["/dashboard/applicant/", "/account/"]
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8}")
    for url in pages + signed_in:
        if url in signed_in:
            client.force_login(User.objects.get(email="applicant@demo.msk-portal.example"))
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{url:32} {statistics.median(timings):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
