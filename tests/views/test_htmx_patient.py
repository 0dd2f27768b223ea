"""The patient's pages on the one htmx path (tracker/views/htmx.py): marking feedback read and
answering the next-morning question swap their region for an htmx request and redirect with a
message otherwise; a boosted request or a history restore gets what a plain one does; every
answer says it varies on HX-Request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils.cache import has_vary_header

from tests.factories import SessionLogFactory, make_active_plan
from tests.htmx import BOOSTED, HISTORY_RESTORE, HTMX
from tracker.domain.feedback import add_comment
from tracker.models import SessionLog

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday morning
YESTERDAY = dt.date(2026, 12, 1)
THANKS = "Thank you. Pain this morning: 2/10."


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = YESTERDAY - dt.timedelta(weeks=2)
    plan.save()
    return plan


@pytest.fixture
def walk(plan) -> SessionLog:
    """Yesterday's walk, which Today asks about this morning."""
    return SessionLogFactory(plan=plan, date=YESTERDAY, pain_before=2, pain_after=3)


@pytest.fixture
def comment(physio, patient, walk):
    made, _ = add_comment(patient=patient, author=physio, text="Good pacing.", session=walk)
    return made


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def read(client, comment, headers=None):
    return client.post(f"/comments/{comment.pk}/read/", headers=headers or {})


def answer(client, session, pain, headers=None):
    return client.post(
        f"/sessions/{session.pk}/next-morning/", {"pain": pain}, headers=headers or {}
    )


# Marking feedback read --------------------------------------------------------------------


def test_mark_read_plain_post_redirects_to_today_with_the_message(patient_client, comment):
    response = read(patient_client, comment)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == ["Marked as read."]
    assert has_vary_header(response, "HX-Request") is True


def test_mark_read_htmx_post_swaps_the_feedback_region(patient_client, comment):
    response = read(patient_client, comment, HTMX)

    assert response.status_code == 200
    assert response.templates[0].name == "feedback"
    assert "<html" not in response.text
    assert "Marked as read." in response.text
    assert has_vary_header(response, "HX-Request") is True


def test_mark_read_boosted_post_is_answered_as_a_plain_one(patient_client, comment):
    response = read(patient_client, comment, BOOSTED)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == ["Marked as read."]
    assert has_vary_header(response, "HX-Request") is True


def test_mark_read_twice_plain_says_nothing_the_second_time(patient_client, comment):
    read(patient_client, comment)
    patient_client.get("/today/")  # shows the first message

    response = read(patient_client, comment)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == []
    assert has_vary_header(response, "HX-Request") is True


# The next-morning answer ------------------------------------------------------------------


def test_morning_answer_plain_post_redirects_to_today_with_the_thanks(patient_client, walk):
    response = answer(patient_client, walk, 2)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == [THANKS]
    assert has_vary_header(response, "HX-Request") is True


def test_morning_answer_htmx_post_swaps_the_question_for_the_thanks(patient_client, walk):
    response = answer(patient_client, walk, 2, HTMX)

    assert response.status_code == 200
    assert response.templates[0].name == "morning"
    assert "<html" not in response.text
    assert THANKS in response.text
    assert messages_of(response) == []
    assert has_vary_header(response, "HX-Request") is True


def test_morning_answer_boosted_post_is_answered_as_a_plain_one(patient_client, walk):
    response = answer(patient_client, walk, 2, BOOSTED)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == [THANKS]
    assert has_vary_header(response, "HX-Request") is True


def test_morning_answer_refused_plain_post_redirects_with_the_reason(patient_client, walk):
    SessionLog.objects.filter(pk=walk.pk).update(date=YESTERDAY - dt.timedelta(days=1))

    response = answer(patient_client, walk, 2)

    assert (response.status_code, response["Location"]) == (302, "/today/")
    assert messages_of(response) == [
        "The morning question is only about yesterday's session, so this answer was not saved."
    ]
    assert has_vary_header(response, "HX-Request") is True


def test_morning_answer_out_of_range_htmx_post_comes_back_in_its_region(patient_client, walk):
    response = answer(patient_client, walk, 11, HTMX)

    assert response.status_code == 200
    assert response.templates[0].name == "morning"
    assert "Choose a number from 0 to 10." in response.text
    assert has_vary_header(response, "HX-Request") is True


def test_morning_answer_out_of_range_boosted_post_gets_today_whole(patient_client, walk):
    response = answer(patient_client, walk, 11, BOOSTED)

    assert response.status_code == 200
    assert response.templates[0].name == "tracker/patient/home.html"
    assert "<html" in response.text
    assert "Choose a number from 0 to 10." in response.text
    assert has_vary_header(response, "HX-Request") is True


# History restore: Back into a page htmx changed asks for it whole --------------------------


def test_today_history_restore_gets_the_whole_page(patient_client, walk):
    response = patient_client.get("/today/", headers=HISTORY_RESTORE)

    assert response.status_code == 200
    assert response.templates[0].name == "tracker/patient/home.html"
    assert "<html" in response.text
    assert "How is the pain this morning?" in response.text
    assert has_vary_header(response, "HX-Request") is True


def test_log_form_history_restore_gets_the_whole_page(patient_client, plan):
    response = patient_client.get("/log/", headers=HISTORY_RESTORE)

    assert response.status_code == 200
    assert response.templates[0].name == "tracker/patient/log.html"
    assert "<html" in response.text
    assert response.context["form"] is not None
    assert has_vary_header(response, "HX-Request") is True
