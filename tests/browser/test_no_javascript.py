"""With JavaScript turned off, patients and physiotherapists can still do what matters.

Every form htmx enhances is a plain form underneath: a browser that runs no script (an old
phone, a locked-down hospital PC, a script blocker, a failed download) posts it and gets a
whole page back. These journeys run in a browser context with JavaScript disabled.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import (
    SessionLogFactory,
    make_active_plan,
)
from tracker.models import Alert, AlertKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}


def page_without_javascript(browser: Browser, viewport: dict):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    return context, page


@pytest.fixture
def phone(browser: Browser):
    context, page = page_without_javascript(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desk(browser: Browser):
    context, page = page_without_javascript(browser, DESK)
    yield page
    context.close()


@pytest.fixture
def people():
    physio, patient = physio_and_patient("Zoe", "Zimmer")
    plan = make_active_plan(patient)
    return physio, patient, plan


def no_scripts_ran(page: Page) -> bool:
    """The page's own scripts (htmx) never ran: the test really is without JavaScript."""
    return page.evaluate("() => typeof window.htmx") == "undefined"


def choose(page: Page, question: str, answer: str) -> None:
    """Tap a tile of a 6-20 or 0-10 scale, as a patient would: the tile's number."""
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def test_patient_logs_a_session_and_sees_it_without_javascript(phone: Page, live_server, people):
    page = phone
    sign_in(page, live_server.url, "patient")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Zoe")
    assert no_scripts_ran(page)
    week = page.get_by_role("article", name="This week so far")
    expect(week).to_contain_text("0 of 30 minutes")

    page.get_by_role("button", name="Log a session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    expect(page.get_by_label("Activity")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Minutes").fill("15")
    choose(page, "How hard did it feel?", "12")
    choose(page, "Pain before", "1")
    choose(page, "Pain after", "2")
    page.get_by_label("No, none of these").check()
    page.get_by_label("Notes (optional)").fill("Round the park.")
    page.get_by_role("button", name="Save session").click()

    expect(page).to_have_url(f"{live_server.url}/today/")
    expect(page.get_by_role("status", name="Messages")).to_have_text("Session saved. Well done.")
    expect(week).to_contain_text("15 of 30 minutes")
    expect(week).to_contain_text("1 of 3 sessions")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
    logged = page.get_by_role("listitem").filter(has_text="Walking · 15 min")
    expect(logged).to_have_count(1)
    expect(logged).to_contain_text(f"{timezone.localdate():%a %-d %b}")
    expect(logged).to_contain_text("Effort 12 · pain 1 → 2")
    expect(logged).to_contain_text("“Round the park.”")


def test_refused_session_keeps_what_was_typed_and_says_why_at_the_field(
    phone: Page, live_server, people
):
    page = phone
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    page.get_by_label("Minutes").fill("400")
    choose(page, "How hard did it feel?", "13")
    choose(page, "Pain before", "2")
    choose(page, "Pain after", "3")
    page.get_by_label("Notes (optional)").fill("Windy by the river.")
    page.get_by_role("button", name="Save session").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "Please correct the 2 items marked below. Nothing has been saved yet."
    )
    expect(summary).to_be_focused()
    minutes = page.get_by_label("Minutes")
    expect(minutes).to_have_value("400")
    expect(minutes).to_have_attribute("aria-invalid", "true")
    # The message is the field's description: where the patient is, and read out with it.
    expect(minutes).to_have_accessible_description(
        re.compile(r"Minutes can be at most 300\. Split a longer day into separate sessions\.")
    )
    danger = page.get_by_role("group", name="Right now, do you have any of these?")
    expect(danger).to_contain_text("Answer this question: tick what you have right now")
    expect(page.get_by_label("Notes (optional)")).to_have_value("Windy by the river.")
    expect(
        page.get_by_role("group", name="How hard did it feel?").get_by_role(
            "radio", name=re.compile(r"^13")
        )
    ).to_be_checked()
    expect(
        page.get_by_role("group", name="Pain after").get_by_role("radio", name=re.compile(r"^3"))
    ).to_be_checked()

    # Put right, it saves.
    minutes.fill("20")
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()


