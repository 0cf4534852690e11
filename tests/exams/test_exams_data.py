"""The four exams exist as data, with their components, eligibility rules and awards."""

from exams.models import ComponentKind, Exam


def test_the_faculty_exams_are_seeded_with_their_components(db):
    exams = {exam.code: exam for exam in Exam.objects.prefetch_related("components")}
    assert list(exams) == [
        "diploma-msk-medicine",
        "diploma-exercise-medicine",
        "mfsem-part-1",
        "mfsem-part-2",
    ]
    part1 = exams["mfsem-part-1"]
    papers = [(c.name, c.kind, c.item_count, c.options) for c in part1.components.all()]
    assert papers == [("Paper 1", "sba", 100, 4), ("Paper 2", "sba", 100, 4)]
    osce = exams["mfsem-part-2"].components.get()
    assert (osce.kind, osce.item_count) == (ComponentKind.OSCE, 12)
    assert exams["mfsem-part-2"].prerequisite_exam == part1
    assert exams["mfsem-part-2"].prerequisite_within_years == 7
    assert all(exam.max_attempts == 6 for exam in exams.values())
    assert exams["diploma-msk-medicine"].awards_id == "diploma_msk_medicine"
    assert exams["diploma-exercise-medicine"].awards_id == "diploma_exercise_medicine"
    assert exams["mfsem-part-2"].awards_id == "mfsem"
    assert part1.awards_id is None
    assert "physiotherapist" not in part1.allowed_professions
