"""A patient weeks into their plan logs a session on a phone, then reads their progress."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, wait_for_htmx
from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    log_week,
)
from tracker.models import PlanStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAST_WEEKS = 7


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.fixture
def this_monday() -> dt.date:
    return monday(timezone.localdate())


@pytest.fixture
def patient_with_history(this_monday):
    """Anna, on walking three times a week since a Monday seven weeks ago, every week kept:
    three 20-minute sessions a week, none yet this week."""
    physio, patient = physio_and_patient()
    started = this_monday - dt.timedelta(weeks=PAST_WEEKS)
    clearance = ClearanceFactory(
        patient=patient, recorded_by=physio, cleared_on=started - dt.timedelta(days=3)
    )
    plan = PlanFactory(
        clearance=clearance, status=PlanStatus.ACTIVE, starts_on=started, created_by=physio
    )
    PrescriptionFactory(plan=plan)
    for week in range(PAST_WEEKS):
        log_week(plan, week, 3, minutes=20, effort=11, pain_before=1, pain_after=1)
    return patient


def open_week_table(page: Page):
    """The chart's data table, opened as a person would; its rows, header row first."""
    page.get_by_text("The numbers, week by week").click()
    table = page.get_by_role("region", name="The numbers, week by week")
    expect(table).to_be_visible()
    return table.get_by_role("row")


def test_patient_logs_then_sees_the_session_in_progress_and_changes_the_range(
    page: Page, live_server, patient_with_history, this_monday
):
    page.set_viewport_size({"width": 360, "height": 740})
    last_monday = this_monday - dt.timedelta(weeks=1)
    started = this_monday - dt.timedelta(weeks=PAST_WEEKS)

    sign_in(page, live_server.url, "patient")
    week = page.get_by_role("article", name="This week so far")
    expect(week).to_contain_text(re.compile(r"0 of \d+ minutes\s+·\s+0 of 3 sessions"))

    page.get_by_role("button", name="Log a session").click()
    page.get_by_label("Minutes").fill("25")
    page.get_by_role("group", name="How hard did it feel?").get_by_text("12", exact=True).click()
    page.get_by_role("group", name="Pain before").get_by_text("2", exact=True).click()
    page.get_by_role("group", name="Pain after").get_by_text("2", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()
    expect(week).to_contain_text(re.compile(r"25 of \d+ minutes\s+·\s+1 of 3 sessions"))

    # Progress counts the new session: 7 weeks of 3 x 20 minutes, and today's 25.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page).to_have_url(f"{live_server.url}/progress/")
    ranges = page.get_by_role("navigation", name="Time range")
    expect(ranges.get_by_role("link", name="12 weeks")).to_have_attribute("aria-current", "true")
    sessions_stat = page.get_by_role("article").filter(has_text="sessions in all")
    minutes_stat = page.get_by_role("article").filter(has_text="minutes in all")
    expect(sessions_stat).to_have_text(f"{3 * PAST_WEEKS + 1}sessions in all")
    expect(minutes_stat).to_have_text(f"{60 * PAST_WEEKS + 25}minutes in all")

    chart = page.get_by_role("img", name=re.compile(r"^Minutes each week against the plan"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(
        re.compile(
            rf"Week of {last_monday:%-d %B}: 60 minutes of \d+ prescribed\. "
            rf"Week of {started:%-d %B}: 60 minutes\. "
            r"The goal for adults is 150 minutes a week\."
        )
    )

    rows = open_week_table(page)
    expect(rows).to_have_count(1 + 12)
    this_week = rows.filter(
        has=page.get_by_role("rowheader", name=f"{this_monday:%-d %b}", exact=True)
    )
    expect(this_week.get_by_role("cell").nth(0)).to_have_text("25")
    expect(this_week.get_by_role("cell").nth(2)).to_have_text("1 of 3")
    before = rows.filter(
        has=page.get_by_role("rowheader", name=f"{last_monday:%-d %b}", exact=True)
    )
    expect(before.get_by_role("cell").nth(0)).to_have_text("60")

    # Four weeks: the page updates, and the address says so (it can be bookmarked, shared).
    ranges.get_by_role("link", name="4 weeks").click()
    expect(page).to_have_url(f"{live_server.url}/progress/?range=4")
    expect(ranges.get_by_role("link", name="4 weeks")).to_have_attribute("aria-current", "true")
    expect(ranges.get_by_role("link", name="12 weeks")).not_to_have_attribute(
        "aria-current", "true"
    )
    expect(chart).to_have_accessible_name(
        re.compile(rf"Week of {this_monday - dt.timedelta(weeks=3):%-d %B}: 60 minutes\.")
    )
    wait_for_htmx(page)
    rows = open_week_table(page)
    expect(rows).to_have_count(1 + 4)
    expect(
        rows.filter(has=page.get_by_role("rowheader", name=f"{this_monday:%-d %b}", exact=True))
        .get_by_role("cell")
        .nth(0)
    ).to_have_text("25")

    # All: every week since the first session, this one included.
    ranges.get_by_role("link", name="All").click()
    expect(page).to_have_url(f"{live_server.url}/progress/?range=all")
    expect(ranges.get_by_role("link", name="All")).to_have_attribute("aria-current", "true")
    expect(chart).to_have_accessible_name(re.compile(rf"Week of {started:%-d %B}: 60 minutes\."))
    wait_for_htmx(page)
    rows = open_week_table(page)
    expect(rows).to_have_count(1 + PAST_WEEKS + 1)
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text(f"{started:%-d %b}")
    expect(rows.last.get_by_role("rowheader")).to_have_text(f"{this_monday:%-d %b}")

    # Back goes to the range before, as the address bar promises.
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/progress/?range=4")
    expect(ranges.get_by_role("link", name="4 weeks")).to_have_attribute("aria-current", "true")
