"""A physiotherapist's feedback to a patient, on one session or on one week of the plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tracker.models.once import SavedOnce
from tracker.models.sessions import SessionLog

COMMENT_MAX_LENGTH = 2000


class CommentQuerySet(models.QuerySet):
    def unread(self) -> CommentQuerySet:
        return self.filter(read_at__isnull=True)


class Comment(SavedOnce):
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        SessionLog, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    # The first day of the plan week commented on (plan weeks start on the plan's start day).
    week_of = models.DateField(null=True, blank=True)
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "read_at"]),
            models.Index(fields=["patient", "week_of"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(week_of__isnull=True))
                | (Q(session__isnull=True) & Q(week_of__isnull=False)),
                name="comment_on_session_or_week",
                violation_error_message="A comment is on one session or on one week.",
            ),
        ]

    def __str__(self) -> str:
        about = f"session {self.session_id}" if self.session_id else f"week of {self.week_of}"
        return f"Comment by {self.author} on {about}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Reply(SavedOnce):
    """An answer in a comment's thread, by the patient or by a clinician of their care team.
    `read_at` is when the other side read it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_patient = models.BooleanField()
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["comment", "created_at"])]

    def __str__(self) -> str:
        return f"Reply by {self.author} to comment {self.comment_id}"
