"""The tables on the progress pages fit a 360 px phone: every column is on screen without
scrolling the table, and the page does not scroll sideways; at 1280 px they are tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import Page

from tests.browser.pages import World, open_page
from tracker.models import Measurement, MeasurementKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)

# Each table's box (or, for a table outside one, the table) against the width it has.
CROPPED = """() => [...document.querySelectorAll('main table')]
  .filter((t) => t.checkVisibility())
  .map((t) => [t.closest('section, figure')?.querySelector('h2')?.textContent.trim(),
               t.scrollWidth, (t.closest('.table-scroll') || t.parentElement).clientWidth])
  .filter(([, wide, room]) => wide > room + 0.5)"""


def add_functional_tests(world: World) -> None:
    today = dt.date(2026, 12, 2)
    for kind, first, latest in [
        (MeasurementKind.CHAIR_STAND, "9", "11"),
        (MeasurementKind.TIMED_UP_AND_GO, "13.5", "12.4"),
    ]:
        for days_ago, value in [(70, first), (16, latest)]:
            Measurement.objects.create(
                patient=world.patient,
                kind=kind,
                measured_on=today - dt.timedelta(days=days_ago),
                value=Decimal(value),
                recorded_by=world.physio,
            )


@pytest.fixture
def _pinned():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.mark.usefixtures("_pinned")
@pytest.mark.parametrize("name", ["patient-progress", "physio-progress"])
@pytest.mark.parametrize("width", [360, 1280])
def test_progress_tables_fit_the_screen(
    page: Page, live_server, world: World, name: str, width: int
):
    add_functional_tests(world)
    page.set_viewport_size({"width": width, "height": 800})

    open_page(page, live_server.url, world, name)

    assert page.evaluate(CROPPED) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    tests = page.locator("#tests-heading").locator("xpath=..")
    assert tests.get_by_text("repetitions").first.is_visible()
