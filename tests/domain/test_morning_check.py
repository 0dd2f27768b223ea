"""The pain model's next-morning check: Today asks how the pain is the morning after a
session, one tap saves it, and pain that has not settled opens a pain alert that holds the
plan's progression."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import SessionLogFactory, activity, log_week, make_active_plan
from tracker.domain.morning_check import (
    MorningCheckRefused,
    answer_next_morning,
    session_to_ask_about,
)
from tracker.models import Alert, AlertKind, AuditAction, AuditEvent, SessionLog
from tracker.queries.history import holds_of
from tracker.rules.plans import ALERT_REASON, week_of_plan
from tracker.rules.safety import next_morning_pain_alert, session_noun

pytestmark = pytest.mark.django_db

# Wednesday 2 December 2026, 08:00 in London: the morning after Tuesday 1 December.
MORNING = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
YESTERDAY = dt.date(2026, 12, 1)
HTMX = {"HX-Request": "true"}
QUESTION = "How is the pain this morning?"


@pytest.fixture(autouse=True)
def morning():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = YESTERDAY - dt.timedelta(weeks=2)
    plan.save()
    return plan


@pytest.fixture
def walk(plan):
    """Yesterday's 30-minute walk, pain 2 before it and 3 after."""
    return SessionLogFactory(plan=plan, date=YESTERDAY, minutes=30, pain_before=2, pain_after=3)


def answer(client, session, pain, **kwargs):
    return client.post(f"/sessions/{session.pk}/next-morning/", {"pain": pain}, **kwargs)


# The rule ---------------------------------------------------------------------------------


def test_rule_pain_above_the_level_before_opens_a_pain_alert():
    spec = next_morning_pain_alert(
        activity="Walking", day=YESTERDAY, pain_before=2, pain_next_morning=6
    )

    assert (spec.kind, spec.message) == (
        AlertKind.PAIN,
        "Pain the morning after the walk on 1 December was 6/10; before the session it was 2/10.",
    )


@pytest.mark.parametrize(("before", "morning_pain"), [(2, 2), (3, 0), (0, 0), (10, 10)])
def test_rule_pain_settled_back_opens_nothing(before, morning_pain):
    assert (
        next_morning_pain_alert(
            activity="Walking", day=YESTERDAY, pain_before=before, pain_next_morning=morning_pain
        )
        is None
    )


@pytest.mark.parametrize(("before", "morning_pain"), [(2, 3), (0, 1), (9, 10)])
def test_rule_one_point_above_the_level_before_is_enough(before, morning_pain):
    spec = next_morning_pain_alert(
        activity="Swimming", day=YESTERDAY, pain_before=before, pain_next_morning=morning_pain
    )

    assert spec is not None and spec.kind == AlertKind.PAIN


@pytest.mark.parametrize(
    ("name", "noun"),
    [
        ("Walking", "walk"),
        ("Swimming", "swim"),
        ("Jogging", "jog"),
        ("Water walking", "water walk"),
        ("Cycling", "cycling session"),
    ],
)
def test_session_noun_names_the_session_as_a_person_would(name, noun):
    assert session_noun(name) == noun


# Today asks -------------------------------------------------------------------------------


def test_today_asks_first_on_the_morning_after_and_names_the_session(patient_client, walk):
    response = patient_client.get("/today/")

    text = response.text
    assert response.context["morning_check"] == walk
    assert QUESTION in text
    assert "After yesterday's 30-minute walk" in text
    # First on the page: before the log button and this week's figures.
    assert text.index(QUESTION) < text.index("Log a session</a>")
    assert [b for b in range(11) if f'name="pain" value="{b}"' in text] == list(range(11))


def test_today_asks_below_a_danger_report(patient_client, patient, walk):
    from tracker.domain.logbook import report_danger

    report_danger(patient=patient, signs=["vision"])

    text = patient_client.get("/today/").text

    assert text.index("Your danger-sign report") < text.index(QUESTION)


def test_today_does_not_ask_on_the_day_of_the_session(patient_client, plan, morning):
    SessionLogFactory(plan=plan, date=dt.date(2026, 12, 2))

    response = patient_client.get("/today/")

    assert (response.context["morning_check"], QUESTION in response.text) == (None, False)


def test_today_does_not_ask_two_days_after(patient, walk, morning):
    morning.move_to(MORNING + dt.timedelta(days=1))

    response = client_for(patient).get("/today/")

    assert (response.context["morning_check"], QUESTION in response.text) == (None, False)


def test_today_does_not_ask_once_answered(patient_client, walk):
    walk.pain_next_morning = 1
    walk.pain_next_morning_at = timezone.now()
    walk.save()

    response = patient_client.get("/today/")

    assert (response.context["morning_check"], QUESTION in response.text) == (None, False)


