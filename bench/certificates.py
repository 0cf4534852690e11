"""Signed PDF certificates in bulk, on a throwaway SQLite database.

Issues COUNT credentials, then makes every certificate in ONE run of the background task
(credentials.tasks.generate_certificates; the immediate backend runs it inline): render,
PAdES signature, file write, audit row. In the same process it times BARE renders of the same
HTML by WeasyPrint with its defaults (a new default URL fetcher and font configuration each
time, the same stylesheet linked as a file: URL; the fetcher is held to that one file).
Target: a signed certificate costs no more than a bare, unsigned default render (ratio <= 1.0).
It also prints the like-for-like ratio, against a bare render with the same caching as ours
(one font configuration, the stylesheet parsed once), which is the price of signing and storing.

    .venv/bin/python bench/certificates.py [--count 1000] [--bare 50]

Wall-clock and CPU times are both printed: on a shared machine the CPU figures are steadier.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.0


def one_file_fetcher_class():
    from weasyprint.urls import URLFetcher

    class OneFileFetcher(URLFetcher):
        """The default fetcher (same construction cost) that fetches one named URL only."""

        def __init__(self, allowed: str):
            super().__init__()
            self.allowed = allowed

        def fetch(self, url, headers=None):
            if url != self.allowed:
                raise ValueError(f"Refused {url[:100]!r}: the benchmark loads one stylesheet.")
            return super().fetch(url, headers)

    return OneFileFetcher


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = (time.perf_counter() - self.wall) * 1000
        self.cpu = (time.process_time() - self.cpu) * 1000


def issue(count: int) -> list[int]:
    from credentials.services.credentials import issue_credential
    from portal.models import User

    holders = [
        User.objects.create_user(
            f"holder{n}@example.org",
            "bench-password-123",
            first_name="Holder",
            last_name=f"Number {n}",
        )
        for n in range(max(count // 10, 1))
    ]
    ids = []
    for n in range(count):
        credential = issue_credential(
            holder=holders[n % len(holders)],
            kind="gpwer_msk",
            title="GP with Extended Role in MSK",
            scope="Community-based MSK assessment, injection therapy and triage; "
            "referral to secondary care where indicated.",
            conditions="Annual audit of injection outcomes." if n % 3 == 0 else "",
            source_type="bench.certificates",
            source_id=n,
            valid_from=date(2026, 1, 1),
            valid_until=date(2029, 12, 31),
        )
        ids.append(credential.pk)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000, help="credentials to certify")
    parser.add_argument("--bare", type=int, default=50, help="bare WeasyPrint renders to time")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.test_settings"
    os.environ["PORTAL_VAR_DIR"] = str(tmp / "var")  # a demo issuer key of its own
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp / "media"
    settings.DEBUG = False  # as in production: the stylesheet is parsed once
    call_command("migrate", verbosity=0)

    import weasyprint

    OneFileFetcher = one_file_fetcher_class()  # noqa: N806 - a class

    from credentials.certificates import render
    from credentials.models import Credential
    from credentials.tasks import generate_certificates

    with Timer() as issuing:
        ids = issue(args.count)

    with Timer() as run:
        result = generate_certificates.enqueue(credential_ids=ids)
    assert result.return_value == args.count, result.return_value
    sizes = [c.certificate.size for c in Credential.objects.filter(pk__in=ids[:20])]

    sample = Credential.objects.get(pk=ids[0])
    html = render.certificate_html(sample)
    # The same document and stylesheet, the stylesheet linked the default way (a file: URL).
    css_uri = (ROOT / "static" / render.STYLESHEET).as_uri()
    bare_html = html.replace("</head>", f'<link rel="stylesheet" href="{css_uri}"></head>', 1)

    def bare_render():
        # WeasyPrint's default fetcher, built afresh as the default is (handlers, SSL context),
        # but held to the one stylesheet: no HTML is ever rendered with an open fetcher.
        fetcher = OneFileFetcher(css_uri)
        weasyprint.HTML(string=bare_html, url_fetcher=fetcher).write_pdf()

    bare_render()  # import-time work out of the timing
    with Timer() as bare:
        for _ in range(args.bare):
            bare_render()

    # Like for like: a bare render with the caching ours has (one font configuration, the
    # stylesheet parsed once, nothing fetched), so the ratio shows the price of signing and
    # storing alone.
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    parsed = weasyprint.CSS(filename=str(ROOT / "static" / render.STYLESHEET), font_config=fonts)

    def cached_bare_render():
        document = weasyprint.HTML(string=html, url_fetcher=OneFileFetcher("about:none"))
        document.render(stylesheets=[parsed], font_config=fonts).write_pdf()

    cached_bare_render()
    with Timer() as cached_bare:
        for _ in range(args.bare):
            cached_bare_render()

    # Where the time goes, on the same sample: our render alone, the signature alone.
    from credentials.certificates.signing import sign_pdf

    pdf = render.html_to_pdf(html)
    with Timer() as ours_render:
        for _ in range(args.bare):
            render.html_to_pdf(html)
    with Timer() as ours_sign:
        for _ in range(args.bare):
            sign_pdf(pdf)

    n, b = args.count, args.bare
    size_kib = sum(sizes) // len(sizes) // 1024
    print(f"{n} credentials issued in {issuing.wall / 1000:.1f} s; certificates ~{size_kib} KiB")
    rows = [
        ("one task run, per certificate (render+sign+store)", run, n),
        ("  of which render (shared fetcher + fonts)", ours_render, b),
        ("  of which PAdES signature (keys loaded once)", ours_sign, b),
        ("bare default WeasyPrint render, unsigned", bare, b),
        ("bare render with the same caching, unsigned", cached_bare, b),
    ]
    print(f"{'':50} {'wall ms':>9} {'cpu ms':>8}")
    for label, timer, times in rows:
        print(f"{label:50} {timer.wall / times:9.1f} {timer.cpu / times:8.1f}")
    ratio_wall = (run.wall / n) / (bare.wall / b)
    ratio_cpu = (run.cpu / n) / (bare.cpu / b)
    print(f"ratio signed certificate / bare render: {ratio_wall:.2f}x wall, {ratio_cpu:.2f}x cpu")
    print(f"target <= {TARGET_RATIO:.1f}x: {'met' if ratio_cpu <= TARGET_RATIO else 'NOT MET'}")
    like_wall = (run.wall / n) / (cached_bare.wall / b)
    like_cpu = (run.cpu / n) / (cached_bare.cpu / b)
    print(
        f"like for like (same caching), signed certificate / bare render: {like_wall:.2f}x wall, "
        f"{like_cpu:.2f}x cpu: the price of signing and storing"
    )
    print(f"the whole task run took {run.wall / 1000:.1f} s for {n} certificates")


if __name__ == "__main__":
    main()
