"""On the log form, choosing another activity brings that activity's minutes this week."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import ClearanceFactory, PlanFactory, PrescriptionFactory, activity
from tracker.models import PlanStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def walking_and_swimming() -> None:
    """Anna's plan, started today: walking 25 minutes, swimming 15."""
    _, patient = physio_and_patient()
    clearance = ClearanceFactory(patient=patient, max_session_minutes=45)
    plan = PlanFactory(clearance=clearance, status=PlanStatus.ACTIVE)
    PrescriptionFactory(plan=plan, activity=activity("Walking"), start_minutes=25, max_minutes=40)
    PrescriptionFactory(plan=plan, activity=activity("Swimming"), start_minutes=15, max_minutes=30)


@pytest.mark.parametrize("width", [360, 1280])
def test_switching_activity_brings_its_suggested_minutes(page: Page, live_server, width):
    walking_and_swimming()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    minutes = page.locator('input[name="minutes"]')
    expect(minutes).to_have_value("25")

    page.locator('select[name="activity"]').select_option(label="Swimming")
    expect(minutes).to_have_value("15")
    page.locator('select[name="activity"]').select_option(label="Walking")
    expect(minutes).to_have_value("25")

    assert errors == []


def test_minutes_typed_by_hand_are_kept_when_switching(page: Page, live_server):
    walking_and_swimming()
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    minutes = page.locator('input[name="minutes"]')

    minutes.fill("33")
    page.locator('select[name="activity"]').select_option(label="Swimming")

    expect(minutes).to_have_value("33")