def test_today_does_not_ask_about_a_deleted_session(patient_client, walk):
    SessionLog.objects.filter(pk=walk.pk).update(deleted_at=timezone.now())

    assert QUESTION not in patient_client.get("/today/").text


def test_today_asks_about_the_latest_of_yesterdays_sessions_once(patient_client, plan, walk):
    swim = SessionLogFactory(
        plan=plan, date=YESTERDAY, activity=activity("Swimming"), minutes=20, pain_before=1
    )

    assert session_to_ask_about(plan.patient, timezone.localdate()) == swim
    answer(patient_client, swim, 1)
    assert session_to_ask_about(plan.patient, timezone.localdate()) is None


def test_today_does_not_ask_about_another_patients_session(patient_client, other_patient):
    other_plan = make_active_plan(other_patient)
    SessionLogFactory(plan=other_plan, date=YESTERDAY)

    assert QUESTION not in patient_client.get("/today/").text


@pytest.mark.parametrize("count", [1, 12])
def test_today_query_count_does_not_grow_with_sessions(
    patient_client, plan, django_assert_num_queries, count
):
    log_week(plan, 0, 3)
    log_week(plan, 1, 3)
    for _ in range(count):
        SessionLogFactory(plan=plan, date=YESTERDAY, minutes=30, pain_before=2)
    patient_client.get("/today/")  # settles the session

    # Today as before (with the functional scale's last rating), and one query for
    # yesterday's sessions, however many there are.
    with django_assert_num_queries(15):
        response = patient_client.get("/today/")

    assert response.context["morning_check"] is not None


# One tap saves ----------------------------------------------------------------------------


