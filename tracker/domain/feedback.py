"""A physiotherapist's feedback: writing a comment on a session or a week, the patient marking
it read, and the replies of both sides in its thread."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import AuditAction, Comment, Reply, Role, SessionLog, User


def add_comment(
    *,
    patient: User,
    author: User,
    text: str,
    session: SessionLog | None = None,
    week_of: dt.date | None = None,
    request_key: uuid.UUID | None = None,
) -> tuple[Comment, bool]:
    """Save a comment on one of the patient's sessions or on one week, never both. A second
    submission with the same request key saves nothing more. Returns the comment and whether
    this call created it. The new comment is written to the patient's audit trail."""
    if (session is None) == (week_of is None):
        raise ValueError("A comment is on one session or on one week.")
    if session is not None and session.patient_id != patient.pk:
        raise ValueError("That session is another patient's.")

    def create() -> Comment:
        comment = Comment.objects.create(
            patient=patient,
            author=author,
            session=session,
            week_of=week_of,
            text=text,
            request_key=request_key,
        )
        audit.record(actor=author, patient=patient, action=AuditAction.CHANGE, what="new comment")
        return comment

    return save_once(Comment, request_key, create)


def mark_read(*, comment: Comment) -> bool:
    """The patient has read it, and the care team's replies in its thread. False if all was
    read already (a second tap changes nothing)."""
    now = timezone.now()
    read = Comment.objects.filter(pk=comment.pk, read_at__isnull=True).update(read_at=now)
    return bool(read + _read_replies(comment, by_patient=False, now=now))


def mark_replies_read(*, comment: Comment) -> bool:
    """The care team has read the patient's replies in this thread. False if they were read
    already."""
    return bool(_read_replies(comment, by_patient=True, now=timezone.now()))


def _read_replies(comment: Comment, *, by_patient: bool, now: dt.datetime) -> int:
    return Reply.objects.filter(
        comment=comment, by_patient=by_patient, read_at__isnull=True
    ).update(read_at=now)


def add_reply(
    *, comment: Comment, author: User, text: str, request_key: uuid.UUID | None = None
) -> tuple[Reply, bool]:
    """Answer in a comment's thread, as its patient or as one of the care team (access.py
    decides who may open the thread). Whoever replies has read the other side's words, so
    they are marked read. Saved once per request key; written to the patient's audit trail.
    Returns the reply and whether this call created it."""
    by_patient = author.pk == comment.patient_id
    if not by_patient and author.role == Role.PATIENT:
        raise ValueError("Only the patient and their care team reply here.")

    def create() -> Reply:
        reply = Reply.objects.create(
            comment=comment,
            author=author,
            by_patient=by_patient,
            text=text,
            request_key=request_key,
        )
        audit.record(
            actor=author, patient=comment.patient_id, action=AuditAction.CHANGE, what="new reply"
        )
        if by_patient:
            mark_read(comment=comment)
        else:
            mark_replies_read(comment=comment)
        return reply

    return save_once(Reply, request_key, create)
