"""What a patient chose to be sent: reminders of planned sessions and a calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Reminder(models.Model):
    """On the chosen weekdays, at the chosen time (the clinic's time zone), an e-mail if nothing
    is logged that day yet. `weekdays` holds Monday as 1, Tuesday as 2, ... Sunday as 64."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    weekdays = models.PositiveSmallIntegerField(default=0)
    at = models.TimeField("time")
    is_on = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekdays__lte=127), name="reminder_weekdays_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.patient}"


class CalendarFeed(models.Model):
    """A private iCalendar address of the patient's plan. Revoking deletes the row; a new
    address is a new token."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.patient}"
