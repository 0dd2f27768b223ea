"""Each patient's place in triage, kept so that a caseload of any size is sorted by an index.

Every patient has a row from the moment the account is made (a stale one, to be worked out).
A row is what `tracker.domain.attention` worked out for the patient on `as_of`. A write that
can change it (a session, an alert, a plan or a prescription) clears `as_of` and bumps
`version`; the next caseload, or the daily checks, works the row out again. A refresh that
read the patient before such a write does not overwrite the cleared row (it checks `version`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Attention(models.Model):
    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="attention",
    )
    as_of = models.DateField(null=True, help_text="The day it was worked out for; empty: stale.")
    version = models.PositiveIntegerField(default=0)
    tier = models.PositiveSmallIntegerField(default=0)
    rank = models.PositiveSmallIntegerField(default=0)
    danger_open = models.PositiveIntegerField(default=0)
    pain_open = models.PositiveIntegerField(default=0)
    beyond_open = models.PositiveIntegerField(default=0)
    alerts_open = models.PositiveIntegerField(default=0)
    oldest_alert = models.DateTimeField(null=True)
    last_log = models.DateField(null=True)
    done_two_weeks = models.PositiveIntegerField(default=0)
    planned_per_week = models.PositiveIntegerField(default=0)
    plan_paused = models.BooleanField(default=False)
    behind = models.BooleanField(default=False)  # under the adherence target, two weeks
    silent = models.BooleanField(default=False)  # no session for SILENCE_DAYS days
    kept_up = models.PositiveSmallIntegerField(default=0)  # percent of planned sessions done

    class Meta:
        verbose_name_plural = "attention"
        indexes = [
            models.Index(
                fields=["rank", "oldest_alert", "kept_up", "last_log"],
                name="attention_triage_order",
            ),
            models.Index(fields=["as_of"], name="attention_as_of"),
        ]

    def __str__(self) -> str:
        return f"Attention of patient {self.patient_id} as of {self.as_of}"
