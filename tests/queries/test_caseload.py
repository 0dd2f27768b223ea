"""The caseload: sorted by attention needed, filtered, and fast for any number of patients."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.clock import TODAY
from tests.conftest import client_for, sign_in_verified
from tests.factories import (
    PhysiotherapistFactory,
    SessionLogFactory,
    activity,
    make_active_plan,
    make_patient,
)
from tracker.domain.invitations import invite_patient
from tracker.models import Alert, AlertKind, User
from tracker.queries.caseload import build_rows, sorted_caseload

pytestmark = pytest.mark.django_db


def patient_on_plan(physio, name: str, *, sessions_last_two_weeks: int, days_since_log: int = 0):
    """Walking 3 times a week; sessions 9 to 14 days before this Monday, and one more
    `days_since_log` days ago (today by default: this week, outside the two weeks judged)."""
    first, last = name.split()
    patient = make_patient(care_team=[physio], user__first_name=first, user__last_name=last)
    plan = make_active_plan(patient)  # walking 3 times a week
    plan.starts_on = TODAY - dt.timedelta(weeks=6)
    plan.save()
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    for i in range(sessions_last_two_weeks):
        SessionLogFactory(plan=plan, date=monday - dt.timedelta(days=14 - i))
    if days_since_log < (TODAY - monday).days + 1:
        SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=days_since_log))
    return patient


def test_caseload_puts_danger_then_pain_then_behind_then_silent_then_the_rest(physio):
    steady = patient_on_plan(physio, "Steady Sam", sessions_last_two_weeks=6)
    silent = patient_on_plan(physio, "Silent Sue", sessions_last_two_weeks=6, days_since_log=9)
    behind = patient_on_plan(physio, "Behind Bo", sessions_last_two_weeks=2)
    pain = patient_on_plan(physio, "Sore Pat", sessions_last_two_weeks=6)
    danger = patient_on_plan(physio, "Danger Dan", sessions_last_two_weeks=6)
    Alert.objects.create(patient=pain, kind=AlertKind.PAIN, message="Pain 7/10.")
    Alert.objects.create(patient=danger, kind=AlertKind.DANGER_SIGN, message="Slurred speech.")

    ordered = list(sorted_caseload(User.objects.filter(role="patient"), today=TODAY))

    assert ordered == [danger, pain, behind, silent, steady]
    assert [p.tier for p in ordered] == [0, 1, 2, 3, 4]


def test_acknowledged_alerts_do_not_raise_a_patient(physio, other_physio):
    patient = patient_on_plan(physio, "Calm Cleo", sessions_last_two_weeks=6)
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.DANGER_SIGN,
        message="Old.",
        acknowledged_at=timezone.now(),
        acknowledged_by=physio,
    )

    (row,) = sorted_caseload(User.objects.filter(pk=patient.pk), today=TODAY)

    assert row.tier == 4


def test_rows_show_adherence_minutes_last_log_and_open_alerts(physio):
    patient = patient_on_plan(physio, "Row Rita", sessions_last_two_weeks=3)
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 7/10.")

    (row,) = build_rows(
        list(sorted_caseload(User.objects.filter(pk=patient.pk), today=TODAY)), today=TODAY
    )

    assert (row.adherence, row.alerts, row.reason) == (50, ["Pain"], "Pain or effort")
    assert row.last_log == TODAY
    assert len(row.trend) == 8


def test_caseload_page_search_and_filters(physio_client, physio):
    patient_on_plan(physio, "Anna Novak", sessions_last_two_weeks=6)
    behind = patient_on_plan(physio, "Ben Carter", sessions_last_two_weeks=1)
    swimmer = patient_on_plan(physio, "Chloe Martin", sessions_last_two_weeks=6)
    swimmer.plans.get().prescriptions.update(activity=activity("Swimming"))

    def names(**params):
        response = physio_client.get("/caseload/", params)
        return [row.patient.get_full_name() for row in response.context["rows"]]

    assert names(q="nov") == ["Anna Novak"]
    assert names(show="slipping") == [behind.get_full_name()]
    assert names(activity=activity("Swimming").pk) == ["Chloe Martin"]


def test_caseload_search_with_htmx_returns_only_the_results(physio_client, physio):
    patient_on_plan(physio, "Anna Novak", sessions_last_two_weeks=6)

    response = physio_client.get("/caseload/", {"q": "anna"}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<section id="results"')


def test_caseload_shows_only_my_care_teams_patients(physio_client, physio, other_patient):
    mine = patient_on_plan(physio, "Mine Mo", sessions_last_two_weeks=6)

    response = physio_client.get("/caseload/")

    assert [row.patient for row in response.context["rows"]] == [mine]


@pytest.mark.parametrize("count", [5, 500])
def test_caseload_query_count_is_the_same_for_5_and_many_patients(
    client, django_assert_num_queries, count
):
    physio = PhysiotherapistFactory()
    for i in range(count):
        patient = patient_on_plan(physio, f"Pat Number{i}", sessions_last_two_weeks=i % 7)
        if i % 4 == 0:
            Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 6/10.")
    sign_in_verified(client, physio)

    # A fixed set: sign-in and the device that verified it, the activity filter's choices, a
    # look for stale triage rows and (the new accounts' all are) one statement that works them
    # out, count and page, the active plans with their activities, prescriptions and holds,
    # alerts, sessions by day, measurements, the page's new replies. The second time the look
    # finds nothing stale.
    with django_assert_num_queries(16):
        response = client.get("/caseload/")
    with django_assert_num_queries(15):
        client.get("/caseload/")

    assert len(response.context["rows"]) == min(count, 25)


def test_a_row_names_each_open_kind_once_most_urgent_first_with_how_many(physio):
    patient = patient_on_plan(physio, "Many Alerts", sessions_last_two_weeks=6)
    for kind in [AlertKind.EFFORT, AlertKind.PAIN, AlertKind.EFFORT, AlertKind.DANGER_SIGN]:
        Alert.objects.create(patient=patient, kind=kind, message="Reported.")
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.PAIN,
        message="Old.",
        acknowledged_at=timezone.now(),
        acknowledged_by=physio,
    )

    (row,) = build_rows(
        list(sorted_caseload(User.objects.filter(pk=patient.pk), today=TODAY)), today=TODAY
    )

    assert row.alerts == ["Danger sign", "Pain", "Effort above range (2)"]


def on_plan_per_week(physio, name: str, *, per_week: int, done: int) -> User:
    """`per_week` planned sessions a week; `done` of them over the last two complete weeks."""
    patient = patient_on_plan(physio, name, sessions_last_two_weeks=done)
    patient.plans.get().prescriptions.update(sessions_per_week=per_week)
    return patient


def test_falling_behind_puts_the_smallest_share_of_the_plan_first(physio):
    fewer_done = on_plan_per_week(physio, "Few Planned", per_week=2, done=3)  # 3 of 4: 75%
    less_kept = on_plan_per_week(physio, "Many Planned", per_week=5, done=4)  # 4 of 10: 40%

    ordered = list(sorted_caseload(User.objects.filter(role="patient"), today=TODAY))

    assert ordered == [less_kept, fewer_done]
    assert [p.kept_up for p in ordered] == [40, 75]


def test_falling_behind_or_silent_finds_them_also_with_an_alert_open(physio, client):
    behind = on_plan_per_week(physio, "Behind Bea", per_week=3, done=1)
    Alert.objects.create(patient=behind, kind=AlertKind.DANGER_SIGN, message="Faint.")
    silent = patient_on_plan(physio, "Silent Sid", sessions_last_two_weeks=6, days_since_log=9)
    patient_on_plan(physio, "Steady Stan", sessions_last_two_weeks=6)
    sign_in_verified(client, physio)

    response = client.get("/caseload/", {"show": "slipping"})

    assert [row.patient for row in response.context["rows"]] == [behind, silent]


def invite_to(physio, first_name: str):
    invitation, _ = invite_patient(
        by=physio,
        first_name=first_name,
        last_name="Quinn",
        email=f"{first_name.lower()}@example.org",
        profile={},
        care_team=[physio],
    )
    return invitation


@time_machine.travel(dt.datetime(2026, 12, 2, 19, 55, tzinfo=ZoneInfo("Europe/London")))
def test_an_invited_patients_row_says_not_joined_yet_and_when_the_link_expires(physio, settings):
    settings.INVITATION_DAYS = 2
    invite_to(physio, "Nora")
    page = client_for(physio).get("/caseload/").content.decode()

    assert "Invited, not joined yet" in page
    assert "The link expires on Fri 4 Dec, 19:55." in page
    assert "No log for" not in page and "never" not in page
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Europe/London"))):
        page = client_for(physio).get("/caseload/").content.decode()
    assert "The link expired on Fri 4 Dec, 19:55." in page


def test_invited_patients_cost_one_query_for_the_page_however_many(physio):
    client = client_for(physio)
    invite_to(physio, "First")
    client.get("/caseload/")
    with CaptureQueriesContext(connection) as one:
        client.get("/caseload/")
    for i in range(10):
        invite_to(physio, f"Many{i}")
    client.get("/caseload/")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/caseload/")

    assert len(response.context["rows"]) == 11
    assert len(many) == len(one)
