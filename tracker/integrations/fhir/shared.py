"""What every FHIR resource module here needs: a reference to another entry of the Bundle,
and a moment or a day as the clinic writes it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format


def ref(url: str) -> dict:
    return {"reference": url}


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in the clinic's time zone."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def day_in_words(day: dt.date) -> str:
    return date_format(day, "j F Y")
