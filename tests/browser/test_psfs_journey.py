"""A patient on a phone names and rates the activities they find hard, from Today's prompt,
corrects a slip, and later reads them on Progress beside the tests' norms. Screenshots of each
step at 360 and 1280 px go to /tmp/shots/d/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import make_active_plan
from tracker.domain.psfs import rate_activities
from tracker.models import Measurement, MeasurementKind, PsfsActivity, PsfsScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/shots/d")


def shoot(page: Page, name: str) -> None:
    """The page at a phone's width and a desk's, whole, then back to the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("360", PHONE), ("1280", DESK)):
        page.set_viewport_size(size)
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(PHONE)


@pytest.fixture
def anna():
    _, patient = physio_and_patient()
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=1)
    plan.save()
    return patient


def test_patient_names_and_rates_activities_on_a_phone(page: Page, live_server, anna):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "patient")
    prompt = page.get_by_role("article", name="Which activities do you find hard?")
    expect(prompt).to_be_visible()
    shoot(page, "today-prompt")

    prompt.get_by_role("button", name="Name your activities").click()
    expect(page.get_by_role("heading", name="Activities you find hard")).to_be_visible()
    first = page.get_by_role("group", name="Activity 1", exact=True)
    first.get_by_label("In your own words").fill("Climbing the stairs to the flat")
    first.get_by_text("3", exact=True).click()
    second = page.get_by_role("group", name="Activity 2 (optional)")
    second.get_by_label("In your own words").fill("Carrying the shopping")
    page.get_by_role("button", name="Save my ratings").click()

    # The second has no score: the page comes back with both names kept and the message there.
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been saved yet.")
    second = page.get_by_role("group", name="Activity 2 (optional)")
    expect(second).to_contain_text(
        "Choose a score for “Carrying the shopping”, from 0 (unable) to 10 (as before)."
    )
    expect(second.get_by_label("In your own words")).to_have_value("Carrying the shopping")
    expect(
        page.get_by_role("group", name="Activity 1", exact=True).get_by_label("3")
    ).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "rating-error")

    second.get_by_text("5", exact=True).click()
    page.get_by_role("button", name="Save my ratings").click()

    expect(page.get_by_text("Thank you: your ratings are saved.")).to_be_visible()
    expect(page.get_by_role("article", name="Which activities do you find hard?")).to_have_count(0)
    assert list(PsfsScore.objects.values_list("activity__name", "score")) == [
        ("Climbing the stairs to the flat", 3),
        ("Carrying the shopping", 5),
    ]


def test_progress_shows_the_ratings_and_norms(page: Page, live_server, anna):
    """Screenshots only of what a later visit shows: three rounds and four tests."""
    today = timezone.localdate()
    first = today - dt.timedelta(weeks=8)
    rate_activities(
        patient=anna,
        by=anna,
        rated_on=first,
        scores={},
        named=[
            ("Climbing the stairs to the flat", 3),
            ("Carrying the shopping", 4),
            ("Kneeling to garden", 2),
        ],
    )
    stairs, shopping, kneeling = PsfsActivity.objects.order_by("position")
    rate_activities(  # drops kneeling, adds the bus
        patient=anna,
        by=anna,
        rated_on=first + dt.timedelta(weeks=4),
        scores={stairs.pk: 5, shopping.pk: 5},
        dropped=[kneeling.pk],
        named=[("Getting on the bus", 4)],
    )
    bus = PsfsActivity.objects.get(name="Getting on the bus")
    rate_activities(
        patient=anna,
        by=anna,
        rated_on=first + dt.timedelta(weeks=8),
        scores={stairs.pk: 7, shopping.pk: 5, bus.pk: 6},
    )
    profile = anna.profile
    profile.sex, profile.height_cm, profile.weight_kg = "female", 162, Decimal("68.0")
    profile.date_of_birth = today.replace(year=today.year - 63) - dt.timedelta(days=30)
    profile.save()
    for kind, values in {
        MeasurementKind.SIX_MINUTE_WALK: ("350", "410"),
        MeasurementKind.CHAIR_STAND: ("9", "11"),
        MeasurementKind.TIMED_UP_AND_GO: ("11.0", "9.0"),
    }.items():
        for days_ago, value in zip((50, 5), values, strict=True):
            Measurement.objects.create(
                patient=anna,
                kind=kind,
                measured_on=today - dt.timedelta(days=days_ago),
                value=Decimal(value),
                recorded_by=anna,
            )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/progress/")
    section = page.get_by_role("region", name="Activities you find hard")
    # Kneeling dropped, the bus added: the average compares the stairs and the shopping, the
    # two rated both times (3 and 4, then 7 and 5: 3.5 to 6).
    expect(section.locator("#psfs-average")).to_contain_text(
        "Average of the 2 activities rated both times: 3.5"
    )
    expect(section.locator("#psfs-average")).to_contain_text(
        "▲ Up 2.5 points since the first rating: a meaningful change"
    )
    expect(section.locator("#psfs-compared")).to_have_text(
        "Activities were added or dropped since the first rating, so the change counts only "
        "those rated both times."
    )
    expect(page.get_by_text("Below the predicted 489 m")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "progress")
    section.scroll_into_view_if_needed()
    for label, size in (("360", PHONE), ("1280", DESK)):
        page.set_viewport_size(size)
        page.locator("section[aria-labelledby=tests-heading]").screenshot(
            path=SHOTS / f"progress-tests-{label}.png"
        )
        section.screenshot(path=SHOTS / f"progress-psfs-{label}.png")


def test_physio_sets_the_interval_and_the_norms_details(page: Page, live_server, anna):
    page.set_viewport_size(DESK)
    sign_in(page, live_server.url, "physio")
    plan = anna.plans.get()
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_label("Ask the functional scale again every").select_option("6")
    page.get_by_role("button", name="Save how often").click()
    expect(page.get_by_text("The functional scale is now asked every 6 weeks.")).to_be_visible()
    page.locator("section[aria-labelledby=psfs-interval-heading]").screenshot(
        path=SHOTS / "plan-interval-1280.png"
    )
    plan.refresh_from_db()
    assert plan.psfs_every_weeks == 6

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/patients/{anna.pk}/contact/")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Height (cm)").fill("16")
    page.get_by_label("Weight (kg)").fill("68.5")
    page.get_by_role("button", name="Save details").click()
    expect(
        page.get_by_text("Enter the height in whole centimetres, between 100 and 230")
    ).to_be_visible()
    expect(page.get_by_label("Weight (kg)")).to_have_value("68.5")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "contact-norms-error")
