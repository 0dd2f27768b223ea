"""Replies and instructions in the browser: the patient reads how to do the walk, answers the
physiotherapist's comment on Today; the physiotherapist sees "1 new reply" on the caseload,
answers on the record, and the patient reads the answer."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in, sign_out, wait_for_htmx
from tests.factories import (
    PhysiotherapistFactory,
    SessionLogFactory,
    make_active_plan,
    make_patient,
)
from tracker.domain.feedback import add_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS")  # a folder: each step's page at 360 and 1280 px


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}-top.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_patient_and_physio_talk_in_a_thread(page: Page, live_server):
    physio = PhysiotherapistFactory(username="physio", first_name="Maya", last_name="Lindqvist")
    patient = make_patient(
        care_team=[physio],
        user__username="patient",
        user__first_name="Anna",
        user__last_name="Novak",
    )
    plan = make_active_plan(patient)
    walking = plan.prescriptions.get()
    walking.note = "A pace at which you can still talk."
    walking.save()
    session = SessionLogFactory(plan=plan)
    add_comment(
        patient=patient, author=physio, text="Good walk. Try 5 more minutes.", session=session
    )

    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/plan/")
    expect(page.locator(".instructions")).to_contain_text("A pace at which you can still talk.")
    shoot(page, "my-plan")
    page.goto(f"{live_server.url}/log/")
    expect(page.locator(".instructions")).to_contain_text("Walking")
    shoot(page, "log-form")

    page.goto(f"{live_server.url}/today/")
    thread = page.locator(".reply-thread")
    thread.locator("summary").click()
    thread.get_by_label("Your reply").fill("Will do. Is the hill all right?")
    thread.get_by_role("button", name="Send reply").click()
    expect(page.locator(".reply-thread")).to_contain_text("You, ")
    expect(page.locator(".reply-thread")).to_contain_text("Is the hill all right?")
    wait_for_htmx(page)
    shoot(page, "today-replied")
    sign_out(page)

    sign_in(page, live_server.url, "physio")
    expect(page.locator(".case").first).to_contain_text("1 new reply")
    shoot(page, "caseload")
    page.get_by_role("link", name="Anna Novak").click()
    expect(page.locator("#record-new-replies")).to_contain_text("1 new reply")
    shoot(page, "record")
    thread = page.locator(f"#thread-{session.pk}-{session.comments.get().pk}")
    thread.locator("summary").click()
    thread.get_by_label("Your reply").fill("Yes, slowly.")
    thread.get_by_role("button", name="Send reply").click()
    expect(thread).to_contain_text("Yes, slowly.")
    expect(thread).not_to_contain_text("new reply")
    expect(page.locator("#record-new-replies")).not_to_contain_text("new reply")
    wait_for_htmx(page)
    shoot(page, "record-replied")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.locator(".change-prescription summary").click()
    change = page.locator(".change-prescription")
    expect(change.get_by_label("Note for the patient")).to_have_value(walking.note)
    shoot(page, "plan-edit")
    sign_out(page)

    sign_in(page, live_server.url, "patient")
    expect(page.locator("#feedback")).to_contain_text("Yes, slowly.")
    shoot(page, "today-answer")
    page.goto(f"{live_server.url}/history/")
    shoot(page, "history")
    page.get_by_role("link", name="read and reply").click()
    expect(page.locator(".reply-thread")).to_contain_text("Yes, slowly.")
    shoot(page, "thread")
