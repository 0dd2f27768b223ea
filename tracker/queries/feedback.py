"""The comments a patient has not read yet, the comments that belong beside a list of
sessions, each with its thread of replies, and the patient's replies the care team has not read."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Prefetch, Q

from tracker.models import Comment, Reply, SessionLog, User
from tracker.rules.plans import week_start

# A reply by the patient that the care team has not read yet.
NEW_FROM_PATIENT = {"by_patient": True, "read_at": None}


def new_replies(patient: User) -> list[Reply]:
    """The patient's replies that the care team has not read, on any comment, oldest first."""
    return list(
        Reply.objects.filter(comment__patient=patient, **NEW_FROM_PATIENT)
        .select_related("comment__session")
        .order_by("created_at", "pk")
    )


def thread(comment: Comment) -> Comment:
    """`comment` with its replies (`thread`), oldest first, their authors loaded."""
    comment.thread = list(comment.replies.select_related("author"))
    return comment


def unread_feedback(patient: User) -> list[Comment]:
    """What the care team wrote that the patient has not read yet, newest first: a new
    comment, or one with a reply from the care team that is new. Each with its thread."""
    new_reply = Reply.objects.filter(comment=OuterRef("pk"), by_patient=False, read_at=None)
    return list(
        Comment.objects.filter(patient=patient)
        .filter(Q(read_at__isnull=True) | Exists(new_reply))
        .select_related("author", "session__activity")
        .prefetch_related(
            Prefetch("replies", Reply.objects.select_related("author"), to_attr="thread")
        )
        .order_by("-created_at", "-pk")
    )


def attach_feedback(patient: User, sessions: Sequence[SessionLog]) -> list[Reply]:
    """Give each session its plan week's first day (`week_start`) and the comments to show
    beside it (`feedback`): those on the session and those on its week, oldest first, each
    with its `thread` of replies. Returns the patient's replies that the care team has not
    read, on any comment, oldest first. Two queries for the whole list; the sessions need
    their plan loaded."""
    for session in sessions:
        session.week_start = week_start(session.plan.starts_on, session.date)
        session.feedback = []
    comments = (
        []
        if not sessions
        else list(
            Comment.objects.filter(patient=patient)
            .filter(
                Q(session__in=[s.pk for s in sessions])
                | Q(week_of__in={s.week_start for s in sessions})
            )
            .select_related("author")
            .order_by("created_at", "pk")
        )
    )
    for comment in comments:
        comment.thread = []
        for session in sessions:
            if comment.session_id == session.pk or comment.week_of == session.week_start:
                session.feedback.append(comment)
    # The threads shown and the new replies anywhere in one query.
    replies = (
        Reply.objects.filter(
            Q(comment__in=[c.pk for c in comments])
            | Q(comment__patient=patient, **NEW_FROM_PATIENT)
        )
        .select_related("author", "comment__session")
        .order_by("created_at", "pk")
    )
    by_pk = {comment.pk: comment for comment in comments}
    new = []
    for reply in replies:
        if reply.comment_id in by_pk:
            by_pk[reply.comment_id].thread.append(reply)
        if reply.by_patient and reply.read_at is None:
            new.append(reply)
    return new
