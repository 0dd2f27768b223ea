"""The comments a patient has not read yet, and the comments that belong beside a list of
sessions."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q

from tracker.models import Comment, SessionLog, User
from tracker.rules.plans import week_start


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
