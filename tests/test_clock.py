"""The suite's own clock: every test starts at the pinned moment, and time still passes."""

from __future__ import annotations

import time

from django.utils import timezone

from tests.clock import TODAY, pinned_now


def test_every_test_starts_on_the_pinned_wednesday_morning():
    now = timezone.localtime()

    assert (timezone.localdate(), TODAY.strftime("%A")) == (TODAY, "Wednesday")
    assert abs((now - pinned_now()).total_seconds()) < 60


def test_the_pinned_clock_still_ticks():
    before = timezone.now()
    time.sleep(0.01)

    assert timezone.now() > before
