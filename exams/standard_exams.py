"""The faculty's four exams, made if missing after every migrate (data, not code).

Administrators change them in the Django admin; an existing exam is never changed here, only a
missing one made, so that a flushed test database gets them back as it gets the roles back.
"""

DOCTORS_AND_AHPS = ["gp", "physiotherapist", "podiatrist", "osteopath", "nurse", "other"]

STANDARD_EXAMS = [
    {
        "code": "diploma-msk-medicine",
        "name": "Diploma in MSK Medicine",
        "description": "An online single-best-answer exam; a pass makes you a Diplomate Member.",
        "order": 1,
        "awards": "diploma_msk_medicine",
        "allowed_professions": DOCTORS_AND_AHPS,
        "components": [("paper", "Paper", "sba", 100, 4, 1)],
    },
    {
        "code": "diploma-exercise-medicine",
        "name": "Diploma in Exercise Medicine",
        "description": "An online single-best-answer exam in exercise medicine.",
        "order": 2,
        "awards": "diploma_exercise_medicine",
        "allowed_professions": DOCTORS_AND_AHPS,
        "components": [("paper", "Paper", "sba", 100, 4, 1)],
    },
    {
        "code": "mfsem-part-1",
        "name": "MFSEM Part 1",
        "description": "Two papers of 100 single-best-answer questions with four options.",
        "order": 3,
        "awards": None,
        "allowed_professions": ["gp", "other"],
        "components": [
            ("paper-1", "Paper 1", "sba", 100, 4, 1),
            ("paper-2", "Paper 2", "sba", 100, 4, 1),
        ],
    },
    {
        "code": "mfsem-part-2",
        "name": "MFSEM Part 2",
        "description": "A 12-station OSCE, to be passed within 7 years of passing Part 1.",
        "order": 4,
        "awards": "mfsem",
        "allowed_professions": ["gp", "other"],
        "prerequisite_exam": "mfsem-part-1",
        "prerequisite_within_years": 7,
        "medal_name": "Macleod Medal",
        "components": [("osce", "OSCE", "osce", 12, 0, 20)],
    },
]


def ensure_standard_exams() -> int:
    """Create any standard exam that is missing (with its components); returns how many."""
    from credentials.api import credential_types
    from exams.models import Component, Exam

    existing = set(Exam.objects.values_list("code", flat=True))
    known_types = set(credential_types().values_list("code", flat=True))
    made = 0
    for spec in STANDARD_EXAMS:
        if spec["code"] in existing:
            continue
        prerequisite = spec.get("prerequisite_exam")
        exam = Exam.objects.create(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            order=spec["order"],
            awards_id=spec["awards"] if spec["awards"] in known_types else None,
            allowed_professions=spec["allowed_professions"],
            prerequisite_exam=Exam.objects.filter(code=prerequisite).first()
            if prerequisite
            else None,
            prerequisite_within_years=spec.get("prerequisite_within_years"),
            medal_name=spec.get("medal_name", ""),
        )
        for order, (code, name, kind, count, options, max_score) in enumerate(spec["components"]):
            Component.objects.create(
                exam=exam,
                code=code,
                name=name,
                kind=kind,
                order=order,
                item_count=count,
                options=options or 4,
                max_score=max_score,
            )
        made += 1
    return made
