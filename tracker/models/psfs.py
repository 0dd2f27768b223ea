"""The Patient-Specific Functional Scale: up to five activities a patient finds hard, in their
own words, each rated 0 (cannot do it) to 10 (as before the problem), asked again as often as
the plan says (Plan.psfs_every_weeks)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from tracker.models.once import SavedOnce

PSFS_MOST_ACTIVITIES = 5
PSFS_SCORE_MAX = 10


class PsfsActivity(models.Model):
    """One activity the patient named, such as "climbing the stairs to the flat"."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="psfs_activities"
    )
    name = models.CharField("activity", max_length=120)
    position = models.PositiveSmallIntegerField()
    named_on = models.DateField()
    # An activity the patient no longer wants rated keeps its history.
    dropped_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["patient", "position"])]

    def __str__(self) -> str:
        return self.name


class PsfsRound(SavedOnce):
    """One sitting: the patient rated their activities on this date."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="psfs_rounds"
    )
    rated_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rated_on", "pk"]
        indexes = [models.Index(fields=["patient", "rated_on"])]

    def __str__(self) -> str:
        return f"Functional scale of {self.patient} on {self.rated_on}"


class PsfsScore(models.Model):
    round = models.ForeignKey(PsfsRound, on_delete=models.CASCADE, related_name="scores")
    activity = models.ForeignKey(PsfsActivity, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(PSFS_SCORE_MAX)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "activity"], name="psfs_one_score_each"),
            models.CheckConstraint(condition=Q(score__lte=PSFS_SCORE_MAX), name="psfs_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.score}"
