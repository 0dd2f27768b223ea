"""The moment the test suite runs at, so no result depends on the day the suite is run.

Every test travels here (tests/conftest.py), with the clock ticking from there; a test that
needs another day or hour travels again inside. A module that needs "today" before a test
starts (at import) takes `TODAY` from here rather than asking the clock, which at import
time is still the real one.

Many modules travel on their own to 10:00 UTC on 2 December 2026, this same moment, while
their fixtures (sign-ins included) are made at this one: moving `TODAY` before that day ages
those sign-ins past the idle spell, so such a move changes those modules' moments too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

# A Wednesday: mid-week, so "this week" has days before and after today.
TODAY = dt.date(2026, 12, 2)
HOUR = dt.time(10, 0)


def pinned_now() -> dt.datetime:
    """10:00 on `TODAY` in the app's time zone, so the local date is `TODAY` in any zone."""
    return dt.datetime.combine(TODAY, HOUR, tzinfo=ZoneInfo(settings.TIME_ZONE))
