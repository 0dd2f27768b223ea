"""The scheduled work. Cron runs `manage.py tick` every five minutes; `tick` enqueues what is
due for the worker (`manage.py db_worker`) to run, each piece at most once per slot: a row in
`ScheduledRun`, unique on (name, slot), is written in the same transaction as the task, so a
second tick, or a second machine's, starts nothing twice. A tick that comes late (the machine
was down at the hour) still starts the day's work, once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from tracker.domain.checks import run_checks
from tracker.domain.imports import discard_stale_files
from tracker.models import ScheduledRun
from tracker.notifications.tasks import queue

T = TypeVar("T")
MONDAY = 0
REMINDER_MINUTES = 5  # cron's interval: one reminders run per five minutes at most


def released_on_failure(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A scheduled task (given its slot first) that fails gives its slot back, so that the
    next tick starts it again instead of the day going without it; each such task is safe to
    run twice (no alert, no e-mail is made twice). The failure itself is the worker's to log."""

    def decorator(func: Callable[..., T]) -> Callable[..., T]:
        @wraps(func)
        def run(slot: str, *args) -> T:
            try:
                return func(slot, *args)
            except Exception:
                ScheduledRun.objects.filter(name=name, slot=slot).delete()
                raise

        return run

    return decorator


@task
@released_on_failure("daily_checks")
def run_daily_checks(day: str) -> str:
    """The daily checks for `day` (ISO), as `manage.py run_checks` runs them by hand; then the
    imported files left waiting that can no longer become a session are thrown away."""
    today = dt.date.fromisoformat(day)
    summary = run_checks(today=today).summary()
    discarded = discard_stale_files(today=today)
    if discarded:
        summary += f" Threw away {discarded} imported file{'s' * (discarded != 1)} left waiting."
    return summary


def _daily_after(hour_setting: str) -> Callable[[dt.datetime], str | None]:
    def slot(local: dt.datetime) -> str | None:
        return local.date().isoformat() if local.hour >= getattr(settings, hour_setting) else None

    return slot


def _monday_after_digest_hour(local: dt.datetime) -> str | None:
    if local.weekday() != MONDAY:
        return None
    return _daily_after("DIGEST_HOUR")(local)


def _every_tick(local: dt.datetime) -> str:
    # In UTC: the night the clocks go back, the clinic's 01:05 comes twice, and both count.
    utc = local.astimezone(dt.UTC)
    minute = utc.minute - utc.minute % REMINDER_MINUTES
    return f"{utc:%Y-%m-%dT%H}:{minute:02d}"


@dataclass(frozen=True)
class Scheduled:
    name: str
    task: str  # its dotted path, imported when due (a task another module may still be adding)
    slot: Callable[[dt.datetime], str | None]  # the clinic's local time -> the slot, or not due
    takes_slot: bool = True  # the task is given its slot (the day it is for)


SCHEDULE = [
    Scheduled("daily_checks", f"{__name__}.run_daily_checks", _daily_after("CHECKS_HOUR")),
    Scheduled(
        "daily_digest",
        "tracker.notifications.digests.send_daily_digests",
        _daily_after("DIGEST_HOUR"),
    ),
    Scheduled(
        "weekly_digest",
        "tracker.notifications.digests.send_weekly_digests",
        _monday_after_digest_hour,
    ),
    Scheduled(
        "reminders",
        "tracker.notifications.reminders.send_due_reminders",
        _every_tick,
        takes_slot=False,  # it reads the time itself
    ),
]


def tick(now: dt.datetime) -> list[str]:
    """Enqueue every piece of scheduled work due at `now` whose slot has not been started yet;
    returns the names of those started, in SCHEDULE's order."""
    local = timezone.localtime(now)
    started = []
    for scheduled in SCHEDULE:
        slot = scheduled.slot(local)
        if slot is None:
            continue
        job = import_string(scheduled.task)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=scheduled.name, slot=slot)
                queue(job, *([slot] if scheduled.takes_slot else []))
        except IntegrityError:
            continue  # this slot's run was started already, here or on another machine
        started.append(scheduled.name)
    return started
