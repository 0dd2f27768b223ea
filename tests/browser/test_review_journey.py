"""The physiotherapist's morning: triage, acknowledge, comment, ease the plan; the patient
reads the comment and sees the new plan."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out, wait_for_htmx
from tests.factories import (
    PhysiotherapistFactory,
    SessionLogFactory,
    make_active_plan,
    make_patient,
)
from tracker.models import Alert, AlertKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_physio_triages_acknowledges_comments_and_patient_reads_it(page: Page, live_server):
    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    calm = make_patient(care_team=[physio], user__first_name="Anna", user__last_name="Abbott")
    make_active_plan(calm)
    SessionLogFactory(plan=calm.plans.get())
    worried = make_patient(
        care_team=[physio],
        user__username="patient",
        user__first_name="Zoe",
        user__last_name="Zimmer",
    )
    plan = make_active_plan(worried)
    session = SessionLogFactory(plan=plan, minutes=17)
    Alert.objects.create(
        patient=worried,
        kind=AlertKind.DANGER_SIGN,
        message="Reported danger signs: a severe headache.",
        session=session,
    )

    sign_in(page, live_server.url, "physio")
    first = page.locator(".case").first
    expect(first).to_contain_text("Zoe Zimmer")
    expect(first).to_contain_text("Danger sign")
    first.get_by_role("link", name="Zoe Zimmer").click()

    alert = page.locator(".alert-item.is-open")
    alert.get_by_label("Note (what you did or advised)").fill("Called: seen at A&E, all clear.")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged by Maya Lindqvist")).to_be_visible()
    wait_for_htmx(page)

    comments = page.locator(f"#comments-{session.pk}")
    comments.locator("summary").click()
    comments.locator("textarea").fill("Good steady session. Keep the effort light this week.")
    comments.get_by_role("button", name="Send comment").click()
    expect(comments).to_contain_text("Good steady session.")

    # The plan is eased while the headache is looked into: fewer sessions, lower effort.
    page.get_by_role("link", name=plan.title).click()
    walking = page.locator(".prescription").filter(has_text="Walking")
    walking.locator("summary").click()
    walking.get_by_label("Sessions per week").fill("2")
    walking.get_by_label("Highest effort").fill("12")
    walking.get_by_role("button", name="Save walking").click()
    expect(walking).to_contain_text("Walking: 2 sessions a week")
    expect(walking).to_contain_text("effort 9\u201312")
    expect(page.locator("#announcer")).to_have_text("Walking changed.")
    sign_out(page)

    sign_in(page, live_server.url, "patient")
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("From your physiotherapist")
    expect(feedback).to_contain_text("Good steady session. Keep the effort light this week.")
    feedback.get_by_role("button", name="Mark as read").first.click()
    expect(feedback).not_to_contain_text("Good steady session.")
    expect(page.get_by_text("2 sessions this week")).to_be_visible()


def test_back_on_the_caseload_shows_the_filters_of_that_list(page: Page, live_server):
    physio, _ = physio_and_patient()
    make_patient(care_team=[physio], user__first_name="Ben", user__last_name="Carter")
    sign_in(page, live_server.url, "physio")
    # Typed before htmx has set up the search box, the search would never be sent.
    page.wait_for_load_state("load")
    search = page.get_by_label("Search by name")

    search.fill("Nov")
    expect(page).to_have_url(re.compile(r"q=Nov&"))
    search.fill("Car")
    expect(page).to_have_url(re.compile(r"q=Car&"))
    expect(page.locator(".case")).to_have_text([re.compile("Ben Carter")])
    page.go_back()

    # The page comes back from the server (no copy is kept in the browser), so the search
    # box and the list agree.
    expect(page).to_have_url(re.compile(r"q=Nov&"))
    expect(search).to_have_value("Nov")
    expect(page.locator(".case")).to_have_text([re.compile("Anna Novak")])


def test_leaving_the_caseload_search_box_does_not_send_the_search_again(page: Page, live_server):
    """The search goes out as it is typed. Tabbing on from the box must not send it once more:
    the list would be swapped under the keyboard, and the focus lost with it."""
    physio_and_patient()
    sign_in(page, live_server.url, "physio")
    page.wait_for_load_state("load")
    page.get_by_label("Search by name").fill("Nov")
    expect(page).to_have_url(re.compile(r"q=Nov&"))
    wait_for_htmx(page)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/caseload/" in r.url else None)

    page.keyboard.press("Tab")
    page.wait_for_timeout(500)  # longer than the search's 300 ms pause

    assert sent == []


def test_choosing_what_the_caseload_shows_sends_the_filters(page: Page, live_server):
    physio_and_patient()
    sign_in(page, live_server.url, "physio")
    page.wait_for_load_state("load")

    page.get_by_label("Show").select_option("alerts")

    expect(page).to_have_url(re.compile(r"show=alerts"))
    expect(page.locator("#results")).to_contain_text("No patient matches.")
