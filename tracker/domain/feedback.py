"""A physiotherapist's feedback: writing a comment on a session or a week, and the patient
marking it read."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import AuditAction, Comment, SessionLog, User


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
    """The patient has read it. False if it was read already (a second tap changes nothing)."""
    return bool(
        Comment.objects.filter(pk=comment.pk, read_at__isnull=True).update(read_at=timezone.now())
    )
