"""Beyond the clearance: a session longer than the physician's clearance allows, or with a heart
rate above its limit, is saved as it happened, not praised; the patient reads the limit and the
care team gets an alert (in the app, not by e-mail)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import client_for
from tests.factories import (
    ClearanceFactory,
    SessionLogFactory,
    activity,
    log_form,
    make_active_plan,
    make_patient,
)
from tracker.domain.clearances import apply_new_clearance
from tracker.domain.logbook import SessionInput, edit_session, log_session
from tracker.models import Alert, AlertKind, SessionLog, User
from tracker.queries.caseload import build_rows, sorted_caseload
from tracker.rules.safety import (
    AlertSpec,
    Breach,
    beyond_clearance,
    over_clearance_alert,
    over_clearance_note,
)

TODAY = dt.date(2026, 3, 11)  # a Wednesday
NOW = dt.datetime(2026, 3, 11, 18, 0, tzinfo=dt.UTC)

MINUTES_NOTE = (
    "Saved. This session was 60 minutes; your doctor's clearance allows at most 45 minutes at "
    "a time. Your care team has been told; keep to 45 minutes until they say otherwise."
)
HEART_NOTE = (
    "Saved. Your highest heart rate was 130 beats per minute; your doctor's clearance allows "
    "at most 120. Your care team has been told; keep your heart rate to 120 or below until they "
    "say otherwise."
)


def breaches(
    minutes=20, average=None, highest=None, max_minutes=45, max_hr=None, blunted=False
) -> list[Breach]:
    return beyond_clearance(
        minutes=minutes,
        average_heart_rate=average,
        highest_heart_rate=highest,
        max_session_minutes=max_minutes,
        max_heart_rate=max_hr,
        heart_rate_blunted=blunted,
    )


# The rule (pure) ---------------------------------------------------------------------------


def test_beyond_clearance_within_every_limit_none():
    assert breaches(minutes=30, average=100, highest=110, max_hr=120) == []


def test_beyond_clearance_exactly_at_the_minutes_limit_none():
    assert breaches(minutes=45) == []


def test_beyond_clearance_one_minute_over_names_minutes():
    assert breaches(minutes=46) == [Breach("minutes", 46, 45)]


def test_beyond_clearance_exactly_at_the_heart_rate_limit_none():
    assert breaches(average=120, highest=120, max_hr=120) == []


def test_beyond_clearance_highest_heart_rate_over_names_it():
    assert breaches(average=110, highest=130, max_hr=120) == [
        Breach("heart_rate", 130, 120, "highest")
    ]


def test_beyond_clearance_average_alone_over_names_the_average():
    assert breaches(average=125, max_hr=120) == [Breach("heart_rate", 125, 120, "average")]


def test_beyond_clearance_no_heart_rate_limit_ignores_heart_rate():
    assert breaches(average=180, highest=200, max_hr=None) == []


def test_beyond_clearance_no_heart_rate_logged_none():
    assert breaches(max_hr=120) == []


def test_beyond_clearance_blunted_ignores_heart_rate_but_not_minutes():
    assert breaches(minutes=60, highest=130, max_hr=120, blunted=True) == [
        Breach("minutes", 60, 45)
    ]


def test_beyond_clearance_both_over_lists_minutes_then_heart_rate():
    assert breaches(minutes=60, highest=130, max_hr=120) == [
        Breach("minutes", 60, 45),
        Breach("heart_rate", 130, 120, "highest"),
    ]


def test_over_clearance_alert_nothing_beyond_none():
    assert over_clearance_alert([]) is None


def test_over_clearance_alert_minutes_in_the_third_person():
    assert over_clearance_alert(breaches(minutes=60)) == AlertSpec(
        AlertKind.OVER_CLEARANCE,
        "Session of 60 minutes, above the clearance's longest session of 45 minutes.",
    )


def test_over_clearance_alert_heart_rate_in_the_third_person():
    assert over_clearance_alert(breaches(highest=130, max_hr=120)) == AlertSpec(
        AlertKind.OVER_CLEARANCE,
        "Highest heart rate of 130 beats per minute, above the clearance's limit of 120.",
    )


def test_over_clearance_alert_both_in_one_message():
    assert over_clearance_alert(breaches(minutes=60, average=125, max_hr=120)).message == (
        "Session of 60 minutes, above the clearance's longest session of 45 minutes. "
        "Average heart rate of 125 beats per minute, above the clearance's limit of 120."
    )


@given(
    minutes=st.integers(1, 300),
    average=st.none() | st.integers(30, 250),
    highest=st.none() | st.integers(30, 250),
    max_minutes=st.integers(5, 240),
    max_hr=st.none() | st.integers(60, 220),
    blunted=st.booleans(),
)
def test_beyond_clearance_exactly_when_a_number_is_above_its_limit(
    minutes, average, highest, max_minutes, max_hr, blunted
):
    found = breaches(minutes, average, highest, max_minutes, max_hr, blunted)

    readings = [r for r in (average, highest) if r is not None]
    hr_over = not blunted and max_hr is not None and any(r > max_hr for r in readings)
    assert [b.measure for b in found] == [
        *(["minutes"] if minutes > max_minutes else []),
        *(["heart_rate"] if hr_over else []),
    ]
    assert all(b.value > b.limit for b in found)
    spec = over_clearance_alert(found)
    assert (spec is None) == (not found)
    assert spec is None or len(spec.message) <= 300


# The logbook: saved as it happened, alert opened -----------------------------------------


@pytest.fixture
def plan(patient):
    """Walking, on a clearance of at most 45 minutes and a heart rate of 120."""
    with time_machine.travel(NOW, tick=False):
        return make_active_plan(patient, max_session_minutes=45, max_heart_rate=120)


def entry(**fields) -> SessionInput:
    values = {
        "activity_id": activity("Walking").pk,
        "date": TODAY,
        "minutes": 20,
        "effort": 11,
        "pain_before": 1,
        "pain_after": 1,
    }
    return SessionInput(**(values | fields))


def alerts_of(patient: User) -> list[tuple[str, str, int | None]]:
    return list(
        Alert.objects.filter(patient=patient)
        .order_by("pk")
        .values_list("kind", "message", "session_id")
    )


@time_machine.travel(NOW, tick=False)
def test_log_session_60_against_45_saved_as_typed_and_alert_opened(patient, plan):
    result = log_session(patient=patient, plan=plan, entry=entry(minutes=60))

    assert SessionLog.objects.get().minutes == 60
    assert alerts_of(patient) == [
        (
            AlertKind.OVER_CLEARANCE,
            "Session of 60 minutes, above the clearance's longest session of 45 minutes.",
            result.session.pk,
        )
    ]
    assert result.beyond_clearance == [Breach("minutes", 60, 45)]


@time_machine.travel(NOW, tick=False)
def test_log_session_45_against_45_opens_nothing(patient, plan):
    result = log_session(patient=patient, plan=plan, entry=entry(minutes=45))

    assert (alerts_of(patient), result.beyond_clearance) == ([], [])


@time_machine.travel(NOW, tick=False)
def test_log_session_heart_rate_130_against_120_saved_and_alert_opened(patient, plan):
    result = log_session(
        patient=patient, plan=plan, entry=entry(average_heart_rate=112, highest_heart_rate=130)
    )

    session = SessionLog.objects.get()
    assert (session.average_heart_rate, session.highest_heart_rate) == (112, 130)
    assert alerts_of(patient) == [
        (
            AlertKind.OVER_CLEARANCE,
            "Highest heart rate of 130 beats per minute, above the clearance's limit of 120.",
            result.session.pk,
        )
    ]


@time_machine.travel(NOW, tick=False)
def test_log_session_heart_rate_at_120_opens_nothing(patient, plan):
    log_session(
        patient=patient, plan=plan, entry=entry(average_heart_rate=120, highest_heart_rate=120)
    )

    assert alerts_of(patient) == []


@time_machine.travel(NOW, tick=False)
def test_log_session_blunted_heart_rate_opens_nothing_but_minutes_still_do(patient, plan):
    patient.profile.heart_rate_blunted = True
    patient.profile.save()

    log_session(patient=patient, plan=plan, entry=entry(highest_heart_rate=130))
    long = log_session(patient=patient, plan=plan, entry=entry(minutes=60, highest_heart_rate=130))

    assert alerts_of(patient) == [
        (
            AlertKind.OVER_CLEARANCE,
            "Session of 60 minutes, above the clearance's longest session of 45 minutes.",
            long.session.pk,
        )
    ]


@time_machine.travel(NOW, tick=False)
def test_log_session_over_clearance_sends_no_email(
    patient, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log_session(patient=patient, plan=plan, entry=entry(minutes=60))

    assert mail.outbox == []
    assert Alert.objects.get().emails.count() == 0


@time_machine.travel(NOW, tick=False)
def test_log_session_judged_by_the_clearance_current_on_its_day(patient, plan):
    # A newer, stricter clearance from today: yesterday's session keeps yesterday's limits.
    plan.clearance.superseded_on = TODAY
    plan.clearance.save()
    ClearanceFactory(patient=patient, cleared_on=TODAY, max_session_minutes=40)

    log_session(patient=patient, plan=plan, entry=entry(minutes=44, date=TODAY))
    log_session(patient=patient, plan=plan, entry=entry(minutes=44, date=TODAY - dt.timedelta(1)))

    assert [message for _, message, _ in alerts_of(patient)] == [
        "Session of 44 minutes, above the clearance's longest session of 40 minutes."
    ]


@time_machine.travel(NOW, tick=False)
def test_edit_session_taking_a_session_over_opens_the_alert(patient, plan):
    session = log_session(patient=patient, plan=plan, entry=entry(minutes=40)).session

    edit_session(session=session, by=patient, entry=entry(minutes=50))

    assert alerts_of(patient) == [
        (
            AlertKind.OVER_CLEARANCE,
            "Session of 50 minutes, above the clearance's longest session of 45 minutes.",
            session.pk,
        )
    ]


@time_machine.travel(NOW, tick=False)
def test_edit_session_of_a_session_already_over_opens_no_second_alert(patient, plan):
    session = log_session(patient=patient, plan=plan, entry=entry(minutes=60)).session

    edit_session(session=session, by=patient, entry=entry(minutes=60, notes="Long walk."))

    assert len(alerts_of(patient)) == 1


# The pages -------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    return log_form(**{"date": TODAY.isoformat()} | overrides)


@time_machine.travel(NOW, tick=False)
def test_log_view_60_against_45_reads_the_limit_not_well_done(patient_client, plan):
    response = patient_client.post("/log/", form_data(minutes="60"), follow=True)

    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("warning", MINUTES_NOTE)
    ]
    assert SessionLog.objects.get().minutes == 60


@time_machine.travel(NOW, tick=False)
def test_log_view_heart_rate_130_against_120_reads_the_limit(patient_client, plan):
    response = patient_client.post(
        "/log/", form_data(average_heart_rate="110", highest_heart_rate="130"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [HEART_NOTE]


@time_machine.travel(NOW, tick=False)
def test_log_view_both_over_names_both_limits(patient_client, plan):
    response = patient_client.post(
        "/log/", form_data(minutes="60", highest_heart_rate="130"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Saved. This session was 60 minutes, and your highest heart rate was 130 beats per "
        "minute; your doctor's clearance allows at most 45 minutes at a time and a heart rate "
        "of 120. Your care team has been told; keep within these limits until they say otherwise."
    ]


@time_machine.travel(NOW, tick=False)
def test_log_view_at_the_limits_is_still_well_done(patient_client, plan):
    response = patient_client.post(
        "/log/", form_data(minutes="45", highest_heart_rate="120"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Session saved. Well done."]


@time_machine.travel(NOW, tick=False)
def test_log_view_blunted_heart_rate_is_not_held_against_the_patient(patient_client, plan):
    plan.patient.profile.heart_rate_blunted = True
    plan.patient.profile.save()

    response = patient_client.post("/log/", form_data(highest_heart_rate="130"), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Session saved. Well done."]
    assert Alert.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_edit_view_taking_a_session_over_reads_the_limit(patient_client, plan):
    session = SessionLogFactory(plan=plan, date=TODAY, minutes=30)
    data = form_data(minutes="60")
    del data["request_key"], data["no_danger_signs"]

    response = patient_client.post(f"/sessions/{session.pk}/edit/", data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Session updated. This session was 60 minutes; your doctor's clearance allows at most "
        "45 minutes at a time. Your care team has been told; keep to 45 minutes until they say "
        "otherwise."
    ]
    assert Alert.objects.get().kind == AlertKind.OVER_CLEARANCE


@time_machine.travel(NOW, tick=False)
def test_history_marks_the_session_beyond_the_clearance(patient_client, patient, plan):
    log_session(patient=patient, plan=plan, entry=entry(minutes=60))
    log_session(patient=patient, plan=plan, entry=entry(minutes=20))

    response = patient_client.get("/history/")

    assert response.text.count("beyond your clearance") == 1


@time_machine.travel(NOW, tick=False)
def test_record_and_alert_queue_show_the_over_clearance_alert(physio_client, patient, plan):
    log_session(patient=patient, plan=plan, entry=entry(minutes=60))

    record = physio_client.get(f"/patients/{patient.pk}/")
    queue = physio_client.get("/alerts/")

    message = "Session of 60 minutes, above the clearance&#x27;s longest session of 45 minutes."
    assert message in record.text
    assert message in queue.text
    assert record.text.count(">Beyond the clearance</span>") == 2  # the alert and its session


@time_machine.travel(NOW, tick=False)
def test_caseload_puts_danger_first_then_over_clearance_before_the_quiet(physio, patient, plan):
    danger = make_patient(care_team=[physio], user__last_name="Zed")
    quiet = make_patient(care_team=[physio], user__last_name="Aaron")
    for someone in (danger, quiet):
        with time_machine.travel(NOW, tick=False):
            other_plan = make_active_plan(someone, max_session_minutes=45)
        SessionLogFactory(plan=other_plan, date=TODAY - dt.timedelta(days=1))
    SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=1))
    Alert.objects.create(patient=danger, kind=AlertKind.DANGER_SIGN, message="Slurred speech.")
    log_session(patient=patient, plan=plan, entry=entry(minutes=60))

    team = User.objects.filter(pk__in=[danger.pk, quiet.pk, patient.pk])
    patients = list(sorted_caseload(team, today=TODAY))
    rows = build_rows(patients, today=TODAY)

    assert [(r.patient, r.reason) for r in rows][:2] == [
        (danger, "Danger sign"),
        (patient, "Beyond the clearance"),
    ]
    assert rows[1].alerts == ["Beyond the clearance"]


def test_over_clearance_alert_can_be_acknowledged_without_a_note(patient, plan, physio):
    with time_machine.travel(NOW, tick=False):
        log_session(patient=patient, plan=plan, entry=entry(minutes=60))
    alert = Alert.objects.get()

    response = client_for(physio).post(f"/alerts/{alert.pk}/acknowledge/", {"outcome": "done"})

    assert response.status_code in (200, 302)
    alert.refresh_from_db()
    assert alert.acknowledged_by == physio


def test_over_clearance_note_names_todays_stricter_limit_as_what_to_keep_to():
    note = over_clearance_note([Breach("minutes", 50, 45, limit_now=40)])

    assert note == (
        "This session was 50 minutes; your doctor's clearance on that day allowed at most 45 "
        "minutes at a time, and your clearance now allows at most 40. Your care team has been "
        "told; keep to 40 minutes until they say otherwise."
    )


def test_over_clearance_note_heart_rate_names_todays_limit():
    note = over_clearance_note([Breach("heart_rate", 130, 120, "highest", limit_now=110)])

    assert note == (
        "Your highest heart rate was 130 beats per minute; your doctor's clearance on that day "
        "allowed at most 120, and your clearance now allows at most 110. Your care team has "
        "been told; keep your heart rate to 110 or below until they say otherwise."
    )


def test_over_clearance_note_both_with_only_the_minutes_changed_names_both_now():
    note = over_clearance_note(
        [Breach("minutes", 50, 45, limit_now=40), Breach("heart_rate", 130, 120, "highest")]
    )

    assert note == (
        "This session was 50 minutes, and your highest heart rate was 130 beats per minute; "
        "your doctor's clearance on that day allowed at most 45 minutes at a time and a heart "
        "rate of 120, and your clearance now allows at most 40 minutes and a heart rate of 120. "
        "Your care team has been told; keep within these limits until they say otherwise."
    )


@time_machine.travel(NOW, tick=False)
def test_edit_view_yesterdays_session_is_checked_against_its_day_but_told_todays_limit(
    patient_client, patient, plan
):
    # Today a new, stricter clearance of 40 minutes replaced the 45-minute one.
    plan.starts_on = TODAY - dt.timedelta(days=7)
    plan.save()
    yesterday = TODAY - dt.timedelta(days=1)
    session = SessionLogFactory(plan=plan, date=yesterday, minutes=30)
    stricter = ClearanceFactory(
        patient=patient, cleared_on=TODAY, max_session_minutes=40, max_heart_rate=120
    )
    apply_new_clearance(clearance=stricter, by=plan.created_by)
    data = form_data(minutes="50", date=yesterday.isoformat())
    del data["request_key"], data["no_danger_signs"]

    response = patient_client.post(f"/sessions/{session.pk}/edit/", data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Session updated. This session was 50 minutes; your doctor's clearance on that day "
        "allowed at most 45 minutes at a time, and your clearance now allows at most 40. Your "
        "care team has been told; keep to 40 minutes until they say otherwise."
    ]
    assert [message for _, message, _ in alerts_of(patient)] == [
        "Session of 50 minutes, above the clearance's longest session of 45 minutes."
    ]


@time_machine.travel(NOW, tick=False)
def test_log_view_yesterdays_session_over_its_day_is_told_todays_limit(
    patient_client, patient, plan
):
    plan.starts_on = TODAY - dt.timedelta(days=7)
    plan.save()
    stricter = ClearanceFactory(
        patient=patient, cleared_on=TODAY, max_session_minutes=40, max_heart_rate=120
    )
    apply_new_clearance(clearance=stricter, by=plan.created_by)
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()

    response = patient_client.post("/log/", form_data(minutes="50", date=yesterday), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Saved. This session was 50 minutes; your doctor's clearance on that day allowed at "
        "most 45 minutes at a time, and your clearance now allows at most 40. Your care team "
        "has been told; keep to 40 minutes until they say otherwise."
    ]
