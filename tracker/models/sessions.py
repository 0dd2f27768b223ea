"""What patients report: exercise sessions, symptoms, danger signs; and the alerts they raise."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When

from tracker.models.catalogue import Activity
from tracker.models.once import SavedOnce
from tracker.models.plans import BORG_MAX, BORG_MIN, Plan

LONGEST_LOGGED_MINUTES = 300
LONGEST_DISTANCE_M = 100_000
HEART_RATE_MIN, HEART_RATE_MAX = 30, 250


class DistanceUnit(models.TextChoices):
    METRES = "m", "m"
    KILOMETRES = "km", "km"
    MILES = "mi", "miles"


METRES_PER_MILE = 1609.344


class Symptom(models.TextChoices):
    BALANCE = "balance", "Problems with balance or walking"
    FACIAL_WEAKNESS = "facial_weakness", "Weakness in the face"
    SPEECH_MEMORY = "speech_memory", "Trouble speaking or remembering"
    HANDS_FEET = "hands_feet", "Tingling or weakness in the hands or feet"
    COORDINATION = "coordination", "Loss of coordination"
    NUMBNESS = "numbness", "Numbness or tingling in the arms or legs"
    LOSING_MOVEMENT = "losing_movement", "Slowly losing movement"
    WORSENING_WEAKNESS = "worsening_weakness", "Weakness that is getting worse"
    TIRING_EASILY = "tiring_easily", "Tiring easily"


class DangerSign(models.TextChoices):
    ALERTNESS = "alertness", "Feeling confused, less alert, or having fainted"
    SLURRED_SPEECH = "slurred_speech", "Slurred speech"
    PARALYSIS = "paralysis", "Cannot move part or all of the body (paralysis)"
    VISION = "vision", "Eye pain with blurred vision, or sudden loss of sight"
    SEVERE_HEADACHE = "severe_headache", "A severe headache"


class Source(models.TextChoices):
    TYPED = "typed", "Typed in"
    IMPORTED = "imported", "Imported"


class SessionLogQuerySet(models.QuerySet):
    def current(self) -> SessionLogQuerySet:
        """Sessions that still count: deleted ones are kept only for the record of changes."""
        return self.filter(deleted_at__isnull=True)


class SessionLog(SavedOnce):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sessions")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_LOGGED_MINUTES)]
    )
    distance_m = models.PositiveIntegerField(
        "distance (metres)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(LONGEST_DISTANCE_M)],
    )
    # The unit the patient typed the distance in, so it is shown back the same way.
    distance_unit = models.CharField(
        max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.METRES
    )
    average_heart_rate = models.PositiveSmallIntegerField(
        "average heart rate (beats per minute)",
        null=True,
        blank=True,
        validators=[MinValueValidator(HEART_RATE_MIN), MaxValueValidator(HEART_RATE_MAX)],
    )
    highest_heart_rate = models.PositiveSmallIntegerField(
        "highest heart rate (beats per minute)",
        null=True,
        blank=True,
        validators=[MinValueValidator(HEART_RATE_MIN), MaxValueValidator(HEART_RATE_MAX)],
    )
    effort = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(BORG_MIN), MaxValueValidator(BORG_MAX)]
    )
    pain_before = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    pain_after = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    # The next-morning check of the pain model: how the pain was the morning after.
    pain_next_morning = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    pain_next_morning_at = models.DateTimeField(null=True, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.TYPED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = SessionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [
            models.Index(fields=["patient", "date"]),
            models.Index(fields=["plan", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=LONGEST_LOGGED_MINUTES),
                name="session_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(effort__gte=BORG_MIN) & Q(effort__lte=BORG_MAX),
                name="session_effort_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_before__lte=10) & Q(pain_after__lte=10), name="session_pain_range"
            ),
            models.CheckConstraint(
                condition=Q(distance_m__isnull=True) | Q(distance_m__lte=LONGEST_DISTANCE_M),
                name="session_distance_range",
            ),
            models.CheckConstraint(
                condition=Q(distance_unit__in=DistanceUnit.values), name="session_distance_unit"
            ),
            models.CheckConstraint(
                condition=(
                    Q(average_heart_rate__isnull=True)
                    | Q(average_heart_rate__gte=HEART_RATE_MIN)
                    & Q(average_heart_rate__lte=HEART_RATE_MAX)
                )
                & (
                    Q(highest_heart_rate__isnull=True)
                    | Q(highest_heart_rate__gte=HEART_RATE_MIN)
                    & Q(highest_heart_rate__lte=HEART_RATE_MAX)
                ),
                name="session_heart_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_next_morning__isnull=True) | Q(pain_next_morning__lte=10),
                name="session_next_morning_pain_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}, {self.minutes} min on {self.date}"

    @property
    def symptom_labels(self) -> list[str]:
        return [Symptom(code).label for code in self.symptoms if code in Symptom.values]


class SessionRevision(models.Model):
    """What a session looked like before someone changed or deleted it."""

    class Action(models.TextChoices):
        EDITED = "edited", "Edited"
        DELETED = "deleted", "Deleted"

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="revisions")
    action = models.CharField(max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.get_action_display()} by {self.changed_by} at {self.changed_at:%Y-%m-%d %H:%M}"
        )


class ReportedSymptom(models.Model):
    """One symptom on one session: kept apart so 'is this new for the patient?' is one query."""

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=30, choices=Symptom.choices)

    class Meta:
        indexes = [models.Index(fields=["patient", "code"])]
        constraints = [
            models.UniqueConstraint(fields=["session", "code"], name="one_symptom_per_session"),
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class DangerReport(SavedOnce):
    """Danger signs a patient reported, with a session or on their own."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="danger_reports"
    )
    session = models.OneToOneField(
        SessionLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="danger_report"
    )
    signs = models.JSONField()
    notes = models.TextField(blank=True, max_length=2000)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"Danger signs reported at {self.reported_at:%Y-%m-%d %H:%M}"

    @property
    def sign_labels(self) -> list[str]:
        return [DangerSign(code).label for code in self.signs if code in DangerSign.values]


