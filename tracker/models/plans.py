"""Physician clearances, exercise plans with their prescriptions, and plan templates."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from tracker.models.catalogue import Activity
from tracker.models.once import SavedOnce

BORG_MIN, BORG_MAX = 6, 20
LONGEST_SESSION_MINUTES = 240
DEFAULT_PROGRESSION_PERCENT = 10
PSFS_INTERVALS = [(2, "2 weeks"), (4, "4 weeks"), (6, "6 weeks"), (8, "8 weeks")]


LETTER_SUFFIXES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def letter_path(clearance: Clearance, filename: str) -> str:
    # A random name, and the suffix of the type the content was found to be: neither the
    # patient's name nor anything the uploader typed reaches the disk.
    return f"clearances/{uuid.uuid4().hex}{LETTER_SUFFIXES.get(clearance.letter_content_type, '')}"


class ClearanceQuerySet(models.QuerySet):
    def current_on(self, day) -> ClearanceQuerySet:
        """Clearances in force on `day`: begun, not run out, and not yet replaced by a newer one."""
        return self.filter(cleared_on__lte=day, valid_until__gte=day).filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=day)
        )


class Clearance(SavedOnce):
    """A physician's sign-off that a patient may exercise, and within which limits."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances"
    )
    physician_name = models.CharField(max_length=120)
    physician_registration = models.CharField("registration number", max_length=40)
    cleared_on = models.DateField("date cleared")
    valid_until = models.DateField()
    activities = models.ManyToManyField(Activity, related_name="clearances")
    max_session_minutes = models.PositiveSmallIntegerField(
        "longest session (minutes)",
        validators=[MinValueValidator(5), MaxValueValidator(LONGEST_SESSION_MINUTES)],
    )
    max_heart_rate = models.PositiveSmallIntegerField(
        "highest heart rate (beats per minute)",
        null=True,
        blank=True,
        validators=[MinValueValidator(60), MaxValueValidator(220)],
    )
    high_impact_allowed = models.BooleanField(default=False)
    weight_bearing_allowed = models.BooleanField(default=True)
    restrictions = models.TextField("restrictions in words", blank=True)
    letter = models.FileField(upload_to=letter_path, blank=True)
    letter_content_type = models.CharField(max_length=40, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A newer clearance replaces this one from its own date; this one stays, marked superseded.
    superseded_on = models.DateField(null=True, blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ClearanceQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", "-pk"]
        indexes = [
            models.Index(fields=["patient", "valid_until"]),
            models.Index(fields=["valid_until", "id"], name="clearance_list_order"),  # admin
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("cleared_on")), name="clearance_valid_after_cleared"
            ),
            models.CheckConstraint(
                condition=Q(max_session_minutes__gte=5)
                & Q(max_session_minutes__lte=LONGEST_SESSION_MINUTES),
                name="clearance_session_range",
            ),
            models.CheckConstraint(
                condition=Q(max_heart_rate__isnull=True)
                | (Q(max_heart_rate__gte=60) & Q(max_heart_rate__lte=220)),
                name="clearance_heart_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Clearance by {self.physician_name}, {self.cleared_on} to {self.valid_until}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"


class Plan(SavedOnce):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    clearance = models.ForeignKey(Clearance, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    starts_on = models.DateField()
    notes = models.TextField("notes for the patient", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who last paused, resumed or completed the plan, when, and the reason the patient reads.
    status_reason = models.CharField("reason for the patient", max_length=300, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # How often the patient is asked the Patient-Specific Functional Scale again (models/psfs.py).
    psfs_every_weeks = models.PositiveSmallIntegerField(
        "ask the functional scale again every",
        choices=PSFS_INTERVALS,
        default=4,
        help_text="Weeks between the patient's ratings of the activities they find hard.",
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["patient", "status"]),
            models.Index(fields=["starts_on", "id"], name="plan_list_order"),  # the admin's list
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status="active"),
                name="one_active_plan_per_patient",
                violation_error_message="This patient already has an active plan.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PrescriptionFields(models.Model):
    """What is prescribed for one activity; shared by plans and templates."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    sessions_per_week = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(14)]
    )
    start_minutes = models.PositiveSmallIntegerField(
        "minutes per session at the start",
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_SESSION_MINUTES)],
    )
    max_minutes = models.PositiveSmallIntegerField(
        "most minutes per session",
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_SESSION_MINUTES)],
    )
    weekly_progression_percent = models.PositiveSmallIntegerField(
        "weekly growth (%)",
        default=DEFAULT_PROGRESSION_PERCENT,
        validators=[MaxValueValidator(25)],
        help_text="How much the minutes grow each week. 10% is the usual safe ceiling.",
    )
    note = models.CharField(
        "note for the patient",
        max_length=300,
        blank=True,
        help_text="Shown on the plan and the log form, such as a pace at which you can still talk.",
    )
    effort_min = models.PositiveSmallIntegerField(
        "lowest effort (Borg 6-20)",
        default=9,
        validators=[MinValueValidator(BORG_MIN), MaxValueValidator(BORG_MAX)],
    )
    effort_max = models.PositiveSmallIntegerField(
        "highest effort (Borg 6-20)",
        default=13,
        validators=[MinValueValidator(BORG_MIN), MaxValueValidator(BORG_MAX)],
    )

    class Meta:
        abstract = True

    @classmethod
    def range_constraints(cls, prefix: str) -> list[models.CheckConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1) & Q(sessions_per_week__lte=14),
                name=f"{prefix}_sessions_range",
            ),
            models.CheckConstraint(
                condition=Q(start_minutes__gte=1)
                & Q(max_minutes__gte=F("start_minutes"))
                & Q(max_minutes__lte=LONGEST_SESSION_MINUTES),
                name=f"{prefix}_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(weekly_progression_percent__lte=25), name=f"{prefix}_progression_range"
            ),
            models.CheckConstraint(
                condition=Q(effort_min__gte=BORG_MIN)
                & Q(effort_max__lte=BORG_MAX)
                & Q(effort_max__gte=F("effort_min")),
                name=f"{prefix}_effort_range",
            ),
        ]


class Prescription(PrescriptionFields):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prescriptions")
    # Set when a newer clearance no longer allows the activity: kept in the plan, not logged.
    suspended_on = models.DateField(null=True, blank=True, editable=False)
    suspended_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "activity"],
                name="one_prescription_per_activity",
                violation_error_message="This plan already prescribes that activity.",
            ),
            *PrescriptionFields.range_constraints("prescription"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.sessions_per_week} a week, {self.start_minutes} min"


class PlanTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("offered", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplatePrescription(PrescriptionFields):
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.CASCADE, related_name="prescriptions"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "activity"], name="one_template_prescription_per_activity"
            ),
            *PrescriptionFields.range_constraints("template_prescription"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.sessions_per_week} a week, {self.start_minutes} min"


class PlanHold(models.Model):
    """A physiotherapist holding a plan's progression by hand, from one day until resumed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="holds")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(ends_on__isnull=True), name="one_open_hold_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="hold_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Hold from {self.starts_on}"


class PlanChange(models.Model):
    """Something that changed in a plan and why, told to the patient and the care team: a
    newer clearance lowering or suspending prescriptions, a pause, a completion."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    made_at = models.DateTimeField(auto_now_add=True)
    # Empty when the app made the change itself (a newer clearance re-checked the plan).
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clearance = models.ForeignKey(
        Clearance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=list, blank=True)  # one plain sentence per change

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["plan", "made_at"])]

    def __str__(self) -> str:
        return self.summary
