"""Standard setting from the command line, printed as JSON (formats: docs/psychometrics.md)."""

import json

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from exams.psychometrics import (
    PsychometricsInputError,
    borderline_exam,
    hofstee,
    modified_angoff,
)
from exams.psychometrics.io import (
    parse_count_argument,
    parse_number_argument,
    read_judgements,
    read_osce,
    read_percent_scores,
)


class Command(BaseCommand):
    help = "Set a pass mark by modified Angoff, Hofstee or borderline regression; prints JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        methods = parser.add_subparsers(dest="method", required=True, metavar="METHOD")

        angoff = methods.add_parser("angoff", help="modified Angoff from judges' probabilities")
        angoff.add_argument(
            "judgements", help="CSV with the header judge,<item id>,...; probabilities 0-1"
        )
        angoff.add_argument(
            "--trim",
            action="store_true",
            help="drop each item's highest and lowest judgement (needs 3 or more judges)",
        )

        hofstee_parser = methods.add_parser("hofstee", help="Hofstee compromise")
        hofstee_parser.add_argument("scores", help="CSV with one column, score (percent)")
        for option, text in (
            ("--min-cut", "lowest acceptable cut, percent"),
            ("--max-cut", "highest acceptable cut, percent"),
            ("--min-fail", "lowest acceptable fail rate, percent"),
            ("--max-fail", "highest acceptable fail rate, percent"),
        ):
            hofstee_parser.add_argument(option, required=True, help=text)

        borderline = methods.add_parser(
            "borderline-regression", help="borderline regression for an OSCE"
        )
        borderline.add_argument("scores", help="CSV with the header candidate,station,score,grade")
        borderline.add_argument(
            "--borderline-grade", required=True, help="the whole-number grade meaning borderline"
        )
        borderline.add_argument(
            "--sem-margin", default="1", help="K in cut = sum of pass marks + K x SEM (default 1)"
        )
        borderline.add_argument(
            "--min-stations", default="0", help="stations a candidate must pass (default 0)"
        )

    def handle(self, *args, **options):
        method = {
            "angoff": self._angoff,
            "hofstee": self._hofstee,
            "borderline-regression": self._borderline,
        }[options["method"]]
        try:
            result = method(options)
        except PsychometricsInputError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(json.dumps(result, indent=2, allow_nan=False))

    def _angoff(self, options):
        judgements = read_judgements(options["judgements"])
        angoff = modified_angoff(judgements.probabilities, trim=options["trim"])
        return {
            "cut_raw": angoff.cut_raw,
            "cut_percent": angoff.cut_percent,
            "item_standards": [
                {"id": item, "standard": standard}
                for item, standard in zip(judgements.item_ids, angoff.item_standards, strict=True)
            ],
        }

    def _hofstee(self, options):
        bounds = {
            name: parse_number_argument(f"--{name.replace('_', '-')}", options[name])
            for name in ("min_cut", "max_cut", "min_fail", "max_fail")
        }
        outcome = hofstee(read_percent_scores(options["scores"]), **bounds)
        return {
            "cut": outcome.cut,
            "method": outcome.method,
            "fail_percent": outcome.fail_percent,
        }

    def _borderline(self, options):
        grade = parse_count_argument("--borderline-grade", options["borderline_grade"])
        margin = parse_number_argument("--sem-margin", options["sem_margin"])
        min_stations = parse_count_argument("--min-stations", options["min_stations"])
        osce = read_osce(options["scores"])
        if not (osce.grades == grade).any():
            present = ", ".join(str(int(g)) for g in np.unique(osce.grades))
            raise PsychometricsInputError(
                f"{options['scores']}: no candidate has the borderline grade {grade} "
                f"(grades present: {present})"
            )
        exam = borderline_exam(
            osce.scores,
            osce.grades,
            candidate_ids=osce.candidate_ids,
            station_ids=osce.station_ids,
            borderline_grade=grade,
            sem_margin=margin,
            min_stations=min_stations,
        )
        return {
            "stations": [
                {
                    "id": s.id,
                    "intercept": s.intercept,
                    "slope": s.slope,
                    "r2": s.r2,
                    "pass_mark": s.pass_mark,
                    "borderline_group_mark": s.borderline_group_mark,
                }
                for s in exam.stations
            ],
            "alpha": exam.alpha,
            "sem": exam.sem,
            "cut": exam.cut,
            "candidates": [
                {
                    "id": c.id,
                    "total": c.total,
                    "stations_passed": c.stations_passed,
                    "pass": c.passed,
                }
                for c in exam.candidates
            ],
        }
