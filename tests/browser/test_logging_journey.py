"""A patient on a phone logs sessions; danger signs reach the physiotherapist."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out
from tests.factories import make_active_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    physio, patient = physio_and_patient()
    make_active_plan(patient)
    return physio, patient


def answer(page: Page, *, effort: str, pain_before: str, pain_after: str) -> None:
    page.locator("#id_effort").get_by_text(effort, exact=True).click()
    page.locator("#id_pain_before").get_by_text(pain_before, exact=True).click()
    page.locator("#id_pain_after").get_by_text(pain_after, exact=True).click()


def test_patient_on_a_phone_logs_a_session_in_under_30_seconds(page: Page, live_server, people):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "patient")
    started = time.monotonic()

    page.get_by_role("button", name="Log a session").click()
    answer(page, effort="12", pain_before="1", pain_after="2")
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()
    assert time.monotonic() - started < 30
    expect(page.get_by_text("10 of 30 minutes")).to_be_visible()


def test_refused_form_keeps_every_value(page: Page, live_server, people):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")

    page.get_by_label("Minutes").fill("400")
    answer(page, effort="13", pain_before="2", pain_after="3")
    page.get_by_label("Notes (optional)").fill("Windy by the river.")
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_text("Minutes can be at most 300.")).to_be_visible()
    expect(page.get_by_text("Answer this question")).to_be_visible()
    expect(page.get_by_label("Minutes")).to_have_value("400")
    expect(page.get_by_label("Notes (optional)")).to_have_value("Windy by the river.")
    expect(page.locator("#id_effort input[value='13']")).to_be_checked()
    expect(page.locator("#id_pain_after input[value='3']")).to_be_checked()


def test_danger_sign_shows_the_urgent_screen_and_physio_acknowledges_it(
    page: Page, live_server, people
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    answer(page, effort="11", pain_before="1", pain_after="1")
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop exercising and get urgent medical help now"
    )
    expect(page.get_by_role("link", name="Call 112")).to_be_in_viewport()
    sign_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "physio")
    page.get_by_role("link", name="Anna Novak").click()
    alert = page.locator(".alert-item.is-open")
    expect(alert).to_contain_text("Reported danger signs: slurred speech.")
    alert.get_by_label("Note (what you did or advised)").fill("Phoned: at the GP now.")
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged by Maya Lindqvist")).to_be_visible()
    expect(page.get_by_text("“Phoned: at the GP now.”")).to_be_visible()
