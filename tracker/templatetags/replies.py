"""What a thread of replies draws: the reply form for a place, and the patient's new replies."""

from __future__ import annotations

from django import template

from tracker.forms.feedback import ReplyForm

register = template.Library()


@register.simple_tag
def reply_form_for(form: ReplyForm | None, place: str) -> ReplyForm:
    """The refused form sent back, or a fresh one (with its own request key) for `place`."""
    return form if form is not None else ReplyForm(place=place)


@register.filter
def new_from_patient(replies) -> int:
    """How many of a thread's replies the patient wrote that the care team has not read."""
    return sum(1 for reply in replies if reply.by_patient and reply.read_at is None)
