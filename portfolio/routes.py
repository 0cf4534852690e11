"""The routes a clinician can follow, and which route each profession starts on.

A route decides which competency frameworks a clinician is shown when mapping evidence: a GP
sees the GPwER capabilities, a physiotherapist the advanced practice framework. The route
starts from the profile's profession and the clinician can change it (a physiotherapist on the
first contact practitioner roadmap, say).
"""

from django.db import models


class Route(models.TextChoices):
    GPWER = "gpwer", "GP with Extended Role (GPwER) in MSK"
    ADVANCED_PRACTICE = "advanced_practice", "MSK advanced practice"
    FIRST_CONTACT = "first_contact", "First contact practitioner"
    SPORT_EXERCISE_THERAPY = "sport_exercise_therapy", "Sport and exercise therapist competence"


ROUTE_FOR_PROFESSION = {
    "gp": Route.GPWER,
    "physiotherapist": Route.ADVANCED_PRACTICE,
    "podiatrist": Route.ADVANCED_PRACTICE,
    "osteopath": Route.ADVANCED_PRACTICE,
    "nurse": Route.ADVANCED_PRACTICE,
    "sport_exercise_therapist": Route.SPORT_EXERCISE_THERAPY,
    "technical_instructor": Route.SPORT_EXERCISE_THERAPY,
}


def route_for_profession(profession: str) -> str:
    return ROUTE_FOR_PROFESSION.get(profession, "")
