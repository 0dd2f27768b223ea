"""Logging a session in the browser's forms: every refusal in words, danger signs first."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tests.conftest import sign_in_verified
from tests.factories import (
    ActivityFactory,
    SessionLogFactory,
    activity,
    log_form,
    log_week,
    make_active_plan,
    make_patient,
)
from tracker.domain.logbook import report_danger
from tracker.models import (
    Alert,
    AlertKind,
    Clearance,
    DangerReport,
    PlanStatus,
    SessionLog,
    SessionRevision,
)

pytestmark = pytest.mark.django_db
NOTE_TOO_LONG = "This note is 2,001 characters; the most is 2,000. Shorten it and save again."

HTMX = {"HX-Request": "true"}


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


def form_data(**overrides) -> dict:
    return log_form(**{"start_time": "", "distance": "1.5", "notes": "Felt good."} | overrides)


def test_log_page_starts_with_todays_target_for_the_first_activity(patient_client, plan):
    response = patient_client.get("/log/")

    form = response.context["form"]
    assert form["activity"].value() == activity("Walking").pk
    assert form["minutes"].value() == 10
    assert form["date"].value() == timezone.localdate()


def test_valid_session_is_saved_and_patient_goes_home(patient_client, patient, plan):
    response = patient_client.post("/log/", form_data(), follow=True)

    assert response.redirect_chain == [("/today/", 302)]
    session = SessionLog.objects.get()
    assert (session.patient, session.plan, session.minutes, session.distance_m) == (
        patient,
        plan,
        20,
        1500,
    )
    assert [str(m) for m in response.context["messages"]] == ["Session saved. Well done."]


def test_a_session_with_strong_pain_is_not_praised_and_says_the_team_knows(patient_client, plan):
    response = patient_client.post("/log/", form_data(pain_after="7"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Session saved. Your care team has been told about the pain you reported "
        "and will look at it."
    ]


def test_distance_in_miles_is_stored_in_metres(patient_client, plan):
    patient_client.post("/log/", form_data(distance="2", distance_unit="mi"))

    assert SessionLog.objects.get().distance_m == 3219


def test_same_form_submitted_twice_saves_one_session(patient_client, plan):
    data = form_data()

    patient_client.post("/log/", data)
    second = patient_client.post("/log/", data)

    assert second.status_code == 302
    assert SessionLog.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"minutes": "0"}, "minutes", "Minutes must be at least 1."),
        (
            {"minutes": "999"},
            "minutes",
            "Minutes can be at most 300. Split a longer day into separate sessions.",
        ),
        ({"minutes": "twenty"}, "minutes", "Enter the minutes as a whole number, such as 20."),
        ({"minutes": ""}, "minutes", "Enter how many minutes you exercised."),
        ({"effort": None}, "effort", "Choose how hard it felt, from 6 to 20."),
        ({"effort": "25"}, "effort", "Choose how hard it felt, from 6 to 20."),
        (
            {"pain_after": "11"},
            "pain_after",
            "Choose your pain after, from 0 (none) to 10 (worst).",
        ),
        ({"date": "2999-01-01"}, "date", "The date cannot be in the future."),
        ({"date": "yesterday"}, "date", "Enter a date, for example 21/11/2026."),
        ({"distance": "-3"}, "distance", "Enter a distance above 0, or leave it empty."),
        ({"distance": "5000"}, "distance", "That distance is too long to be right; check it."),
        ({"start_time": "25:99"}, "start_time", "Enter a time such as 09:30, or leave it empty."),
        (
            {"activity": "999999"},
            "activity",
            "That activity is not in the list; choose one of yours.",
        ),
        (
            {"no_danger_signs": None},
            "danger_signs",
            "Answer this question: tick what you have right now, or “No, none of these”.",
        ),
        ({"notes": "x" * 2001}, "notes", NOTE_TOO_LONG),
    ],
)
def test_bad_input_comes_back_with_a_message_at_the_field_and_values_kept(
    patient_client, plan, overrides, field, message
):
    data = form_data(**overrides)

    response = patient_client.post("/log/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert form["notes"].value() == data.get("notes")
    assert SessionLog.objects.count() == 0


def test_date_before_the_plan_started_is_refused(patient_client, plan):
    plan.starts_on = timezone.localdate() - dt.timedelta(days=3)
    plan.save()
    day = plan.starts_on - dt.timedelta(days=1)

    response = patient_client.post("/log/", form_data(date=day.isoformat()))

    assert response.context["form"].errors["date"] == [
        f"Your plan started on {plan.starts_on:%-d %B}; sessions before then cannot be logged here."
    ]


def test_date_more_than_a_week_back_is_refused(patient_client, plan):
    plan.starts_on = timezone.localdate() - dt.timedelta(days=30)
    plan.save()
    day = timezone.localdate() - dt.timedelta(days=8)

    response = patient_client.post("/log/", form_data(date=day.isoformat()))

    assert response.context["form"].errors["date"] == [
        "Sessions can be logged up to 7 days back. For older ones, tell Maya Lindqvist."
    ]


def test_activity_the_clearance_does_not_allow_is_refused_with_who_to_ask(patient_client, plan):
    response = patient_client.post("/log/", form_data(activity=activity("Jogging").pk))

    assert response.context["form"].errors["activity"] == [
        "Your physician's clearance does not include jogging, so it cannot be logged. "
        "Please do not try it before you have asked Maya Lindqvist."
    ]
    assert SessionLog.objects.count() == 0


def test_activity_no_longer_offered_is_refused(patient_client, plan):
    retired = ActivityFactory(name="Rowing", is_active=False)
    plan.clearance.activities.add(retired)

    response = patient_client.post("/log/", form_data(activity=retired.pk))

    assert response.context["form"].errors["activity"] == [
        "Rowing is no longer offered. Choose another activity, or ask Maya Lindqvist."
    ]


def test_expired_clearance_refuses_logging_and_says_who_to_ask(patient_client, plan):
    Clearance.objects.filter(pk=plan.clearance_id).update(
        cleared_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 2, 1)
    )

    response = patient_client.post("/log/", form_data())

    assert response.context["form"].non_field_errors() == [
        "The physician's clearance ran out on 1 February 2025. A new clearance must be "
        "recorded first. Ask Maya Lindqvist before you exercise."
    ]
    assert SessionLog.objects.count() == 0


def test_paused_plan_shows_why_and_saves_nothing(patient_client, plan):
    plan.status = PlanStatus.PAUSED
    plan.save()

    page = patient_client.get("/log/")
    posted = patient_client.post("/log/", form_data())

    assert page.context["form"] is None
    assert "Your physiotherapist paused your plan." in page.text
    assert "sessions cannot be logged" in page.text
    assert posted.status_code == 200
    assert SessionLog.objects.count() == 0


# Danger signs ------------------------------------------------------------------------


def test_danger_sign_saves_the_session_and_shows_the_urgent_screen(
    patient_client, patient, plan, settings
):
    settings.EMERGENCY_NUMBER = "999"

    response = patient_client.post(
        "/log/", form_data(no_danger_signs=None, danger_signs=["slurred_speech"])
    )

    assert response.status_code == 200
    assert "Stop exercising and get urgent medical help now" in response.text
    assert '<a href="tel:999" class="urgent-button">Call 999</a>' in response.text
    session = SessionLog.objects.get()
    report = DangerReport.objects.get()
    assert report.session == session
    alert = Alert.objects.get(kind=AlertKind.DANGER_SIGN)
    assert (alert.patient, alert.session, alert.is_open) == (patient, session, True)
    assert alert.message == "Reported danger signs: slurred speech."


def test_danger_sign_on_a_form_with_mistakes_shows_the_urgent_screen_not_the_mistakes(
    patient_client, patient, plan
):
    data = form_data(no_danger_signs=None, danger_signs=["severe_headache"], minutes="")

    response = patient_client.post("/log/", data)

    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert "Stop exercising and get urgent medical help now" in response.text
    assert "Enter how many minutes" not in response.text
    assert "finish this session later" in response.text
    assert SessionLog.objects.count() == 0
    # What the patient wrote is kept with the report.
    assert DangerReport.objects.get().notes == "Felt good."
    assert Alert.objects.filter(kind=AlertKind.DANGER_SIGN).count() == 1


def test_danger_sign_on_a_whole_form_saves_the_session_with_the_report(patient_client, plan):
    response = patient_client.post(
        "/log/", form_data(no_danger_signs=None, danger_signs=["vision"])
    )

    assert "Stop exercising and get urgent medical help now" in response.text
    assert "finish this session later" not in response.text
    assert DangerReport.objects.get().session == SessionLog.objects.get()


def test_danger_sign_and_none_of_these_both_ticked_still_escalates(patient_client, plan):
    response = patient_client.post("/log/", form_data(danger_signs=["paralysis"]))

    assert "Stop exercising and get urgent medical help now" in response.text
    assert Alert.objects.filter(kind=AlertKind.DANGER_SIGN).count() == 1
    assert "Untick the one that is wrong" not in response.text


def test_danger_sign_is_escalated_even_when_the_clearance_has_lapsed(patient_client, plan):
    Clearance.objects.filter(pk=plan.clearance_id).update(
        cleared_on=dt.date(2025, 1, 1), valid_until=dt.date(2025, 2, 1)
    )

    response = patient_client.post(
        "/log/", form_data(no_danger_signs=None, danger_signs=["vision"])
    )

    assert "Stop exercising and get urgent medical help now" in response.text
    assert Alert.objects.filter(kind=AlertKind.DANGER_SIGN).count() == 1


def test_danger_sign_reported_without_a_session(patient_client, patient):
    response = patient_client.post(
        "/report-danger/",
        {"request_key": str(uuid.uuid4()), "danger_signs": ["alertness"], "notes": "Fainted."},
    )

    assert "Stop exercising and get urgent medical help now" in response.text
    report = DangerReport.objects.get()
    assert (report.patient, report.session, report.notes) == (patient, None, "Fainted.")
    assert Alert.objects.get().kind == AlertKind.DANGER_SIGN


def test_danger_report_without_a_sign_asks_for_one(patient_client):
    response = patient_client.post("/report-danger/", {"danger_signs": []})

    assert response.context["form"].errors["danger_signs"] == [
        "Tick at least one sign. If you are unsure, call for help anyway."
    ]
    assert DangerReport.objects.count() == 0
    # The group of signs is described by the message, so a screen reader says why.
    assert '<fieldset aria-describedby="id_danger_signs_error">' in response.text


def test_danger_report_is_open_to_a_patient_without_a_plan(patient_client):
    assert patient_client.get("/report-danger/").status_code == 200


def test_live_check_returns_only_that_fields_errors(patient_client, plan):
    response = patient_client.post(
        "/log/check/", form_data(minutes="0"), headers={**HTMX, "HX-Trigger-Name": "minutes"}
    )

    assert response.text.strip() == (
        '<ul class="errorlist"><li>Minutes must be at least 1.</li></ul>'
    )


# History, edit and delete ------------------------------------------------------------


def test_history_lists_only_my_sessions_newest_first(patient_client, plan, other_patient):
    older = SessionLogFactory(plan=plan, date=timezone.localdate() - dt.timedelta(days=2))
    newer = SessionLogFactory(plan=plan)
    SessionLogFactory(plan=make_active_plan(other_patient))

    response = patient_client.get("/history/")

    assert list(response.context["page"]) == [newer, older]


def test_history_filters_by_activity_and_month(patient_client, plan):
    plan.clearance.activities.add(activity("Swimming"))
    swim = SessionLogFactory(plan=plan, activity=activity("Swimming"))
    SessionLogFactory(plan=plan)
    month = timezone.localdate().strftime("%Y-%m")

    response = patient_client.get(
        "/history/", {"activity": activity("Swimming").pk, "month": month}
    )

    assert list(response.context["page"]) == [swim]


@pytest.mark.parametrize("count", [1, 45])
def test_history_query_count_does_not_grow_with_sessions(
    patient_client, plan, django_assert_num_queries, count
):
    for _ in range(count):
        SessionLogFactory(plan=plan)

    # session, user, count, page, activity filter, the months with sessions; the comments
    # beside the sessions and their replies
    with django_assert_num_queries(8):
        response = patient_client.get("/history/")

    assert len(response.context["page"]) == min(count, 20)


def test_editing_a_session_keeps_what_it_was(patient_client, patient, plan):
    session = SessionLogFactory(plan=plan, minutes=20)

    response = patient_client.post(f"/sessions/{session.pk}/edit/", form_data(minutes="25"))

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.minutes == 25
    revision = SessionRevision.objects.get()
    assert (revision.action, revision.changed_by, revision.before["minutes"]) == (
        "edited",
        patient,
        20,
    )


def test_session_older_than_a_week_cannot_be_changed(patient_client, plan):
    session = SessionLogFactory(plan=plan)
    SessionLog.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )

    response = patient_client.post(
        f"/sessions/{session.pk}/edit/", form_data(minutes="25"), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Sessions can be changed for 7 days after logging. Ask your physiotherapist to "
        "correct an older one."
    ]
    session.refresh_from_db()
    assert session.minutes == 20


def test_someone_elses_session_cannot_be_changed_or_deleted(client, plan, physio):
    session = SessionLogFactory(plan=plan)
    stranger = make_patient(care_team=[physio])
    sign_in_verified(client, stranger)

    assert client.post(f"/sessions/{session.pk}/edit/", form_data()).status_code == 404
    assert client.post(f"/sessions/{session.pk}/delete/").status_code == 404
    sign_in_verified(client, physio)
    assert client.post(f"/sessions/{session.pk}/delete/").status_code == 403
    assert SessionLog.objects.current().count() == 1


def test_deleting_a_session_twice_deletes_it_once(patient_client, plan):
    session = SessionLogFactory(plan=plan)

    first = patient_client.post(f"/sessions/{session.pk}/delete/")
    second = patient_client.post(f"/sessions/{session.pk}/delete/")

    assert (first.status_code, second.status_code) == (302, 302)
    assert SessionLog.objects.current().count() == 0
    assert SessionRevision.objects.filter(action="deleted").count() == 1


# The care team's side ----------------------------------------------------------------


def test_physio_acknowledges_an_alert_in_place(physio_client, physio, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 7/10.")

    response = physio_client.post(
        f"/alerts/{alert.pk}/acknowledge/", {"note": "Called her; rest two days."}, headers=HTMX
    )

    assert response.status_code == 200
    assert "Acknowledged by Maya Lindqvist" in response.text
    assert "“Called her; rest two days.”" in response.text
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (
        physio,
        "Called her; rest two days.",
    )


def test_acknowledging_in_the_queue_stays_in_the_queue_and_updates_its_count(
    physio_client, patient
):
    first, second = (
        Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message=f"Pain {n}/10.")
        for n in (7, 8)
    )

    in_place = physio_client.post(
        f"/alerts/{first.pk}/acknowledge/", {"note": "", "show_patient": "1"}, headers=HTMX
    )
    without_htmx = physio_client.post(
        f"/alerts/{second.pk}/acknowledge/", {"note": "", "show_patient": "1"}
    )

    # In place: the patient's name stays on the item, the heading's count follows, and a
    # screen reader hears what happened.
    assert patient.display_name in in_place.text
    assert '<span id="open-count" hx-swap-oob="true">1 open</span>' in in_place.text
    assert '<div id="announcer" hx-swap-oob="innerHTML">Alert acknowledged.</div>' in (
        in_place.text
    )
    # As a whole page: back to the queue, not to the patient's record.
    assert without_htmx.status_code == 302
    assert without_htmx["Location"] == "/alerts/"


def test_alert_of_another_team_cannot_be_acknowledged(client, other_physio, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 7/10.")
    sign_in_verified(client, other_physio)

    assert client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "x"}).status_code == 404
    alert.refresh_from_db()
    assert alert.is_open


def test_record_shows_open_alerts_first_and_sessions(physio_client, patient, plan):
    SessionLogFactory(plan=plan, minutes=33)
    Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Slurred speech.")

    response = physio_client.get(f"/patients/{patient.pk}/")

    assert [a.message for a in response.context["open_alerts"]] == ["Slurred speech."]
    assert "33 min" in response.text


def test_patient_cannot_acknowledge_alerts(patient_client, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 7/10.")

    assert patient_client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403


@pytest.mark.parametrize("weeks", [1, 10])
def test_patient_home_and_plan_query_counts_do_not_grow_with_sessions(
    patient_client, plan, django_assert_num_queries, weeks
):
    plan.starts_on = timezone.localdate() - dt.timedelta(weeks=weeks)
    plan.save()
    for week in range(weeks):
        log_week(plan, week, 4)
    Alert.objects.create(patient=plan.patient, kind=AlertKind.PAIN, message="Pain 6/10.")
    report_danger(patient=plan.patient, signs=["vision"])

    # Today also reads the latest danger report, and to whom it was e-mailed, and yesterday's
    # sessions for the next-morning question, and the functional scale's last rating. Both
    # read the latest change a newer clearance made to the plan.
    with django_assert_num_queries(16):
        home = patient_client.get("/today/")
    with django_assert_num_queries(11):
        patient_client.get("/plan/")

    assert home.context["progress"].target_sessions == 3


def test_alert_queue_lists_my_patients_open_alerts_oldest_first(
    physio_client, physio, patient, other_patient
):
    newer = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 7/10.")
    older = Alert.objects.create(patient=patient, kind=AlertKind.EFFORT, message="Effort 17.")
    Alert.objects.filter(pk=older.pk).update(opened_at=timezone.now() - dt.timedelta(days=2))
    Alert.objects.create(patient=other_patient, kind=AlertKind.PAIN, message="Not mine.")
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.PAIN,
        message="Done.",
        acknowledged_at=timezone.now(),
        acknowledged_by=physio,
    )

    response = physio_client.get("/alerts/")

    assert response.context["alerts"] == [older, newer]


def test_care_team_sees_what_the_patient_wrote_with_a_danger_report(
    patient_client, physio_client, patient
):
    patient_client.post(
        "/report-danger/",
        {"request_key": str(uuid.uuid4()), "danger_signs": ["vision"], "notes": "Left eye blurry."},
    )

    record = physio_client.get(f"/patients/{patient.pk}/")
    queue = physio_client.get("/alerts/")

    assert "The patient added: “Left eye blurry.”" in record.text
    assert "The patient added: “Left eye blurry.”" in queue.text
