"""One "this week": every page that shows a patient's week shows the same figures.

Issue 13: the same patient, the same week, Today said "80 of 154 minutes" and the caseload
"25 of 154 min". Today counted the plan's own week (from the weekday the plan started), the
caseload the calendar week. A week is Monday to Sunday everywhere now.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import client_for
from tests.factories import (
    PrescriptionFactory,
    SessionLogFactory,
    activity,
    log_week,
    make_active_plan,
    make_patient,
)
from tracker.models import Alert, AlertKind, AtrophyKind, PlanStatus, User
from tracker.queries.week import current_plan, this_week, this_weeks, week_bounds
from tracker.rules.plans import ALERT_REASON, SUPERVISED_REASON

MONDAY = dt.date(2026, 11, 30)
NOON = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
PLAN_START = dt.date(2026, 11, 19)  # a Thursday: the plan's own weeks run Thursday to Wednesday


class Figures(HTMLParser):
    """The text inside each element marked data-week-figure="...", by figure name."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self._open: list[tuple[str, int]] = []  # (figure, depth at which it opened)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        self._depth += 1
        figure = dict(attrs).get("data-week-figure")
        if figure:
            self._open.append((figure, self._depth))
            self.found.setdefault(figure, []).append("")

    def handle_endtag(self, tag):
        if self._open and self._open[-1][1] == self._depth:
            self._open.pop()
        self._depth -= 1

    def handle_data(self, data):
        for figure, _ in self._open:
            self.found[figure][-1] += data


def figures(html: str) -> dict[str, tuple[int, int]]:
    """Each week figure a page shows, as (done, target), from text such as "25 of 33 minutes".
    A page that shows one figure twice must show it the same both times."""
    parser = Figures()
    parser.feed(html)
    shown = {}
    for name, texts in parser.found.items():
        if name.startswith("target-"):
            continue
        values = {re.fullmatch(r"(\d+) of (\d+) .*", " ".join(t.split())).groups() for t in texts}
        assert len(values) == 1, (name, texts)
        done, target = values.pop()
        shown[name] = (int(done), int(target))
    return shown


def targets(html: str) -> dict[str, int]:
    """The week's targets on a page that shows targets only (My plan's prescriptions)."""
    parser = Figures()
    parser.feed(html)
    return {
        name: int(re.search(r"\d+", texts[0]).group())
        for name, texts in parser.found.items()
        if name.startswith("target-")
    }


@pytest.fixture
def week_patient(physio):
    """Walking 3 times a week from 10 minutes, on a plan that started on a Thursday; swimming
    suspended since the start. Week one of the plan was kept up, so walking grew to 11."""
    with time_machine.travel(NOON, tick=False):
        patient = make_patient(care_team=[physio], user__first_name="Wren", user__last_name="Ward")
        plan = make_active_plan(patient)
        plan.starts_on = PLAN_START
        plan.save()
        PrescriptionFactory(
            plan=plan,
            activity=activity("Swimming"),
            sessions_per_week=2,
            start_minutes=15,
            suspended_on=PLAN_START,
            suspended_reason="Not allowed by the newer clearance.",
        )
        for day, minutes in [(19, 20), (21, 20), (24, 20), (26, 30), (28, 25)]:
            SessionLogFactory(plan=plan, date=dt.date(2026, 11, day), minutes=minutes)
        SessionLogFactory(plan=plan, date=MONDAY, minutes=25)
        SessionLogFactory(plan=plan, date=MONDAY, minutes=40, deleted_at=timezone.now())
    return patient


EXPECTED = {"minutes": (25, 33), "sessions": (1, 3)}


@time_machine.travel(NOON, tick=False)
def test_every_page_shows_the_same_week(week_patient, physio):
    patient_client, physio_client = client_for(week_patient), client_for(physio)
    pk = week_patient.pk

    shown = {
        "Today": figures(patient_client.get("/today/").text),
        "My plan": figures(patient_client.get("/plan/").text),
        "Progress": figures(patient_client.get("/progress/").text),
        "caseload": figures(physio_client.get("/caseload/").text),
        "record": figures(physio_client.get(f"/patients/{pk}/").text),
        "clinician progress": figures(physio_client.get(f"/patients/{pk}/progress/").text),
        "report": figures(physio_client.get(f"/patients/{pk}/report/").text),
    }

    assert shown == {page: EXPECTED for page in shown}


