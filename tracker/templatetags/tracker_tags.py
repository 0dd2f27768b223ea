from __future__ import annotations

from django import template

from tracker import scales

register = template.Library()


@register.filter
def borg(value: int | None) -> str:
    """'12 (moderate)' for a Borg 6-20 rating."""
    words = scales.borg_words(value)
    return f"{value} ({words})" if words else ""
