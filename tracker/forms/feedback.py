"""A physiotherapist's comment on one of a patient's sessions, or on that session's week, and
a reply in its thread by either side."""

from __future__ import annotations

from django import forms

from tracker.domain.once import RequestKeyField
from tracker.forms.limits import show_limits
from tracker.models import SessionLog
from tracker.models.feedback import COMMENT_MAX_LENGTH
from tracker.rules.plans import week_start


class CommentForm(forms.Form):
    """One form per session on the record page; `session` is the session it sits beside,
    with its plan loaded. Field ids carry the session's id, so twenty forms on one page do
    not share ids."""

    SESSION, WEEK = "session", "week"

    request_key = RequestKeyField()
    about = forms.ChoiceField(
        label="Comment on",
        widget=forms.RadioSelect,
        initial=SESSION,
        error_messages={
            "required": "Choose whether the comment is on this session or its week.",
            "invalid_choice": "Choose whether the comment is on this session or its week.",
        },
    )
    text = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the comment first."},
    )

    def __init__(self, *args, session: SessionLog, **kwargs):
        kwargs.setdefault("auto_id", f"comment-{session.pk}-%s")
        super().__init__(*args, **kwargs)
        show_limits(self, {"text": "comment"})
        self.session = session
        self.week_of = week_start(session.plan.starts_on, session.date)
        self.fields["about"].choices = [
            (self.SESSION, f"This session ({session.date:%a %-d %b})"),
            (self.WEEK, f"The week from {self.week_of:%a %-d %b}"),
        ]

    def target(self) -> dict:
        """What the comment is on, as add_comment's `session` or `week_of`."""
        if self.cleaned_data["about"] == self.WEEK:
            return {"week_of": self.week_of}
        return {"session": self.session}


class ReplyForm(forms.Form):
    """An answer in one comment's thread. `place` names the thread where it is shown (the
    record shows a week's comment beside each of its sessions), so field ids never repeat."""

    request_key = RequestKeyField()
    text = forms.CharField(
        label="Your reply",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the reply first."},
    )

    def __init__(self, *args, place: str, **kwargs):
        kwargs.setdefault("auto_id", f"reply-{place}-%s")
        super().__init__(*args, **kwargs)
        show_limits(self, {"text": "reply"})
