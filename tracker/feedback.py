"""A physiotherapist's feedback: writing a comment on a session or a week, the patient
marking it read, and gathering the comments that belong beside a list of sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from tracker.models import Comment, SessionLog, User
from tracker.once import save_once


def week_start(plan_starts_on: dt.date, day: dt.date) -> dt.date:
    """The first day of the plan week `day` falls in: plan weeks start on the plan's start day."""
    return plan_starts_on + dt.timedelta(weeks=(day - plan_starts_on).days // 7)


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
    this call created it."""
    if (session is None) == (week_of is None):
        raise ValueError("A comment is on one session or on one week.")
    if session is not None and session.patient_id != patient.pk:
        raise ValueError("That session is another patient's.")
    return save_once(
        Comment,
        request_key,
        lambda: Comment.objects.create(
            patient=patient,
            author=author,
            session=session,
            week_of=week_of,
            text=text,
            request_key=request_key,
        ),
    )


def mark_read(*, comment: Comment) -> bool:
    """The patient has read it. False if it was read already (a second tap changes nothing)."""
    return bool(
        Comment.objects.filter(pk=comment.pk, read_at__isnull=True).update(read_at=timezone.now())
    )


def unread_feedback(patient: User) -> list[Comment]:
    """What the care team wrote that the patient has not read yet, newest first."""
    return list(
        Comment.objects.unread()
        .filter(patient=patient)
        .select_related("author", "session__activity")
        .order_by("-created_at", "-pk")
    )


def attach_feedback(patient: User, sessions: Sequence[SessionLog]) -> None:
    """Give each session its plan week's first day (`week_start`) and the comments to show
    beside it (`feedback`): those on the session and those on its week, oldest first. One
    query for the whole list; the sessions need their plan loaded."""
    for session in sessions:
        session.week_start = week_start(session.plan.starts_on, session.date)
        session.feedback = []
    if not sessions:
        return
    comments = (
        Comment.objects.filter(patient=patient)
        .filter(
            Q(session__in=[s.pk for s in sessions])
            | Q(week_of__in={s.week_start for s in sessions})
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for comment in comments:
        for session in sessions:
            if comment.session_id == session.pk or comment.week_of == session.week_start:
                session.feedback.append(comment)
