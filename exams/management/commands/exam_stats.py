"""Item analysis of an exam's responses, printed as JSON (formats: docs/psychometrics.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from exams.psychometrics import PsychometricsInputError, analyse_items
from exams.psychometrics.io import read_key, read_responses


class Command(BaseCommand):
    help = (
        "Print facility, point-biserial, corrected item-total r and upper-lower D for each item, "
        "and the mean, SD, alpha, KR-20 and SEM of the totals, as JSON."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "responses",
            help="CSV with the header candidate,<item id>,...: one row per candidate, cells 0/1 "
            "(or option letters A-D, blank = wrong, with --key)",
        )
        parser.add_argument("--key", help="CSV with the header item,answer (answers A-D)")

    def handle(self, *args, **options):
        try:
            key = read_key(options["key"]) if options["key"] else None
            responses = read_responses(options["responses"], key=key)
            analysis = analyse_items(responses.scores, responses.item_ids)
        except PsychometricsInputError as error:
            raise CommandError(str(error), returncode=2) from error
        result = {
            "candidates": analysis.candidates,
            "items": [
                {
                    "id": item.id,
                    "facility": item.facility,
                    "point_biserial": item.point_biserial,
                    "corrected_item_total": item.corrected_item_total,
                    "upper_lower_d": item.upper_lower_d,
                }
                for item in analysis.items
            ],
            "mean": analysis.mean,
            "sd": analysis.sd,
            "alpha": analysis.alpha,
            "kr20": analysis.kr20,
            "sem": analysis.sem,
        }
        self.stdout.write(json.dumps(result, indent=2, allow_nan=False))
