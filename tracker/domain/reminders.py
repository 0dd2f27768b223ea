"""The patient's reminders and private calendar address.

Reminders are how the patient wants to be told, not part of their record, and are not in the
audit trail. The calendar address hands the plan to whoever holds it: making one is recorded
as a disclosure, taking it back as a deletion."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction

from tracker.access import disclosed
from tracker.domain import audit
from tracker.models import AuditAction, CalendarFeed, Reminder, User

FEED_WHAT = "plan as a calendar address"


def save_reminder(*, by: User, is_on: bool, weekdays: int, at: dt.time) -> Reminder:
    """Keep `by`'s own reminder. Sent twice, the same values are kept once (one row a patient)."""
    reminder, _ = Reminder.objects.update_or_create(
        patient=by, defaults={"is_on": is_on, "weekdays": weekdays, "at": at}
    )
    return reminder


def stop_reminders(*, patient: User) -> bool:
    """Turn `patient`'s reminders off (the e-mail's stop link: nobody is signed in). Returns
    whether they were on."""
    return bool(Reminder.objects.filter(patient=patient, is_on=True).update(is_on=False))


def new_calendar_feed(*, by: User) -> CalendarFeed:
    """A new private calendar address for `by`'s plan; an old one stops working at once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed, _ = CalendarFeed.objects.update_or_create(patient=by, defaults={"token": token})
        disclosed(by, by, what=FEED_WHAT, action=AuditAction.EXPORT)
    return feed


def revoke_calendar_feed(*, by: User) -> bool:
    """Take `by`'s calendar address back: it answers 404 from now on. Returns whether there
    was one."""
    with transaction.atomic():
        deleted, _ = CalendarFeed.objects.filter(patient=by).delete()
        if deleted:
            audit.record(
                actor=by,
                patient=by,
                action=AuditAction.CHANGE,
                what=f"{audit.DELETED}calendar address",
            )
    return bool(deleted)
