"""A clinic runs on the app, end to end: a physiotherapist signs in with her password and the
code from her authenticator app and adds a patient; the real worker delivers the invitation
through a real SMTP server; the patient, on a phone, opens the e-mail's link, chooses a
password, sets reminders and subscribes to the calendar; the physiotherapist sees that nobody
is left to accept. (Issue 16's done-when.)

The clock is the suite's pinned Wednesday morning (tests/clock.py), ticking: the plan starts
today and the reminder days fall on the plan's first Thursday."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, Playwright, expect

from tests.browser.helpers import sign_in
from tests.clock import TODAY
from tests.conftest import run_worker
from tests.factories import PhysiotherapistFactory, make_active_plan
from tests.smtp import smtp_server, text_part
from tracker.models import User
from tracker.rules.reminders import WEEKDAY_NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS")  # a folder for the patient's steps on the phone
PHONE = {"width": 360, "height": 800}
DESK = {"width": 1280, "height": 900}

EMAIL = "ilse.brandt@example.org"
NEW_PASSWORD = "back-on-my-feet-26"
INVITE_FORM = {
    "First name": "Ilse",
    "Last name": "Brandt",
    "E-mail address": EMAIL,
    "Phone number": "07700 900456",
}
INVITE_CHOICES = {
    "Kind of atrophy": "Disuse atrophy",
    "Cause": "Bed rest or long hospital stay",
    "Affected region": "Calf",
    "Affected side": "Right",
}
REMINDER_DAYS = ("Tuesday", "Thursday", "Saturday")  # one a day for walking's 3 sessions


def shoot(page: Page, name: str) -> None:
    """On a phone nothing is wider than the screen; with SCREENSHOTS, keep the whole page and
    what the screen shows."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-360.png", full_page=True)
        page.screenshot(path=f"{SHOTS}/{name}-360-screen.png")


def test_a_physio_invites_a_patient_who_sets_reminders_and_subscribes_to_the_calendar(
    page: Page, browser: Browser, playwright: Playwright, live_server, settings
):
    url = live_server.url
    settings.SITE_URL = url  # the e-mail's link and the calendar address lead to this server
    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    page.set_viewport_size(DESK)

    # 1. Password, then the page asks for the 6-digit code (sign_in expects that heading and
    # types the code computed from the device's key), and the caseload opens.
    sign_in(page, url, "physio")
    expect(page).to_have_url(f"{url}/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My patients")

    # 2. Caseload → Add a patient; the Invitations page lists her as not accepted yet.
    page.get_by_role("button", name="Add a patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a patient")
    for label, value in INVITE_FORM.items():
        page.get_by_label(label).fill(value)
    for label, option in INVITE_CHOICES.items():
        page.get_by_label(label).select_option(label=option)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page).to_have_url(f"{url}/invitations/")
    expect(page.get_by_role("status", name="Messages")).to_contain_text(
        f"Invitation sent to Ilse Brandt at {EMAIL}."
    )
    waiting = page.locator(".case", has_text="Ilse Brandt")
    expect(waiting).to_contain_text("Waiting")
    expect(waiting).to_contain_text("by Maya Lindqvist")

    # 3. The worker delivers the e-mail; the link is read from the message as received.
    with smtp_server(settings) as inbox:
        run_worker()
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == EMAIL
    (link,) = re.findall(rf"{re.escape(url)}/invitation/\S+/", text_part(message))

    # 4. Signed out, on her phone, she chooses a password and lands on Today.
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Choose your password")
    shoot(phone, "1-choose-password")
    phone.get_by_label("Choose a password").fill(NEW_PASSWORD)
    phone.get_by_label("Type it again").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Save my password").click()
    expect(phone).to_have_url(f"{url}/today/")
    expect(phone.get_by_role("status", name="Messages")).to_contain_text("Welcome, Ilse.")
    expect(phone.locator(".who-name")).to_have_text("Ilse Brandt")
    shoot(phone, "2-today")
    again = browser.new_context(viewport=PHONE).new_page()
    again.goto(link)
    expect(again.get_by_role("heading", level=1)).to_have_text(
        "You have already chosen your password"
    )
    again.context.close()

    # Her physiotherapist prescribes a plan: walking 3 a week from 10 minutes, from today.
    make_active_plan(User.objects.get(username=EMAIL), recorded_by=physio)

    # 5. Reminders on three weekdays at a time, kept; then the calendar address.
    phone.get_by_role("link", name="Reminders and calendar").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Reminders and calendar")
    shoot(phone, "3-reminders")
    phone.get_by_label("Send me reminders").check()
    for day in REMINDER_DAYS:
        phone.get_by_label(day).check()
    phone.get_by_label("At what time").fill("07:30")
    phone.get_by_role("button", name="Save reminders").click()
    expect(phone.get_by_role("status", name="Messages")).to_contain_text("Reminders saved.")
    phone.reload()
    expect(phone.get_by_label("Send me reminders")).to_be_checked()
    for day in WEEKDAY_NAMES:
        expect(phone.get_by_label(day)).to_be_checked(checked=day in REMINDER_DAYS)
    expect(phone.get_by_label("At what time")).to_have_value("07:30")
    shoot(phone, "4-reminders-saved")

    phone.get_by_role("button", name="Make my calendar address").click()
    expect(phone.get_by_role("status", name="Messages")).to_contain_text(
        "Your calendar address is ready."
    )
    address = phone.get_by_label("Or copy this private address into your calendar app")
    feed_url = address.input_value()
    assert re.fullmatch(rf"{re.escape(url)}/calendar/[\w-]+\.ics", feed_url), feed_url
    expect(phone.get_by_role("button", name="Add to my calendar")).to_have_attribute(
        "href", "webcal://" + feed_url.split("://", 1)[1]
    )
    shoot(phone, "5-calendar")

    # What a phone's calendar fetches on its own: no cookies, no sign-in.
    fetcher = playwright.request.new_context()
    response = fetcher.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    body = response.body()
    fetcher.dispose()
    events = Calendar.from_ical(body).walk("VEVENT")
    assert events, body
    first = events[0]
    # On a reminder day the event is that day's session: "Walking: 10 minutes" on Thursday.
    assert (first.start, str(first["SUMMARY"])) == (
        TODAY + dt.timedelta(days=1),
        "Walking: 10 minutes",
    )
    assert {WEEKDAY_NAMES[event.start.weekday()] for event in events} == set(REMINDER_DAYS)
    for private in (b"Brandt", b"Ilse", b"atrophy", b"Walking back to strength"):
        assert private not in body
    phone.context.close()

    # 6. Back at the clinic: nobody is left to accept, and she is on the caseload.
    page.get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    expect(page.locator(".case", has_text="Ilse Brandt")).to_have_count(0)
    expect(page.get_by_text("Everyone you invited has chosen a password.")).to_be_visible()
    page.get_by_role("link", name="Caseload").click()
    expect(page.locator(".case-name")).to_have_text(["Ilse Brandt"])
