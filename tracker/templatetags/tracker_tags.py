from __future__ import annotations

from decimal import Decimal

from django import template

from tracker.domain import audit
from tracker.models import DistanceUnit
from tracker.models.sessions import METRES_PER_MILE
from tracker.rules import scales

register = template.Library()


@register.filter
def borg(value: int | None) -> str:
    """'12 (moderate)' for a Borg 6-20 rating."""
    words = scales.borg_words(value)
    return f"{value} ({words})" if words else ""


@register.filter
def measure(value) -> str:
    """A measured number as a person writes it: '330' not '330.0', '31.5' where it has a
    decimal, thousands grouped ('1,200')."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


@register.filter
def distance(session) -> str:
    """A session's distance in the unit the patient typed: '2.5 km', '800 m', '1.5 miles'."""
    if session.distance_m is None:
        return ""
    if session.distance_unit == DistanceUnit.KILOMETRES:
        return f"{measure(round(Decimal(session.distance_m) / 1000, 2))} km"
    if session.distance_unit == DistanceUnit.MILES:
        miles = round(Decimal(session.distance_m) / Decimal(str(METRES_PER_MILE)), 2)
        return f"{measure(miles)} {'mile' if miles == 1 else 'miles'}"
    return f"{measure(session.distance_m)} m"


@register.filter
def audit_phrase(event) -> str:
    """'read your record', 'added your measurement', 'changed your plan'."""
    return audit.phrase(event)
