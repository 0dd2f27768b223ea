"""Which of a plan's prescriptions come with words for the patient: the activity's description
(an admin's) or the prescription's own note (the physiotherapist's)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from tracker.models import Prescription

register = template.Library()


@register.filter
def with_instructions(prescriptions: Iterable[Prescription]) -> list[Prescription]:
    """The prescriptions the patient may follow (not set aside) that have a description or a
    note, in the plan's order; their activities loaded with them."""
    return [
        p for p in prescriptions if p.suspended_on is None and (p.activity.description or p.note)
    ]