class AlertKind(models.TextChoices):
    # Listed most urgent first: the triage order.
    DANGER_SIGN = "danger_sign", "Danger sign"
    PAIN = "pain", "Pain"
    OVER_CLEARANCE = "over_clearance", "Beyond the clearance"
    EFFORT = "effort", "Effort above range"
    NEW_SYMPTOM = "new_symptom", "New symptom"
    ADHERENCE = "adherence", "Adherence under target"
    SILENCE = "silence", "No recent log"
    CLEARANCE = "clearance", "Clearance expiring"


class AlertQuerySet(models.QuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)


# The queue's first key: danger signs before every other kind. One expression for the order
# and for the index that serves it, so the database matches the two.
DANGER_FIRST = Case(
    When(kind=AlertKind.DANGER_SIGN, then=Value(0)), default=Value(1), output_field=IntegerField()
)
OPEN = Q(acknowledged_at__isnull=True)


class Alert(models.Model):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    message = models.CharField(max_length=300)
    session = models.ForeignKey(
        SessionLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts"
    )
    danger_report = models.ForeignKey(
        DangerReport, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = models.TextField(blank=True, max_length=2000)
    # A danger alert still open after DANGER_ESCALATION_MINUTES goes to the admins too.
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Names the fact a scheduled check found ("silence", "adherence:<plan>:<week>"), so the
    # database itself keeps that fact to one open alert. Empty for alerts raised by a session.
    dedupe_key = models.CharField(max_length=80, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "acknowledged_at"]),
            models.Index(fields=["kind", "acknowledged_at"]),
            # the open ones only: the queue's order, and its counts by patient and kind
            models.Index(
                DANGER_FIRST, F("opened_at"), F("id"), condition=OPEN, name="open_alert_queue"
            ),
            models.Index(fields=["patient", "kind"], condition=OPEN, name="open_alert_kinds"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values), name="alert_kind_valid"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="alert_acknowledged_by_someone",
            ),
            models.UniqueConstraint(
                fields=["patient", "kind", "dedupe_key"],
                condition=Q(acknowledged_at__isnull=True) & ~Q(dedupe_key=""),
                name="one_open_alert_per_dedupe_key",
                violation_error_message="This alert is already open.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
