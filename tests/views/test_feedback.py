"""Feedback: the physiotherapist comments on a session or a week; the patient reads it."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import SessionLogFactory, make_active_plan
from tracker.domain.feedback import add_comment, mark_read
from tracker.models import Comment
from tracker.rules.plans import week_start

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TEXT = "Good pacing. Keep the effort at 12."
TOO_LONG = "This comment is 2,001 characters; the most is 2,000. Shorten it and save again."


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return plan


@pytest.fixture
def session(plan):
    """A session in the plan's second week, which starts a week after the plan."""
    return SessionLogFactory(plan=plan, date=plan.starts_on + dt.timedelta(days=8))


def comment_data(session, **overrides) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "session": session.pk,
        "about": "session",
        "text": TEXT,
    }
    data.update(overrides)
    return data


def comments_url(patient) -> str:
    return f"/patients/{patient.pk}/comments/"


def on_session(session, author, text: str = TEXT) -> Comment:
    comment, _ = add_comment(patient=session.patient, author=author, text=text, session=session)
    return comment


def on_week(patient, author, week_of: dt.date, text: str = TEXT) -> Comment:
    comment, _ = add_comment(patient=patient, author=author, text=text, week_of=week_of)
    return comment


# The rules of a comment ---------------------------------------------------------------------


def test_week_start_is_the_first_day_of_the_plan_week():
    starts_on = dt.date(2026, 11, 5)  # a Thursday

    weeks = [week_start(starts_on, starts_on + dt.timedelta(days=d)) for d in (0, 6, 7, 13, 14)]

    assert weeks == [starts_on] * 2 + [dt.date(2026, 11, 12)] * 2 + [dt.date(2026, 11, 19)]


@pytest.mark.parametrize("target", ["both", "neither"])
def test_add_comment_refuses_both_a_session_and_a_week_or_neither(patient, physio, session, target):
    on = {"session": session, "week_of": session.date} if target == "both" else {}

    with pytest.raises(ValueError, match=r"^A comment is on one session or on one week\.$"):
        add_comment(patient=patient, author=physio, text=TEXT, **on)

    assert Comment.objects.count() == 0


def test_database_refuses_a_comment_on_both_a_session_and_a_week(patient, physio, session):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            patient=patient, author=physio, text=TEXT, session=session, week_of=session.date
        )


def test_add_comment_refuses_another_patients_session(other_patient, physio, session):
    with pytest.raises(ValueError, match=r"^That session is another patient's\.$"):
        add_comment(patient=other_patient, author=physio, text=TEXT, session=session)


def test_mark_read_twice_changes_nothing_the_second_time(physio, session):
    comment = on_session(session, physio)

    first, second = mark_read(comment=comment), mark_read(comment=comment)

    assert (first, second) == (True, False)


# The physiotherapist comments -------------------------------------------------------------


def test_physio_comments_on_a_session_with_htmx(physio_client, physio, patient, session):
    response = physio_client.post(comments_url(patient), comment_data(session), headers=HTMX)

    comment = Comment.objects.get()
    assert (comment.patient, comment.author, comment.session, comment.week_of, comment.text) == (
        patient,
        physio,
        session,
        None,
        TEXT,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "tracker/includes/session_comments.html"
    assert "<html" not in response.text
    assert response.context["session"].feedback == [comment]
    assert response.context["form"].is_bound is False
    assert response["Vary"] == "HX-Request, Cookie"


def test_physio_comments_on_a_session_without_htmx(physio_client, patient, session):
    response = physio_client.post(comments_url(patient), comment_data(session), follow=True)

    assert Comment.objects.get().session == session
    assert response.redirect_chain == [(f"/patients/{patient.pk}/#comments-{session.pk}", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Comment sent to Anna Novak."]


def test_physio_comments_on_a_week_with_htmx(physio_client, patient, plan, session):
    response = physio_client.post(
        comments_url(patient), comment_data(session, about="week"), headers=HTMX
    )

    comment = Comment.objects.get()
    assert (comment.session, comment.week_of) == (None, plan.starts_on + dt.timedelta(weeks=1))
    assert response.context["session"].feedback == [comment]


def test_physio_comments_on_a_week_without_htmx(physio_client, patient, plan, session):
    response = physio_client.post(comments_url(patient), comment_data(session, about="week"))

    comment = Comment.objects.get()
    assert (comment.session, comment.week_of) == (None, plan.starts_on + dt.timedelta(weeks=1))
    assert response.status_code == 302


def test_same_comment_submitted_twice_saves_once(physio_client, patient, session):
    data = comment_data(session)

    physio_client.post(comments_url(patient), data, headers=HTMX)
    second = physio_client.post(comments_url(patient), data, follow=True)

    assert Comment.objects.count() == 1
    assert [str(m) for m in second.context["messages"]] == ["This comment was already sent."]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the comment first."),
        ("   ", "Write the comment first."),
        ("x" * 2001, TOO_LONG),
    ],
)
def test_empty_or_too_long_comment_is_refused_at_the_field_with_htmx(
    physio_client, patient, session, text, message
):
    response = physio_client.post(
        comments_url(patient), comment_data(session, text=text), headers=HTMX
    )

    form = response.context["form"]
    assert form.errors == {"text": [message]}
    assert form["text"].value() == text
    assert Comment.objects.count() == 0
    assert "<details open>" in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the comment first."),
        ("x" * 2001, TOO_LONG),
    ],
)
def test_empty_or_too_long_comment_is_refused_at_the_field_without_htmx(
    physio_client, patient, plan, session, text, message
):
    other = SessionLogFactory(plan=plan, date=session.date - dt.timedelta(days=1))

    response = physio_client.post(comments_url(patient), comment_data(session, text=text))

    forms = {s.pk: s.comment_form for s in response.context["sessions"]}
    assert response.status_code == 200
    assert response.templates[0].name == "tracker/clinician/record.html"
    assert (forms[session.pk].errors, forms[other.pk].errors) == ({"text": [message]}, {})
    assert forms[session.pk]["text"].value() == text
    assert Comment.objects.count() == 0


