"""OSCE circuits marked on a tablet: stations (and rest stations), the candidates' rotation,
examiners allocated to stations, and one marksheet per candidate per station.

When the administrator closes the circuit, each submitted marksheet becomes the candidate's
station score and global grade (a Mark), which borderline regression then uses as it does for
imported scores.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from exams.models.exams import Component
from exams.models.results import Item
from exams.models.sittings import Booking, Sitting


class CircuitState(models.TextChoices):
    SETUP = "setup", "Being set up"
    RUNNING = "running", "Running: examiners are marking"
    CLOSED = "closed", "Closed: scores recorded"


class Circuit(models.Model):
    sitting = models.ForeignKey(Sitting, on_delete=models.PROTECT, related_name="circuits")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    state = models.CharField(
        max_length=10, choices=CircuitState.choices, default=CircuitState.SETUP
    )
    starts_at = models.DateTimeField()
    station_minutes = models.PositiveSmallIntegerField(default=10)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sitting", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "name"], name="exams_circuit_name_once"),
            models.CheckConstraint(
                condition=Q(station_minutes__gte=1) & Q(station_minutes__lte=60),
                name="exams_circuit_station_minutes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.sitting}"


class Station(models.Model):
    """A place in the circuit. A marked station has a checklist (each line with its top mark)
    and a global grade; a rest station has neither and nobody marks it."""

    circuit = models.ForeignKey(Circuit, on_delete=models.CASCADE, related_name="stations")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    is_rest = models.BooleanField(default=False)
    # [{"text": "Introduces themselves and gains consent", "max": 2}, ...]
    checklist = models.JSONField(default=list, blank=True)
    # The sitting's item for this station (made when the circuit starts; none for a rest).
    item = models.OneToOneField(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="station"
    )

    class Meta:
        ordering = ["circuit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "number"], name="exams_station_once"),
        ]

    def __str__(self) -> str:
        return f"Station {self.number}: {self.title}"

    @property
    def max_score(self) -> int:
        return sum(int(line.get("max", 0)) for line in self.checklist)


class CircuitCandidate(models.Model):
    """A candidate in the circuit, starting at station START (then rotating in order)."""

    circuit = models.ForeignKey(Circuit, on_delete=models.CASCADE, related_name="candidates")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["circuit", "start"]
        constraints = [
            models.UniqueConstraint(fields=["circuit", "booking"], name="exams_circuit_booking"),
            models.UniqueConstraint(fields=["circuit", "start"], name="exams_circuit_start_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} from station {self.start}"


class ExaminerAllocation(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="examiners")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="station_allocations"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["station", "examiner"], name="exams_examiner_once_per_station"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.examiner_id} at {self.station_id}"


class MarksheetState(models.TextChoices):
    DRAFT = "draft", "Being marked"
    SUBMITTED = "submitted", "Submitted"


class Marksheet(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="marksheets")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="marksheets")
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=MarksheetState.choices, default=MarksheetState.DRAFT
    )
    # One mark per checklist line (None: not marked yet), the global grade and a comment.
    scores = models.JSONField(default=list)
    global_grade = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=2000, blank=True)
    did_not_attend = models.BooleanField(default=False)
    # Each save names the revision it was made on: a retried or stale save changes nothing.
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["station", "booking"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "booking"], name="exams_marksheet_once_per_station"
            ),
        ]

    def __str__(self) -> str:
        return f"Marksheet {self.station_id}/{self.booking_id}"

    @property
    def total(self) -> int:
        return sum(int(score or 0) for score in self.scores)
