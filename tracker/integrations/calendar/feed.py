"""The patient's plan as an iCalendar feed: each plan week's planned sessions and target
minutes, from a couple of weeks back to some weeks ahead, for a phone's calendar to subscribe to.

One all-day event per plan week and activity ("Walking: 3 sessions of 22 minutes"), across the
plan week; while reminders are on, an activity whose sessions a week fit the reminder days
(as many days or more) has one on each of those days instead. Every target comes from
`tracker.queries.plan_week` (the one place that reckons a week's targets and holds); a week
ahead is reckoned as growing unless the plan is supervised, and the event changes, keeping its
UID, if the week is held when it comes. Nothing of the diagnosis, the clearance or the plan's
title is in it: only activities, sessions and minutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from tracker.models import PlanStatus, Reminder, User
from tracker.queries.plan_week import PlanWeek, plan_week
from tracker.queries.week import current_plan, this_week
from tracker.rules.plans import WeekHolds, is_supervised, week_of_plan
from tracker.rules.reminders import calendar_weekdays, sessions_fit_days

WEEKS_BEFORE = 2  # past weeks kept in the calendar
WEEKS_AHEAD = 8  # this week and the weeks after it
NAME = "Rehab plan"
PRODID = "-//Rehab tracker//Plan calendar//EN"
REFRESH = dt.timedelta(hours=12)  # how often calendar apps are asked to fetch it again


@dataclass(frozen=True)
class PlannedDay:
    """One event: an activity's sessions on one day, or over a plan week."""

    uid: str
    summary: str
    description: str
    start: dt.date
    end: dt.date  # not included, as iCalendar counts it


def _ahead(holds: WeekHolds, week: int, supervised: bool) -> WeekHolds:
    """The holds for a week not reached yet: what is known, and the weeks to come held only
    for a supervised plan (growth_steps counts weeks past the known ones as not held)."""
    missing = week + 1 - len(holds.held)
    if missing <= 0:
        return holds
    return WeekHolds(held=holds.held + (supervised,) * missing, reasons=())


def plan_weeks(patient: User, *, today: dt.date) -> list[tuple[dt.date, PlanWeek]]:
    """(first day, plan week) of the current active plan's weeks the feed shows, in order:
    a few before this one, this one and some after, within the clearance."""
    plan = current_plan(patient)
    if plan is None or plan.status != PlanStatus.ACTIVE:
        return []
    supervised = is_supervised(getattr(patient, "profile", None))
    now = this_week(patient, plan=plan, today=today, supervised=supervised).plan_week
    current = week_of_plan(plan, today)
    weeks = []
    for week in range(max(0, current - WEEKS_BEFORE), current + WEEKS_AHEAD):
        first = plan.starts_on + dt.timedelta(weeks=week)
        if first > now.limits.valid_until:
            break
        last = first + dt.timedelta(days=6)
        on = min(last, today) if first <= today else first
        holds = _ahead(now.holds, week, supervised)
        weeks.append((first, plan_week(plan, on=on, supervised=supervised, holds=holds)))
    return weeks


def planned_days(patient: User, *, today: dt.date, days: list[int], host: str) -> list[PlannedDay]:
    """The events of `patient`'s feed, on the weekdays `days` (0 Monday) where an activity's
    sessions fit them."""
    events = []
    for first, week in plan_weeks(patient, today=today):
        plan = week.plan
        for target in week.targets:
            activity = target.prescription.activity
            sessions, minutes = target.sessions, target.target.minutes
            of = f"{sessions} session{'s' if sessions != 1 else ''} of {minutes} minutes"
            description = f"Week {week.week + 1} of your plan: {activity.name}, {of}."
            if not sessions_fit_days(sessions, len(days)):
                events.append(
                    PlannedDay(
                        uid=f"plan{plan.pk}-week{week.week}-activity{activity.pk}@{host}",
                        summary=f"{activity.name}: {of}",
                        description=description,
                        start=first,
                        end=first + dt.timedelta(weeks=1),
                    )
                )
                continue
            summary = f"{activity.name}: {minutes} minutes"
            on = "On one of your chosen days."
            if sessions < len(days):
                summary += f", {sessions} of these {len(days)} days"
                on = f"On {sessions} of your {len(days)} chosen days."
            for offset in range(7):
                day = first + dt.timedelta(days=offset)
                if day.weekday() in days:
                    events.append(
                        PlannedDay(
                            uid=f"plan{plan.pk}-{day:%Y%m%d}-activity{activity.pk}@{host}",
                            summary=summary,
                            description=f"{description} {on}",
                            start=day,
                            end=day + dt.timedelta(days=1),
                        )
                    )
    return sorted(events, key=lambda e: e.start)  # stable: the plan's order within a day


def build(patient: User, *, reminder: Reminder | None = None) -> bytes:
    """`patient`'s plan calendar as iCalendar bytes."""
    host = urlsplit(settings.SITE_URL).hostname or "rehab-tracker"
    stamp = timezone.now().replace(microsecond=0)
    calendar = Calendar.new(
        prodid=PRODID,
        name=NAME,
        description="Your planned exercise sessions and each week's target minutes.",
        uid=f"plan-calendar-{patient.pk}@{host}",
        refresh_interval=REFRESH,
    )
    # RFC 7986 asks for the value type on REFRESH-INTERVAL; Apple and Outlook read their own.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH).to_ical().decode())
    days = calendar_weekdays(is_on=reminder.is_on, bits=reminder.weekdays) if reminder else []
    for day in planned_days(patient, today=timezone.localdate(), days=days, host=host):
        calendar.add_component(
            Event.new(
                uid=day.uid,
                summary=day.summary,
                description=day.description,
                start=day.start,
                end=day.end,
                stamp=stamp,
                transparency="TRANSPARENT",  # planned, not busy: it blocks no other booking
            )
        )
    return calendar.to_ical()