def test_one_tap_saves_and_thanks_and_the_question_goes(patient_client, patient, walk):
    response = answer(patient_client, walk, 2, follow=True)

    walk.refresh_from_db()
    assert (walk.pain_next_morning, walk.pain_next_morning_at) == (2, MORNING)
    assert response.redirect_chain == [("/today/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Thank you. Pain this morning: 2/10."]
    assert QUESTION not in response.text
    assert list(
        AuditEvent.objects.filter(patient=patient).values_list("actor", "action", "what")
    ) == [(patient.pk, AuditAction.CHANGE, "next-morning pain")]


def test_one_tap_with_htmx_thanks_in_place(patient_client, walk):
    response = answer(patient_client, walk, 2, headers=HTMX)

    walk.refresh_from_db()
    assert walk.pain_next_morning == 2
    assert "<html" not in response.text  # the region only, swapped in place
    assert "Thank you. Pain this morning: 2/10." in response.text
    assert QUESTION not in response.text
    assert "HX-Request" in response["Vary"]


def test_double_submit_saves_once(patient_client, patient, walk, morning):
    answer(patient_client, walk, 4)
    morning.shift(dt.timedelta(seconds=2))

    response = answer(patient_client, walk, 4, follow=True)

    walk.refresh_from_db()
    assert (walk.pain_next_morning, walk.pain_next_morning_at) == (4, MORNING)
    assert AuditEvent.objects.filter(patient=patient, what="next-morning pain").count() == 1
    assert Alert.objects.filter(patient=patient).count() == 1
    assert response.status_code == 200


def test_second_answer_the_same_morning_corrects_it(patient_client, patient, walk, morning):
    answer(patient_client, walk, 5)
    morning.shift(dt.timedelta(minutes=3))

    answer(patient_client, walk, 1)

    walk.refresh_from_db()
    alert = Alert.objects.get(patient=patient)
    assert (walk.pain_next_morning, walk.pain_next_morning_at) == (
        1,
        MORNING + dt.timedelta(minutes=3),
    )
    assert AuditEvent.objects.filter(patient=patient, what="next-morning pain").count() == 2
    # The alert already opened stays for the care team, saying what changed.
    assert alert.message == (
        "Pain the morning after the walk on 1 December was 1/10; before the session it was "
        "2/10. Corrected the same morning from a higher answer."
    )


# The alert and the hold -------------------------------------------------------------------


def test_pain_above_the_level_before_opens_a_pain_alert(patient_client, patient, walk):
    answer(patient_client, walk, 3)

    assert list(Alert.objects.open().values_list("kind", "message", "session")) == [
        (
            AlertKind.PAIN,
            "Pain the morning after the walk on 1 December was 3/10; "
            "before the session it was 2/10.",
            walk.pk,
        )
    ]


def test_pain_back_to_the_level_before_opens_nothing(patient_client, walk):
    answer(patient_client, walk, 2)

    assert Alert.objects.count() == 0


def test_patient_is_told_the_care_team_will_look_at_unsettled_pain(patient_client, walk):
    response = answer(patient_client, walk, 6, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Thank you. Pain this morning: 6/10. It has not settled back to where it was before "
        "the session (2/10), so your care team will look at it, and your targets will not go "
        "up until they have. Follow your care team's advice; if you are worried, contact them."
    ]


def test_unsettled_pain_holds_progression(patient_client, plan, walk, morning):
    log_week(plan, 2, 3)  # the plan week under way was kept: only the alert can hold it
    next_week = plan.starts_on + dt.timedelta(weeks=3)

    answer(patient_client, walk, 5)
    morning.move_to(dt.datetime.combine(next_week, dt.time(9), tzinfo=dt.UTC))
    holds = holds_of([plan], today=next_week, supervised=False)[plan.pk]
    today = client_for(plan.patient).get("/today/")  # signed in again after a week

    week = week_of_plan(plan, next_week)
    assert (holds.held[week], holds.reasons) == (True, (ALERT_REASON,))
    assert ALERT_REASON in today.text


def test_settled_pain_does_not_hold_progression(patient_client, plan, walk):
    log_week(plan, 2, 3)
    next_week = plan.starts_on + dt.timedelta(weeks=3)

    answer(patient_client, walk, 1)
    holds = holds_of([plan], today=next_week, supervised=False)[plan.pk]

    assert (holds.held[week_of_plan(plan, next_week)], holds.reasons) == (False, ())


# Refusals ---------------------------------------------------------------------------------


def test_another_patients_session_is_refused(other_patient, walk):
    response = answer(client_for(other_patient), walk, 3)

    walk.refresh_from_db()
    assert (response.status_code, walk.pain_next_morning, Alert.objects.count()) == (404, None, 0)


def test_the_care_team_cannot_answer_for_the_patient(physio_client, walk):
    response = answer(physio_client, walk, 3)

    walk.refresh_from_db()
    assert (response.status_code, walk.pain_next_morning) == (403, None)


def test_a_deleted_session_is_refused_with_a_message(patient_client, walk):
    SessionLog.objects.filter(pk=walk.pk).update(deleted_at=timezone.now())

    response = answer(patient_client, walk, 3, follow=True)

    walk.refresh_from_db()
    assert walk.pain_next_morning is None
    assert response.redirect_chain == [("/today/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "That session was deleted, so there is nothing to answer about it."
    ]


@pytest.mark.parametrize("days_ago", [0, 2, 9])
def test_a_session_not_from_yesterday_is_refused_with_a_message(patient_client, plan, days_ago):
    session = SessionLogFactory(plan=plan, date=dt.date(2026, 12, 2) - dt.timedelta(days=days_ago))

    response = answer(patient_client, session, 3, follow=True)

    session.refresh_from_db()
    assert session.pain_next_morning is None
    assert [str(m) for m in response.context["messages"]] == [
        "The morning question is only about yesterday's session, so this answer was not saved."
    ]


def test_a_refusal_with_htmx_says_so_in_place(patient_client, plan):
    session = SessionLogFactory(plan=plan, date=dt.date(2026, 11, 28))

    response = answer(patient_client, session, 3, headers=HTMX)

    assert response.status_code == 200
    assert (
        "The morning question is only about yesterday&#x27;s session, so this answer was not "
        "saved." in response.text
    )


@pytest.mark.parametrize("pain", ["", "11", "-1", "four"])
def test_a_number_outside_0_to_10_comes_back_at_the_field(patient_client, walk, pain):
    response = answer(patient_client, walk, pain)

    walk.refresh_from_db()
    assert walk.pain_next_morning is None
    assert response.status_code == 200
    assert response.context["morning_form"].errors == {"pain": ["Choose a number from 0 to 10."]}
    assert QUESTION in response.text
    assert "Choose a number from 0 to 10." in response.text


def test_the_write_itself_refuses_someone_elses_session(other_patient, walk):
    with pytest.raises(MorningCheckRefused):
        answer_next_morning(by=other_patient, session=walk, pain=3, today=dt.date(2026, 12, 2))

    walk.refresh_from_db()
    assert walk.pain_next_morning is None


# Beside the session -----------------------------------------------------------------------


def test_history_shows_the_next_morning_pain(patient_client, walk):
    answer(patient_client, walk, 4)

    assert "Next morning: 4/10" in patient_client.get("/history/").text


def test_record_shows_the_next_morning_pain(patient_client, physio_client, patient, walk):
    answer(patient_client, walk, 4)

    assert "Next morning: 4/10" in physio_client.get(f"/patients/{patient.pk}/").text


def test_history_shows_nothing_before_an_answer(patient_client, walk):
    assert "Next morning" not in patient_client.get("/history/").text
