"""A patient on a phone imports a walk from their watch: a broken file is refused in words,
the good one becomes a session after the usual questions, marked Imported in the history."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in
from tests.data.recordings import FILES, moved
from tests.factories import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/m")
WALK = "walk-cerknicko-jezero.gpx"
RIDE = "ride-5039744860.gpx"


@pytest.fixture
def people(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    physio, patient = physio_and_patient()
    plan = make_active_plan(patient, max_session_minutes=60)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return physio, patient


@pytest.fixture
def files(tmp_path) -> list[Path]:
    """Yesterday's walk, and a FIT file cut short."""
    walk = tmp_path / WALK
    walk.write_bytes(moved(WALK, dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)))
    broken = tmp_path / "truncated.fit"
    broken.write_bytes((FILES / "truncated.fit").read_bytes())
    return [walk, broken]


# The words of the tiles that a line break cuts in two ("extreme|ly").
BROKEN_WORDS = """spans => spans.flatMap(span => {
  const text = span.firstChild, broken = [];
  for (const match of text.data.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    if (range.getClientRects().length > 1) broken.push(match[0]);
  }
  return broken;
})"""


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_patient_imports_a_walk_and_a_broken_file(page: Page, live_server, people, files, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/history/")
    page.get_by_role("button", name="Import from a watch or phone").click()
    shoot(page, "upload")

    page.get_by_label("Files from your watch or phone").set_input_files(files)
    page.get_by_role("button", name="Read the files").click()

    refused = page.locator(".import-refused")
    expect(refused).to_contain_text(
        "truncated.fit: This file could not be read; it may be damaged. "
        "Export it again from your watch or app."
    )
    shoot(page, "upload-refused")
    page.get_by_role("link", name=re.compile("^Tue 1 Dec, 08:00")).click()

    expect(page.get_by_role("heading", name="Check the imported session")).to_be_visible()
    expect(page.locator(".imported-facts")).to_contain_text("Tuesday 1 December 2026, 08:00")
    # The walk's file names no sport: nothing is chosen for the patient.
    page.get_by_label("Activity").select_option(label="Walking")
    page.locator("#id_effort").get_by_text("12", exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Choose your pain after, from 0 (none) to 10 (worst).")).to_be_visible()
    shoot(page, "review-error")

    page.locator("#id_pain_after").get_by_text("2", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()
    session = page.locator(".sessions li").first
    expect(session).to_contain_text("Tue 1 Dec, 08:00 · Walking · 40 min · 4.42 km")
    expect(session.locator(".badge", has_text="Imported")).to_be_visible()
    expect(session.get_by_role("link", name="Download the original file")).to_be_visible()
    shoot(page, "history")


@pytest.mark.parametrize("width", [360, 1280])
def test_a_ride_is_not_one_tap_from_a_walk(page: Page, live_server, people, tmp_path, width):
    page.set_viewport_size({"width": width, "height": 800})
    ride = tmp_path / RIDE
    ride.write_bytes(moved(RIDE, dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)))
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Files from your watch or phone").set_input_files([ride])
    page.get_by_role("button", name="Read the files").click()

    activity = page.get_by_label("Activity")
    expect(activity).to_have_value("")
    expect(page.get_by_text("Your file says cycling, which is not an activity")).to_be_visible()
    shoot(page, "review-ride")
    # Each effort and pain button keeps its words whole: no word broken across two lines.
    assert page.locator(".tile-word").evaluate_all(BROKEN_WORDS) == []
    page.locator("#id_effort").get_by_text("12", exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.locator("#id_pain_after").get_by_text("1", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_text("Choose the activity you did.")).to_be_visible()
    shoot(page, "review-ride-error")
