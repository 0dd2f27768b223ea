"""Replies: the patient answers a comment where they read it, the care team answers on the
record; both sides in one thread; the patient's new replies on the caseload and the record."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.clock import TODAY
from tests.conftest import client_for
from tests.factories import SessionLogFactory, make_active_plan, make_patient
from tracker.domain.feedback import add_comment, add_reply
from tracker.models import AuditEvent, Comment, Reply

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TOO_LONG = "This reply is 2,001 characters; the most is 2,000. Shorten it and save again."


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return plan


@pytest.fixture
def session(plan):
    return SessionLogFactory(plan=plan, date=plan.starts_on + dt.timedelta(days=8))


@pytest.fixture
def comment(patient, physio, session) -> Comment:
    comment, _ = add_comment(
        patient=patient, author=physio, text="Keep the pace easy.", session=session
    )
    return comment


def reply_url(comment) -> str:
    return f"/comments/{comment.pk}/replies/"


def reply_data(text: str = "Thank you, I will.", **more) -> dict:
    return {"request_key": str(uuid.uuid4()), "text": text, **more}


# Replying -------------------------------------------------------------------------------------


def test_patient_replies_from_today_with_htmx_and_the_thread_swaps_in_place(
    patient_client, patient, comment
):
    page = patient_client.get("/today/")
    assert f'hx-post="/comments/{comment.pk}/replies/"' in page.text

    response = patient_client.post(reply_url(comment), reply_data(), headers=HTMX)

    reply = Reply.objects.get()
    assert (reply.comment, reply.author, reply.by_patient) == (comment, patient, True)
    assert response.text.lstrip().startswith(f'<div class="reply-thread" id="thread-{comment.pk}"')
    assert "<html" not in response.text
    assert "Thank you, I will." in response.text
    assert "Reply sent." in response.text
    assert response["Vary"] == "HX-Request, Cookie"


def test_patient_replies_without_javascript_and_is_sent_to_the_thread(patient_client, comment):
    response = patient_client.post(reply_url(comment), reply_data(), follow=True)

    assert response.redirect_chain == [(f"/comments/{comment.pk}/thread/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Reply sent."]
    assert "Keep the pace easy." in response.text
    assert "Thank you, I will." in response.text


def test_physio_replies_on_the_record_with_htmx(physio_client, physio, patient, comment, session):
    page = physio_client.get(f"/patients/{patient.pk}/")
    assert f'id="thread-{session.pk}-{comment.pk}"' in page.text

    response = physio_client.post(
        reply_url(comment),
        reply_data("Ten minutes more next week.", session=session.pk),
        headers=HTMX,
    )

    reply = Reply.objects.get()
    assert (reply.author, reply.by_patient) == (physio, False)
    assert response.text.lstrip().startswith(
        f'<div class="reply-thread" id="thread-{session.pk}-{comment.pk}"'
    )


def test_physio_replies_without_javascript_and_returns_to_the_session(
    physio_client, patient, comment, session
):
    response = physio_client.post(reply_url(comment), reply_data(session=session.pk))

    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/#comments-{session.pk}"
    assert Reply.objects.count() == 1


def test_another_patient_cannot_reply_or_read_the_thread(other_patient, comment):
    client = client_for(other_patient)

    replied = client.post(reply_url(comment), reply_data())
    opened = client.get(f"/comments/{comment.pk}/thread/")

    assert (replied.status_code, opened.status_code) == (404, 404)
    assert Reply.objects.count() == 0


def test_a_physio_off_the_care_team_cannot_reply_or_mark_read(other_physio, patient, comment):
    add_reply(comment=comment, author=patient, text="A question.")
    client = client_for(other_physio)

    replied = client.post(reply_url(comment), reply_data())
    marked = client.post(f"/comments/{comment.pk}/replies/read/")
    opened = client.get(f"/comments/{comment.pk}/thread/")

    assert (replied.status_code, marked.status_code, opened.status_code) == (404, 404, 404)
    assert list(Reply.objects.values_list("text", "read_at")) == [("A question.", None)]


def test_a_reply_to_no_comment_is_404(patient_client):
    assert patient_client.post("/comments/999999/replies/", reply_data()).status_code == 404


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Write the reply first."), ("x" * 2001, TOO_LONG)],
)
def test_an_empty_or_over_long_reply_is_refused_at_the_field_with_the_text_kept(
    patient_client, comment, text, message
):
    region = patient_client.post(reply_url(comment), reply_data(text), headers=HTMX)
    page = patient_client.post(reply_url(comment), reply_data(text))

    assert Reply.objects.count() == 0
    for response in (region, page):
        assert response.status_code == 200
        assert response.context["form"].errors == {"text": [message]}
        assert message in response.text
        if text.strip():
            assert text in response.text
    assert "<html" not in region.text
    assert "The reply was not sent" in region.text
    assert "<html" in page.text


def test_a_reply_sent_twice_saves_once(patient_client, comment):
    data = reply_data()

    first = patient_client.post(reply_url(comment), data, follow=True)
    second = patient_client.post(reply_url(comment), data, follow=True)

    assert Reply.objects.count() == 1
    assert [str(m) for m in first.context["messages"]] == ["Reply sent."]
    assert [str(m) for m in second.context["messages"]] == ["This reply was already sent."]


# The thread -----------------------------------------------------------------------------------


def test_the_thread_shows_both_sides_in_order_with_who_and_when(
    physio_client, patient_client, physio, patient, comment
):
    add_reply(comment=comment, author=patient, text="Is 20 minutes too much?")
    add_reply(comment=comment, author=physio, text="No, 20 is fine.")
    add_reply(comment=comment, author=patient, text="Thanks!")

    for client, me in ((patient_client, "You"), (physio_client, "Anna Novak")):
        text = client.get(f"/comments/{comment.pk}/thread/").text
        order = [
            text.index(t) for t in ("Keep the pace easy.", "Is 20 minutes", "No, 20", "Thanks!")
        ]
        assert order == sorted(order)
        assert f"{me}, 2 Dec, 10:00" in text
        assert "Maya Lindqvist, 2 Dec, 10:00" in text


def test_a_reply_is_shown_as_text(physio_client, patient, comment):
    add_reply(comment=comment, author=patient, text="<script>alert(1)</script>")

    text = physio_client.get(f"/patients/{patient.pk}/").text

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_clinicians_reading_of_the_thread_is_audited(physio_client, physio, patient, comment):
    physio_client.get(f"/comments/{comment.pk}/thread/")

    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.patient, event.action, event.what) == (
        physio,
        patient,
        "read",
        "comments",
    )


# What is new, for each side -------------------------------------------------------------------


def test_a_clinicians_reply_shows_on_today_until_the_patient_reads_it(
    patient_client, physio, comment
):
    patient_client.post(f"/comments/{comment.pk}/read/")
    assert "From your physiotherapist" not in patient_client.get("/today/").text

    add_reply(comment=comment, author=physio, text="One more tip: warm up first.")
    shown = patient_client.get("/today/")
    patient_client.post(f"/comments/{comment.pk}/read/")
    cleared = patient_client.get("/today/")

    assert shown.context["feedback"] == [comment]
    assert "One more tip: warm up first." in shown.text
    assert "From your physiotherapist" not in cleared.text


def test_the_patients_new_reply_shows_on_the_caseload_and_the_record_until_marked_read(
    physio_client, patient, comment, session
):
    add_reply(comment=comment, author=patient, text="A question about pace.")

    caseload = physio_client.get("/caseload/")
    record = physio_client.get(f"/patients/{patient.pk}/")
    marked = physio_client.post(f"/comments/{comment.pk}/replies/read/", {"session": session.pk})
    caseload_after = physio_client.get("/caseload/")
    record_after = physio_client.get(f"/patients/{patient.pk}/")

    assert [row.new_replies for row in caseload.context["rows"]] == [1]
    assert "1 new reply" in caseload.text
    assert "1 new reply</span> from Anna" in record.text
    assert marked.status_code == 302
    assert [row.new_replies for row in caseload_after.context["rows"]] == [0]
    assert "new repl" not in caseload_after.text
    assert "new repl" not in record_after.text


def test_mark_read_with_htmx_swaps_the_thread(physio_client, patient, comment, session):
    add_reply(comment=comment, author=patient, text="A question.")

    response = physio_client.post(
        f"/comments/{comment.pk}/replies/read/", {"session": session.pk}, headers=HTMX
    )

    assert Reply.objects.get().read_at is not None
    assert response.text.lstrip().startswith(
        f'<div class="reply-thread" id="thread-{session.pk}-{comment.pk}"'
    )
    assert "Marked as read." in response.text
    # The box at the top of the record, now empty, out of band.
    assert '<div id="record-new-replies" hx-swap-oob="true">\n\n</div>' in response.text


def test_the_patient_cannot_mark_the_care_teams_reading(patient_client, patient, comment):
    add_reply(comment=comment, author=patient, text="A question.")

    response = patient_client.post(f"/comments/{comment.pk}/replies/read/")

    assert response.status_code == 403
    assert Reply.objects.get().read_at is None


def test_replying_marks_the_patients_replies_read_for_the_care_team(
    physio_client, patient, comment
):
    add_reply(comment=comment, author=patient, text="A question.")

    physio_client.post(reply_url(comment), reply_data("An answer."))

    assert physio_client.get("/caseload/").context["rows"][0].new_replies == 0


# Query counts ---------------------------------------------------------------------------------
# The threads and the new replies cost one query on each page, whatever their number: the
# pages' own query-count tests (tests/queries/test_caseload.py, tests/views/test_feedback.py)
# count it; here the same page with none and with many replies costs the same.


def _replies(comment, patient, physio, count: int) -> None:
    """`count` questions and answers, then one question left new."""
    for i in range(count):
        add_reply(comment=comment, author=patient, text=f"Question {i}.")
        add_reply(comment=comment, author=physio, text=f"Answer {i}.")
    add_reply(comment=comment, author=patient, text="Still waiting.")


def _queries(client, url: str) -> int:
    client.get(url)  # settles the triage and the session
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.parametrize("count", [1, 10])
def test_record_query_count_does_not_grow_with_replies(
    physio_client, physio, patient, comment, django_assert_num_queries, count
):
    url = f"/patients/{patient.pk}/"
    without = _queries(physio_client, url)
    _replies(comment, patient, physio, count)

    with django_assert_num_queries(without):
        response = physio_client.get(url)

    assert len(response.context["sessions"][0].feedback[0].thread) == 2 * count + 1
    assert len(response.context["new_replies"]) == 1


@pytest.mark.parametrize("count", [1, 10])
def test_caseload_query_count_does_not_grow_with_replies(
    physio_client, physio, patient, comment, django_assert_num_queries, count
):
    for i in range(9):  # a page of ten, each with new replies
        other = make_patient(care_team=[physio], user__first_name="Pat", user__last_name=f"N{i}")
        make_active_plan(other)
        theirs, _ = add_comment(patient=other, author=physio, text="Hi.", week_of=TODAY)
        _replies(theirs, other, physio, count)
    without = _queries(physio_client, "/caseload/")
    _replies(comment, patient, physio, count)

    with django_assert_num_queries(without):
        response = physio_client.get("/caseload/")

    assert [row.new_replies for row in response.context["rows"]] == [1] * 10


@pytest.mark.parametrize("count", [1, 10])
def test_today_query_count_does_not_grow_with_replies(
    patient_client, physio, patient, comment, django_assert_num_queries, count
):
    without = _queries(patient_client, "/today/")
    for i in range(count):
        add_reply(comment=comment, author=physio, text=f"Reply {i}.")

    with django_assert_num_queries(without):
        response = patient_client.get("/today/")

    assert len(response.context["feedback"][0].thread) == count


def test_a_read_comment_stays_on_history_with_its_thread_to_reply_in(
    patient_client, physio, patient, comment, session
):
    patient_client.post(f"/comments/{comment.pk}/read/")
    add_reply(comment=comment, author=patient, text="One more question.")

    text = patient_client.get("/history/").text

    assert f'href="/comments/{comment.pk}/thread/"' in text
    assert "Maya Lindqvist commented on this session" in text
    assert "1 reply" in text