def test_comment_on_a_session_of_another_patient_is_404(physio_client, patient, other_patient):
    elsewhere = SessionLogFactory(plan=make_active_plan(other_patient))

    response = physio_client.post(comments_url(patient), comment_data(elsewhere))

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_physio_off_the_care_team_gets_404(other_physio, patient, session):
    response = client_for(other_physio).post(comments_url(patient), comment_data(session))

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_patient_cannot_post_comments(patient_client, patient, session):
    response = patient_client.post(comments_url(patient), comment_data(session))

    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_record_shows_a_week_comment_beside_each_session_of_that_week(
    physio_client, physio, patient, plan, session
):
    same_week = SessionLogFactory(plan=plan, date=session.date - dt.timedelta(days=1))
    week_before = SessionLogFactory(plan=plan, date=plan.starts_on)
    week = on_week(patient, physio, plan.starts_on + dt.timedelta(weeks=1), "Strong week.")
    just_this = on_session(session, physio, "Nice one.")

    response = physio_client.get(f"/patients/{patient.pk}/")

    feedback = {s.pk: s.feedback for s in response.context["sessions"]}
    assert feedback == {session.pk: [week, just_this], same_week.pk: [week], week_before.pk: []}
    assert response.text.count("Strong week.") == 2


@pytest.mark.parametrize("count", [1, 10])
def test_record_query_count_does_not_grow_with_comments(
    physio_client, physio, patient, plan, django_assert_num_queries, count
):
    for day in range(count):
        session = SessionLogFactory(plan=plan, date=plan.starts_on + dt.timedelta(days=day))
        on_session(session, physio)
        on_week(patient, physio, week_start(plan.starts_on, session.date))
    physio_client.get(f"/patients/{patient.pk}/")  # settles the session

    # As before comments, one for them, one audit row; the plans' latest changes; this
    # week's figures (alerts, sessions by day, the plan's holds). The plans take their
    # clearance from the clearances read, and the open and latest acknowledged alerts are
    # one query: two fewer than before. One for the comments' replies and the new ones.
    with django_assert_num_queries(19):
        response = physio_client.get(f"/patients/{patient.pk}/")

    shown = {comment.pk for s in response.context["sessions"] for comment in s.feedback}
    assert shown == set(Comment.objects.values_list("pk", flat=True))
    assert len(shown) == 2 * count


# The patient reads it -------------------------------------------------------------------------


def test_patient_sees_unread_feedback_on_home_newest_first(
    patient_client, physio, patient, plan, session
):
    older = on_session(session, physio, "Nice walk on Tuesday.")
    newer = on_week(patient, physio, plan.starts_on, "A steady first week.")
    mark_read(comment=on_session(session, physio, "Already read."))

    response = patient_client.get("/today/")

    assert response.context["feedback"] == [newer, older]
    assert "From your physiotherapist" in response.text
    assert "Already read." not in response.text
    assert response.text.count("Mark as read") == 2


def test_patient_without_unread_feedback_sees_no_feedback_card(patient_client):
    response = patient_client.get("/today/")

    assert response.context["feedback"] == []
    assert "From your physiotherapist" not in response.text


def test_patient_marks_feedback_read_with_htmx(patient_client, physio, session):
    read, left = on_session(session, physio, "First."), on_session(session, physio, "Second.")

    response = patient_client.post(f"/comments/{read.pk}/read/", headers=HTMX)

    read.refresh_from_db()
    assert read.read_at is not None
    assert response.context["feedback"] == [left]
    assert response.templates[0].name == "feedback"  # the region alone
    assert "Marked as read." in response.text
    assert "<html" not in response.text
    assert response["Vary"] == "HX-Request, Cookie"


def test_patient_marks_feedback_read_without_htmx(patient_client, physio, session):
    comment = on_session(session, physio)

    response = patient_client.post(f"/comments/{comment.pk}/read/", follow=True)

    comment.refresh_from_db()
    assert comment.read_at is not None
    assert response.redirect_chain == [("/today/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Marked as read."]
    assert response.context["feedback"] == []


def test_another_patient_cannot_mark_feedback_read(other_patient, physio, session):
    comment = on_session(session, physio)

    response = client_for(other_patient).post(f"/comments/{comment.pk}/read/")

    comment.refresh_from_db()
    assert (response.status_code, comment.read_at) == (404, None)


def test_physio_cannot_mark_feedback_read_for_the_patient(physio_client, physio, session):
    comment = on_session(session, physio)

    response = physio_client.post(f"/comments/{comment.pk}/read/")

    comment.refresh_from_db()
    assert (response.status_code, comment.read_at) == (403, None)


@pytest.mark.parametrize("count", [1, 10])
def test_home_query_count_does_not_grow_with_feedback(
    patient_client, physio, session, django_assert_num_queries, count
):
    for _ in range(count):
        on_session(session, physio)
    patient_client.get("/today/")  # settles the session

    # As before feedback, one for it and one for its replies, one for a danger report, one for
    # the next-morning question, the functional scale's last rating.
    with django_assert_num_queries(16):
        response = patient_client.get("/today/")

    assert len(response.context["feedback"]) == count
