"""The calendar feed of a patient's plan: through icalendar's own parser, with exact titles,
dates and UIDs for a fixture plan; stable UIDs; refusals (a revoked or unknown address, a
closed account); only the address holder's own plan, and no health details in it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from icalendar import Calendar

from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    activity,
    log_week,
    make_patient,
)
from tracker.models import AtrophyKind, CalendarFeed, PlanStatus, Reminder
from tracker.rules.reminders import bits_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)  # the suite's pinned Wednesday
STARTED = dt.date(2026, 11, 18)  # two weeks ago: today is in plan week 2
HOST = "testserver"  # SITE_URL's host in the tests
# Each plan week's minutes a session, weeks 0 to 9: 10% a week from the start, whole minutes,
# capped at 30 (the clearance's longest session).
WALKING = [10, 11, 12, 13, 14, 16, 17, 19, 21, 23]
SWIMMING = [15, 16, 18, 19, 21, 24, 26, 29, 30, 30]


@pytest.fixture
def anna_plan(physio):
    patient = make_patient(
        care_team=[physio],
        user__first_name="Anna",
        user__last_name="Novak",
        cause_detail="Ankle fracture, eight weeks in a cast",
    )
    clearance = ClearanceFactory(patient=patient, recorded_by=physio)
    plan = PlanFactory(
        clearance=clearance,
        status=PlanStatus.ACTIVE,
        starts_on=STARTED,
        title="Back to walking after the fracture",
    )
    PrescriptionFactory(plan=plan, activity=activity("Walking"), sessions_per_week=3)
    PrescriptionFactory(
        plan=plan, activity=activity("Swimming"), sessions_per_week=2, start_minutes=15
    )
    log_week(plan, 0, 4)  # kept up: each week after grows
    log_week(plan, 1, 4)
    return plan


def feed_of(patient, token: str | None = None) -> CalendarFeed:
    return CalendarFeed.objects.create(patient=patient, token=token or f"token-{patient.pk}-x" * 3)


def fetch(feed: CalendarFeed):
    return Client().get(f"/calendar/{feed.token}.ics")


def events(response) -> list[tuple[str, str, dt.date, dt.date]]:
    calendar = Calendar.from_ical(response.content)
    return [(e.uid, e.summary, e.start, e.end) for e in calendar.events]


def test_feed_has_each_plan_week_and_activity_with_exact_titles_dates_and_uids(anna_plan):
    response = fetch(feed_of(anna_plan.patient))

    assert response.status_code == 200
    walking, swimming = activity("Walking").pk, activity("Swimming").pk
    expected = []
    for week in range(10):
        first = STARTED + dt.timedelta(weeks=week)
        end = first + dt.timedelta(weeks=1)
        expected += [
            (
                f"plan{anna_plan.pk}-week{week}-activity{walking}@{HOST}",
                f"Walking: 3 sessions of {WALKING[week]} minutes",
                first,
                end,
            ),
            (
                f"plan{anna_plan.pk}-week{week}-activity{swimming}@{HOST}",
                f"Swimming: 2 sessions of {SWIMMING[week]} minutes",
                first,
                end,
            ),
        ]
    assert events(response) == expected


def test_feed_passes_a_round_trip_through_icalendars_parser(anna_plan):
    body = fetch(feed_of(anna_plan.patient)).content

    calendar = Calendar.from_ical(body)

    assert calendar.to_ical() == body
    assert calendar["PRODID"] == "-//Rehab tracker//Plan calendar//EN"
    assert calendar.calendar_name == "Rehab plan"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in body
    assert [type(e.start) for e in calendar.events] == [dt.date] * 20  # all-day events


def test_feed_is_text_calendar_and_no_shared_cache_keeps_it(anna_plan):
    response = fetch(feed_of(anna_plan.patient))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


def test_uids_are_stable_and_a_changed_target_keeps_its_uid(anna_plan):
    feed = feed_of(anna_plan.patient)
    first = events(fetch(feed))
    assert events(fetch(feed)) == first

    anna_plan.prescriptions.filter(activity=activity("Walking")).update(start_minutes=20)

    changed = events(fetch(feed))
    assert [uid for uid, *_ in changed] == [uid for uid, *_ in first]
    assert changed[0][1] == "Walking: 3 sessions of 20 minutes"
    assert first[0][1] == "Walking: 3 sessions of 10 minutes"
    swims = [event for event in first if event[1].startswith("Swimming")]
    assert [event for event in changed if event[1].startswith("Swimming")] == swims


def test_feed_puts_sessions_on_the_reminder_days_only_where_the_sessions_fit_them(anna_plan):
    Reminder.objects.create(patient=anna_plan.patient, weekdays=bits_of([0, 3]), at=dt.time(8))

    found = events(fetch(feed_of(anna_plan.patient)))

    walking = activity("Walking").pk
    swimming = activity("Swimming").pk
    # Plan week 0 runs Wednesday 18 to Tuesday 24 November. Swimming's 2 sessions go on its
    # Thursday and Monday; walking's 3 do not fit 2 days, so they stay across the week.
    assert found[:4] == [
        (
            f"plan{anna_plan.pk}-week0-activity{walking}@{HOST}",
            "Walking: 3 sessions of 10 minutes",
            STARTED,
            STARTED + dt.timedelta(weeks=1),
        ),
        (
            f"plan{anna_plan.pk}-20261119-activity{swimming}@{HOST}",
            "Swimming: 15 minutes",
            dt.date(2026, 11, 19),
            dt.date(2026, 11, 20),
        ),
        (
            f"plan{anna_plan.pk}-20261123-activity{swimming}@{HOST}",
            "Swimming: 15 minutes",
            dt.date(2026, 11, 23),
            dt.date(2026, 11, 24),
        ),
        (
            f"plan{anna_plan.pk}-week1-activity{walking}@{HOST}",
            "Walking: 3 sessions of 11 minutes",
            STARTED + dt.timedelta(weeks=1),
            STARTED + dt.timedelta(weeks=2),
        ),
    ]
    swims = [start for _, summary, start, _ in found if summary.startswith("Swimming")]
    assert {day.weekday() for day in swims} == {0, 3}
    assert len(swims) == 10 * 2
    assert len(found) == 10 + 10 * 2


def test_one_reminder_day_does_not_make_four_sessions_one(anna_plan):
    # The review's case: Friday the only day, walking 4 sessions a week.
    anna_plan.prescriptions.filter(activity=activity("Walking")).update(sessions_per_week=4)
    Reminder.objects.create(patient=anna_plan.patient, weekdays=bits_of([4]), at=dt.time(8))

    found = events(fetch(feed_of(anna_plan.patient)))

    walks = [summary for _, summary, _, _ in found if summary.startswith("Walking")]
    assert walks[0] == "Walking: 4 sessions of 10 minutes"
    assert all(" sessions of " in summary for _, summary, _, _ in found)


def test_more_reminder_days_than_sessions_says_how_many_of_them(anna_plan):
    Reminder.objects.create(patient=anna_plan.patient, weekdays=bits_of([0, 2, 4]), at=dt.time(8))

    found = events(fetch(feed_of(anna_plan.patient)))

    first_week = [(summary, start) for _, summary, start, _ in found][:6]
    assert first_week == [
        ("Walking: 10 minutes", dt.date(2026, 11, 18)),
        ("Swimming: 15 minutes, 2 of these 3 days", dt.date(2026, 11, 18)),
        ("Walking: 10 minutes", dt.date(2026, 11, 20)),
        ("Swimming: 15 minutes, 2 of these 3 days", dt.date(2026, 11, 20)),
        ("Walking: 10 minutes", dt.date(2026, 11, 23)),
        ("Swimming: 15 minutes, 2 of these 3 days", dt.date(2026, 11, 23)),
    ]


def test_reminders_turned_off_leave_the_weeks_events(anna_plan):
    Reminder.objects.create(
        patient=anna_plan.patient, weekdays=bits_of([0, 3]), at=dt.time(8), is_on=False
    )

    found = events(fetch(feed_of(anna_plan.patient)))

    assert len(found) == 10 * 2
    assert all(" sessions of " in summary for _, summary, _, _ in found)


def test_feed_holds_no_health_details(anna_plan, physio):
    body = fetch(feed_of(anna_plan.patient)).content.decode()

    for private in (
        "fracture",
        "cast",
        "Novak",
        "Anna",
        anna_plan.title,
        anna_plan.clearance.physician_name,
        physio.last_name,
        "atrophy",
        "Disuse",
    ):
        assert private not in body


def test_another_patients_address_shows_only_their_own_plan(anna_plan, other_patient):
    clearance = ClearanceFactory(patient=other_patient)
    ben_plan = PlanFactory(clearance=clearance, status=PlanStatus.ACTIVE, starts_on=TODAY)
    PrescriptionFactory(plan=ben_plan, activity=activity("Swimming"), start_minutes=20)
    feed_of(anna_plan.patient)
    ben = feed_of(other_patient)

    found = events(fetch(ben))

    assert [summary for _, summary, _, _ in found] == [
        "Swimming: 3 sessions of 20 minutes",
        "Swimming: 3 sessions of 22 minutes",
        "Swimming: 3 sessions of 24 minutes",
        "Swimming: 3 sessions of 26 minutes",
        "Swimming: 3 sessions of 29 minutes",
        "Swimming: 3 sessions of 30 minutes",
        "Swimming: 3 sessions of 30 minutes",
        "Swimming: 3 sessions of 30 minutes",
    ]
    assert all(uid.startswith(f"plan{ben_plan.pk}-") for uid, *_ in found)
    assert found[0][2] == TODAY


def test_a_revoked_or_unknown_address_answers_404(anna_plan):
    feed = feed_of(anna_plan.patient)
    token = feed.token
    feed.delete()

    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_a_closed_accounts_address_answers_404(anna_plan):
    feed = feed_of(anna_plan.patient)
    anna_plan.patient.is_active = False
    anna_plan.patient.save()

    assert fetch(feed).status_code == 404


def test_a_paused_plan_plans_nothing(anna_plan):
    anna_plan.status = PlanStatus.PAUSED
    anna_plan.save()

    assert events(fetch(feed_of(anna_plan.patient))) == []


def test_a_supervised_plan_does_not_grow_in_the_weeks_ahead(anna_plan):
    profile = anna_plan.patient.profile
    profile.atrophy_kind = AtrophyKind.NEUROGENIC
    profile.save()

    found = events(fetch(feed_of(anna_plan.patient)))

    assert {summary for _, summary, _, _ in found} == {
        "Walking: 3 sessions of 10 minutes",
        "Swimming: 2 sessions of 15 minutes",
    }


def test_the_feed_stops_at_the_end_of_the_clearance(anna_plan):
    clearance = anna_plan.clearance
    clearance.valid_until = TODAY + dt.timedelta(days=10)  # Saturday 12 December
    clearance.save()

    found = events(fetch(feed_of(anna_plan.patient)))

    assert max(start for _, _, start, _ in found) == dt.date(2026, 12, 9)


def test_feed_queries_do_not_grow_with_the_weeks_or_activities(
    anna_plan, other_patient, django_assert_num_queries
):
    clearance = ClearanceFactory(patient=other_patient)
    small = PlanFactory(clearance=clearance, status=PlanStatus.ACTIVE, starts_on=TODAY)
    PrescriptionFactory(plan=small)
    big, little = feed_of(anna_plan.patient), feed_of(other_patient)

    with django_assert_num_queries(8) as small_count:
        fetch(little)
    with django_assert_num_queries(8) as big_count:
        fetch(big)
    assert len(small_count.captured_queries) == len(big_count.captured_queries)
