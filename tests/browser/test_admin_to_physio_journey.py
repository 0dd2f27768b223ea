"""From the catalogue to the patient: an admin adds an activity and a template in Django's
admin, a physiotherapist clears and plans with them, and the patient logs the new activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out
from tests.factories import AdminFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ACTIVITY = "Cycling (stationary)"
TEMPLATE = "Seated cardio"


def fill_prescription(row: Locator, *, activity: str, sessions: str, start: str, most: str):
    """One prescription of an admin inline, found by its labels."""
    row.get_by_label("Activity").select_option(label=activity)
    row.get_by_label("Sessions per week").fill(sessions)
    row.get_by_label("Minutes per session at the start").fill(start)
    row.get_by_label("Most minutes per session").fill(most)


def test_admin_adds_an_activity_and_template_and_the_physio_plans_with_them(
    page: Page, live_server
):
    AdminFactory(username="admin", first_name="Alex", last_name="Morgan")
    physio_and_patient()
    today = timezone.localdate()
    page.set_viewport_size({"width": 1280, "height": 900})

    violations: list[str] = []

    def note_violation(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", note_violation)

    # The admin: from the app's overview into Django's admin.
    sign_in(page, live_server.url, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    page.get_by_role("link", name="Administration site").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    # A new activity for the catalogue.
    page.get_by_role("main").get_by_role("link", name="Activities", exact=True).click()
    page.get_by_role("link", name="Add activity").click()
    page.get_by_label("Name").fill(NEW_ACTIVITY)
    page.get_by_label("Impact").select_option(label="Low impact")
    page.get_by_label("Weight bearing").uncheck()
    page.get_by_label("MET value").fill("6.8")
    page.get_by_label("Description").fill("An exercise bike: the saddle carries your weight.")
    expect(page.get_by_label("Offered")).to_be_checked()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text(f"The activity “{NEW_ACTIVITY}” was added successfully.")
    ).to_be_visible()
    listed = page.get_by_role("row").filter(has_text=NEW_ACTIVITY)
    expect(listed).to_contain_text("Low impact")
    expect(listed).to_contain_text("6.8")

    # A plan template prescribing it, with a second row added by the admin's own script.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("main").get_by_role("link", name="Plan templates", exact=True).click()
    page.get_by_role("link", name="Add plan template").click()
    page.get_by_label("Name").fill(TEMPLATE)
    page.get_by_label("Description").fill("Off the legs: bike and pool.")
    group = page.get_by_role("group", name="Template prescriptions")
    rows = group.locator(".inline-related:not(.empty-form)")
    expect(rows).to_have_count(1)
    fill_prescription(rows.nth(0), activity=NEW_ACTIVITY, sessions="3", start="15", most="30")
    group.get_by_role("button", name="Add another Template prescription").click()
    expect(rows).to_have_count(2)
    fill_prescription(rows.nth(1), activity="Swimming", sessions="2", start="20", most="30")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text(f"The plan template “{TEMPLATE}” was added successfully.")
    ).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert violations == []

    # The physiotherapist clears the patient for the new activity and plans from the template.
    sign_in(page, live_server.url, "physio")
    page.get_by_role("link", name="Anna Novak").click()
    page.get_by_role("button", name="Record a clearance").click()
    page.get_by_label("Physician name").fill("Dr Ines Duarte")
    page.get_by_label("Registration number").fill("GMC 7012345")
    page.get_by_label("Date cleared").fill(today.isoformat())
    page.get_by_label("Valid until").fill((today + dt.timedelta(days=90)).isoformat())
    page.get_by_label(NEW_ACTIVITY, exact=True).check()
    page.get_by_label("Swimming", exact=True).check()
    page.get_by_label("Longest session (minutes)").fill("40")
    page.get_by_label("Weight-bearing exercise allowed (walking, jogging)").uncheck()
    page.get_by_role("button", name="Save clearance").click()
    expect(page.get_by_text("Clearance by Dr Ines Duarte recorded.")).to_be_visible()

    page.get_by_role("button", name="New plan").click()
    page.get_by_label("Start from a template").select_option(label=TEMPLATE)
    page.get_by_role("button", name="Create draft plan").click()
    expect(
        page.get_by_text("Draft plan created. Check the activities, then activate it.")
    ).to_be_visible()
    activities = page.get_by_role("region", name="Activities")
    expect(
        activities.get_by_text(f"{NEW_ACTIVITY}: 3 sessions a week, 15 minutes growing to 30")
    ).to_be_visible()
    expect(
        activities.get_by_text("Swimming: 2 sessions a week, 20 minutes growing to 30")
    ).to_be_visible()
    page.get_by_role("button", name="Activate plan").click()
    expect(page.get_by_text("Plan active.")).to_be_visible()
    sign_out(page)

    # The patient sees the new activity in the plan and logs a session of it.
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "patient")
    expect(page.get_by_role("heading", name=NEW_ACTIVITY)).to_be_visible()
    page.get_by_role("link", name="Your whole plan and your physician's limits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Back to strength")
    expect(page.get_by_role("heading", name=NEW_ACTIVITY)).to_be_visible()
    expect(page.get_by_role("heading", name="Swimming")).to_be_visible()
    expect(page.get_by_text(f"Cleared activities: {NEW_ACTIVITY}, Swimming.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log", exact=True).click()
    page.get_by_label("Activity").select_option(label=NEW_ACTIVITY)
    page.get_by_label("Minutes").fill("15")
    page.get_by_role("group", name="How hard did it feel?").get_by_text("11", exact=True).click()
    page.get_by_role("group", name="Pain before").get_by_text("0", exact=True).click()
    page.get_by_role("group", name="Pain after").get_by_text("1", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.get_by_role("listitem").filter(has_text=f"{NEW_ACTIVITY} · 15 min")).to_have_count(
        1
    )
    # The MET value the admin entered prices the session's energy: 15 minutes x 6.8.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_text("Energy used in all: about 102 MET-minutes")).to_be_visible()