def test_danger_sign_shows_the_urgent_screen_without_javascript(phone: Page, live_server, people):
    page = phone
    sign_in(page, live_server.url, "patient")
    page.get_by_role("button", name="Log a session").click()
    page.get_by_label("Minutes").fill("12")
    choose(page, "How hard did it feel?", "11")
    choose(page, "Pain before", "1")
    choose(page, "Pain after", "1")
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop exercising and get urgent medical help now"
    )
    call = page.get_by_role("link", name="Call 112")
    expect(call).to_be_in_viewport()
    expect(call).to_have_attribute("href", "tel:112")
    expect(page.get_by_role("alert")).to_contain_text("Your care team has been alerted.")
    expect(page.get_by_role("listitem").filter(has_text="Slurred speech")).to_be_visible()
    expect(page.get_by_text("Your session (walking, 12 minutes on")).to_contain_text("is saved.")


def sign_only_a_danger_sign(page: Page, live_server) -> None:
    """A patient in distress ticks the sign and presses save, leaving the rest empty."""
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    page.get_by_label("A severe headache").check()
    page.get_by_role("button", name="Save session").click()


def test_danger_sign_escalates_even_when_the_rest_of_the_form_is_not_filled_in(
    phone: Page, live_server, people
):
    page = phone
    sign_only_a_danger_sign(page, live_server)

    expect(
        page.get_by_role("heading", name="Stop exercising and get urgent medical help now")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    # The session waits for later, with no list of mistakes for someone who is unwell.
    expect(page.get_by_role("link", name="finish this session later")).to_be_visible()
    expect(page.get_by_text("Choose how hard it felt")).to_have_count(0)


def test_urgent_message_is_on_screen_when_the_rest_of_the_form_is_not_filled_in(
    phone: Page, live_server, people
):
    page = phone
    sign_only_a_danger_sign(page, live_server)
    expect(
        page.get_by_role("heading", name="Stop exercising and get urgent medical help now")
    ).to_be_in_viewport()
    expect(page.get_by_role("link", name="Call 112")).to_be_in_viewport()


def test_danger_report_page_works_without_javascript(phone: Page, live_server, people):
    page = phone
    sign_in(page, live_server.url, "patient")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Report a danger sign"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a danger sign")
    page.get_by_label("Feeling confused, less alert, or having fainted").check()
    page.get_by_label("Anything else (optional)").fill("Dizzy on the stairs.")
    page.get_by_role("button", name="Send to my care team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop exercising and get urgent medical help now"
    )
    expect(page.get_by_role("link", name="Call 112")).to_be_in_viewport()
    expect(
        page.get_by_role("listitem").filter(
            has_text="Feeling confused, less alert, or having fainted"
        )
    ).to_be_visible()


def test_progress_time_range_links_work_without_javascript(phone: Page, live_server, people):
    page = phone
    _, _, plan = people
    SessionLogFactory(plan=plan, minutes=25)
    sign_in(page, live_server.url, "patient")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    ranges = page.get_by_role("navigation", name="Time range")
    for label, key in [("4 weeks", "4"), ("All", "all"), ("12 weeks", "12")]:
        ranges.get_by_role("link", name=label).click()
        expect(page).to_have_url(f"{live_server.url}/progress/?range={key}")
        expect(ranges.get_by_role("link", name=label)).to_have_attribute("aria-current", "true")
        expect(page.get_by_role("article").filter(has_text="minutes in all")).to_contain_text("25")


