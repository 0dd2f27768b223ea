"""Reminders and calendar, as a patient does it on a phone: chooses days and a time, is told
what to correct, makes the calendar address and sees how to add it, makes a new one; and the
stop link from the e-mail, opened signed out."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.factories import make_active_plan, make_patient
from tracker.access import reminder_stop_token
from tracker.models import CalendarFeed, Reminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where to leave screenshots at phone and desktop width, when asked.
SHOTS = os.environ.get("REMINDERS_SCREENSHOTS")


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    size = page.viewport_size
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size(size)


def test_a_patient_sets_reminders_and_subscribes_to_the_calendar(page: Page, live_server):
    patient = make_patient(user__username="patient", user__first_name="Anna")
    make_active_plan(patient)
    url = live_server.url

    sign_in(page, url, "patient")
    page.get_by_role("link", name="Reminders and calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders and calendar")
    shoot(page, "reminders-page")
    expect(page.get_by_label("Send me reminders")).not_to_be_checked()  # nothing chosen yet

    page.get_by_label("Send me reminders").check()
    page.get_by_label("At what time").fill("07:45")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Choose at least one day, or turn reminders off.")).to_be_visible()
    expect(page.get_by_label("At what time")).to_have_value("07:45")
    shoot(page, "reminders-errors")

    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    reminder = Reminder.objects.get(patient=patient)
    assert (reminder.weekdays, reminder.at) == (1 | 8, dt.time(7, 45))

    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.get_by_text("Your calendar address is ready.")).to_be_in_viewport()
    token = CalendarFeed.objects.get(patient=patient).token
    expect(page.get_by_label("Or copy this private address into your calendar app")).to_have_value(
        f"http://testserver/calendar/{token}.ics"  # SITE_URL in the tests
    )
    webcal = page.get_by_role("button", name="Add to my calendar")
    expect(webcal).to_have_attribute("href", f"webcal://testserver/calendar/{token}.ics")
    shoot(page, "reminders-calendar")

    page.get_by_role("button", name="Make a new address").click()
    expect(page.get_by_text("The old one no longer works.")).to_be_visible()
    assert page.request.get(f"{url}/calendar/{token}.ics").status == 404
    new = CalendarFeed.objects.get(patient=patient).token
    feed = page.request.get(f"{url}/calendar/{new}.ics")
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"

    stop = page.context.browser.new_page()  # its own context: signed out
    stop_link = f"{url}/reminders/stop/{patient.pk}/{reminder_stop_token(patient.pk)}/"
    stop.goto(stop_link)
    shoot(stop, "reminders-stop")
    stop.get_by_role("button", name="Stop reminders").click()
    expect(stop.get_by_text("Reminders are off.")).to_be_visible()
    shoot(stop, "reminders-stopped")
    reminder.refresh_from_db()
    assert reminder.is_on is False
    stop.goto(stop_link)  # the link opened again: no second question
    expect(stop.get_by_text("Reminders are already off.")).to_be_visible()
    expect(stop.get_by_role("link", name="turn reminders on")).to_be_visible()
    expect(stop.get_by_role("button", name="Stop reminders")).to_have_count(0)
    shoot(stop, "reminders-stop-again")


def test_reminders_and_the_stop_link_work_without_javascript(browser, live_server):
    patient = make_patient(user__username="patient")
    make_active_plan(patient)
    url = live_server.url
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()

    sign_in(page, url, "patient")
    page.goto(f"{url}/reminders/")
    page.get_by_label("Send me reminders").check()
    page.get_by_label("Wednesday").check()
    page.get_by_label("At what time").fill("18:00")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Reminders saved.")).to_be_visible()
    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.get_by_role("button", name="Add to my calendar")).to_be_visible()
    page.get_by_role("button", name="Stop this address").click()  # a link to a confirm page
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop your calendar address?")
    assert CalendarFeed.objects.filter(patient=patient).count() == 1
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/calendar-stop-confirm-360.png", full_page=True)
    page.get_by_role("button", name="Stop this address").click()
    expect(page.get_by_text("The calendar address no longer works.")).to_be_visible()
    context.close()

    context = browser.new_context(java_script_enabled=False)
    signed_out = context.new_page()
    signed_out.goto(f"{url}/reminders/stop/{patient.pk}/{reminder_stop_token(patient.pk)}/")
    signed_out.get_by_role("button", name="Stop reminders").click()
    expect(signed_out.get_by_text("Reminders are off.")).to_be_visible()
    context.close()
    assert Reminder.objects.get(patient=patient).is_on is False
    assert CalendarFeed.objects.filter(patient=patient).count() == 0