@time_machine.travel(NOON, tick=False)
def test_a_paused_plan_shows_no_week_figures_anywhere(week_patient, physio):
    week_patient.plans.update(status=PlanStatus.PAUSED)
    patient_client, physio_client = client_for(week_patient), client_for(physio)
    pk = week_patient.pk

    pages = [patient_client.get(url).text for url in ("/today/", "/plan/", "/progress/")] + [
        physio_client.get(url).text
        for url in ("/caseload/", f"/patients/{pk}/", f"/patients/{pk}/progress/")
    ]

    assert [figures(html) for html in pages] == [{}] * 6


@time_machine.travel(NOON, tick=False)
def test_my_plan_prescribes_what_the_week_adds_up_to(week_patient):
    html = client_for(week_patient).get("/plan/").text

    # Walking only: swimming is suspended. 3 sessions of 11 minutes.
    assert targets(html) == {"target-sessions": 3, "target-minutes": 11}
    assert "Swimming" not in html.split('id="this-week"')[1].split('id="clearance"')[0]


@time_machine.travel(NOON, tick=False)
def test_week_is_monday_to_sunday_whatever_day_the_plan_started(week_patient):
    week = this_week(week_patient, plan=current_plan(week_patient), today=MONDAY)

    assert (week.start, week.end) == (MONDAY, dt.date(2026, 12, 6))
    assert (week.minutes, week.sessions) == (25, 1)
    assert (week.target_minutes, week.target_sessions, week.adherence) == (33, 3, 33)
    assert [(t.prescription.activity.name, t.sessions, t.target.minutes) for t in week.targets] == [
        ("Walking", 3, 11)
    ]


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 3), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 6), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 7), dt.date(2026, 12, 7)),
    ],
)
def test_week_bounds_run_from_monday_to_sunday(today, start):
    assert week_bounds(today) == (start, start + dt.timedelta(days=6))


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
def test_every_day_falls_in_one_monday_to_sunday_week(day):
    start, end = week_bounds(day)

    assert (start.isoweekday(), end.isoweekday(), (end - start).days) == (1, 7, 6)
    assert start <= day <= end


@time_machine.travel(NOON, tick=False)
def test_bulk_weeks_match_the_single_patient_week(week_patient, physio):
    with time_machine.travel(NOON, tick=False):
        other = make_patient(care_team=[physio])
        make_active_plan(other)
        SessionLogFactory(plan=other.plans.get(), date=MONDAY, minutes=12)
    patients = list(User.objects.filter(pk__in=[week_patient.pk, other.pk]).order_by("pk"))

    bulk = this_weeks(patients, today=MONDAY)

    for patient in patients:
        single = this_week(patient, plan=current_plan(patient), today=MONDAY)
        assert bulk[patient.pk].figures == single.figures


@pytest.fixture
def supervised_held_patient(physio):
    """Neurogenic (supervised), walking 3 times a week from 10 minutes since Thursday 5
    November; every week kept up, and a pain alert open since week 3 that holds week 4 too.
    Were the plan not supervised it would have grown to 12 minutes."""
    with time_machine.travel(NOON, tick=False):
        patient = make_patient(care_team=[physio], atrophy_kind=AtrophyKind.NEUROGENIC)
        plan = make_active_plan(patient)
        plan.starts_on = dt.date(2026, 11, 5)
        plan.save()
        for week in range(3):
            log_week(plan, week, 3)
        alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain.")
        Alert.objects.filter(pk=alert.pk).update(
            opened_at=dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
        )
    return patient


@time_machine.travel(NOON, tick=False)
def test_supervised_held_week_is_the_same_on_today_the_log_form_and_progress(
    supervised_held_patient,
):
    client = client_for(supervised_held_patient)

    today = client.get("/today/").context
    log_form = client.get("/log/").context["form"]
    progress = client.get("/progress/").context["progress"].this_week

    ((_, on_today),) = today["targets"]
    (on_progress,) = progress.targets
    minutes = {
        "Today": on_today.minutes,
        "log form": log_form.initial["minutes"],
        "Progress": on_progress.target.minutes,
    }
    assert minutes == {"Today": 10, "log form": 10, "Progress": 10}
    reasons = (on_today.held_reasons, on_progress.target.held_reasons)
    assert reasons == ((SUPERVISED_REASON, ALERT_REASON),) * 2
    assert today["this_week"].figures == progress.figures == (0, 30, 0, 3)