def test_physio_acknowledges_and_comments_without_javascript(desk: Page, live_server, people):
    page = desk
    _, patient, plan = people
    session = SessionLogFactory(plan=plan, minutes=17)
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.DANGER_SIGN,
        message="Reported danger signs: a severe headache.",
        session=session,
    )

    sign_in(page, live_server.url, "physio")
    assert no_scripts_ran(page)
    page.get_by_role("link", name="Zoe Zimmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoe Zimmer")
    alerts = page.get_by_role("region", name=re.compile(r"^Alerts"))
    expect(alerts).to_contain_text("Reported danger signs: a severe headache.")
    alerts.get_by_label("Note (what you did or advised)").fill("Called: seen at A&E, all clear.")
    alerts.get_by_role("button", name="Acknowledge danger sign alert").click()

    # A whole page comes back: the message says it was done, and the alert is closed.
    expect(page.get_by_role("status", name="Messages")).to_have_text("Alert acknowledged.")
    expect(alerts).to_contain_text("No open alerts.")
    alerts.get_by_text("Acknowledged alerts (1 most recent)").click()
    expect(alerts.get_by_text("Acknowledged by Maya Lindqvist")).to_be_visible()
    expect(alerts.get_by_text("“Called: seen at A&E, all clear.”")).to_be_visible()

    sessions = page.get_by_role("region", name="Recent sessions")
    when = f"{session.date:%-d %b}"
    sessions.get_by_text(f"Comment on the session of {when}").click()
    # An empty comment is refused on a whole page, the form left open at its message.
    sessions.get_by_role("button", name="Send comment").click()
    expect(sessions.get_by_text("Write the comment first.")).to_be_visible()
    sessions.get_by_label("Comment for Zoe Zimmer").fill(
        "Good steady session. Keep the effort light this week."
    )
    sessions.get_by_role("button", name="Send comment").click()

    expect(page.get_by_role("status", name="Messages")).to_have_text("Comment sent to Zoe Zimmer.")
    expect(sessions).to_contain_text("Good steady session. Keep the effort light this week.")
    expect(sessions).to_contain_text("not read yet")
    page.get_by_role("button", name="Sign out").click()

    # The patient reads it and marks it read, also without JavaScript.
    sign_in(page, live_server.url, "patient")
    feedback = page.get_by_role("article", name="From your physiotherapist")
    expect(feedback).to_contain_text("Good steady session. Keep the effort light this week.")
    feedback.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status", name="Messages")).to_have_text("Marked as read.")
    expect(page.get_by_text("Good steady session.")).to_have_count(0)


def test_refused_comment_is_shown_where_the_physio_is_without_javascript(
    desk: Page, live_server, people
):
    page = desk
    _, _, plan = people
    for number in range(1, 9):
        SessionLogFactory(plan=plan, minutes=10 + number, notes=f"Session number {number}.")

    sign_in(page, live_server.url, "physio")
    page.get_by_role("link", name="Zoe Zimmer").click()
    oldest = (
        page.get_by_role("region", name="Recent sessions")
        .get_by_role("listitem")
        .filter(has_text="Session number 1.")
    )
    oldest.get_by_text("Comment on the session of").click()
    oldest.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Write the comment first.")).to_be_in_viewport()


def test_alert_queue_keeps_the_physio_in_the_queue_without_javascript(
    desk: Page, live_server, people
):
    page = desk
    _, patient, plan = people
    for sign in ("a severe headache", "slurred speech"):
        Alert.objects.create(
            patient=patient,
            kind=AlertKind.DANGER_SIGN,
            message=f"Reported danger signs: {sign}.",
            session=SessionLogFactory(plan=plan),
        )

    sign_in(page, live_server.url, "physio")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open alerts")
    first = page.get_by_role("listitem").filter(has_text="a severe headache")
    first.get_by_label("Note (what you did or advised)").fill("Called: seen at A&E.")
    first.get_by_role("button", name="Acknowledge danger sign alert").click()

    expect(page.get_by_role("status", name="Messages")).to_have_text("Alert acknowledged.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Open alerts")
    expect(page.get_by_text("Reported danger signs: slurred speech.")).to_be_visible()
