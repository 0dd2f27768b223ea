"""Replies in a comment's thread: who wrote them, saved once, audited, read by the other side."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import SessionLogFactory, make_active_plan
from tracker.domain.feedback import add_comment, add_reply, mark_read, mark_replies_read
from tracker.models import AuditEvent, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(patient, physio):
    session = SessionLogFactory(plan=make_active_plan(patient))
    comment, _ = add_comment(
        patient=patient, author=physio, text="Keep it steady.", session=session
    )
    return comment


def test_add_reply_by_the_patient_is_theirs_and_audited(patient, comment):
    reply, created = add_reply(comment=comment, author=patient, text="Will do.")

    assert (created, reply.by_patient, reply.author, reply.read_at) == (True, True, patient, None)
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.patient, event.what) == (patient, patient, "new reply")


def test_add_reply_by_a_clinician_is_the_care_teams_and_audited(patient, physio, comment):
    reply, _ = add_reply(comment=comment, author=physio, text="Good.")

    assert reply.by_patient is False
    event = AuditEvent.objects.latest("pk")
    assert (event.actor, event.patient, event.what) == (physio, patient, "new reply")


def test_add_reply_twice_with_one_key_saves_once(patient, comment):
    key = uuid.uuid4()

    first, created = add_reply(comment=comment, author=patient, text="Once.", request_key=key)
    second, again = add_reply(comment=comment, author=patient, text="Once.", request_key=key)

    assert (first, created, again) == (second, True, False)
    assert Reply.objects.count() == 1
    assert AuditEvent.objects.filter(what="new reply").count() == 1


def test_add_reply_refuses_someone_off_the_thread(other_patient, comment):
    with pytest.raises(ValueError, match=r"^Only the patient and their care team reply here\.$"):
        add_reply(comment=comment, author=other_patient, text="Not mine.")

    assert Reply.objects.count() == 0


def test_a_patients_reply_marks_the_comment_and_the_teams_replies_read(patient, physio, comment):
    theirs, _ = add_reply(comment=comment, author=physio, text="How was it?")

    add_reply(comment=comment, author=patient, text="Fine.")

    comment.refresh_from_db()
    theirs.refresh_from_db()
    assert (comment.is_read, theirs.read_at is not None) == (True, True)


def test_a_clinicians_reply_marks_the_patients_replies_read(patient, physio, comment):
    asked, _ = add_reply(comment=comment, author=patient, text="Can I walk further?")

    add_reply(comment=comment, author=physio, text="Yes, five minutes more.")

    asked.refresh_from_db()
    assert asked.read_at is not None


def test_mark_replies_read_reads_only_the_patients_replies(patient, physio, comment):
    add_reply(comment=comment, author=patient, text="Question.")
    answer, _ = add_reply(comment=comment, author=physio, text="Answer.")
    again, _ = add_reply(comment=comment, author=patient, text="Thanks.")
    answer.refresh_from_db()
    answer_read_at = answer.read_at

    assert mark_replies_read(comment=comment) is True
    assert mark_replies_read(comment=comment) is False  # a second tap changes nothing

    again.refresh_from_db()
    answer.refresh_from_db()
    assert again.read_at is not None
    assert answer.read_at == answer_read_at


def test_mark_read_also_reads_the_teams_replies(patient, physio, comment):
    mark_read(comment=comment)
    answer, _ = add_reply(comment=comment, author=physio, text="One more thing.")

    assert mark_read(comment=comment) is True
    assert mark_read(comment=comment) is False

    answer.refresh_from_db()
    assert answer.read_at is not None
