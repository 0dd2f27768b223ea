"""The morning after a walk, a patient on a phone answers Today's pain question with one tap,
with htmx and without JavaScript; the physiotherapist then sees the pain alert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, wait_for_htmx
from tests.factories import SessionLogFactory, make_active_plan
from tracker.models import Alert, AlertKind, SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def walk():
    """Anna walked 30 minutes yesterday, pain 2 before it (relative to the real today: the
    browser keeps real time for its cookies)."""
    _, patient = physio_and_patient()
    plan = make_active_plan(patient)
    return SessionLogFactory(
        plan=plan,
        date=timezone.localdate() - dt.timedelta(days=1),
        minutes=30,
        pain_before=2,
        pain_after=3,
    )


def test_patient_taps_the_morning_pain_on_a_phone(page: Page, live_server, walk):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "patient")
    question = page.get_by_role("article", name="How is the pain this morning?")
    expect(question).to_contain_text("After yesterday's 30-minute walk")
    five = question.get_by_role("button", name="5", exact=True)
    box = five.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44

    five.click()
    wait_for_htmx(page)

    expect(page.get_by_text("Thank you. Pain this morning: 5/10.")).to_be_visible()
    expect(question).to_have_count(0)
    assert page.url == f"{live_server.url}/today/"  # answered in place
    walk.refresh_from_db()
    assert walk.pain_next_morning == 5
    assert list(Alert.objects.values_list("kind", flat=True)) == [AlertKind.PAIN]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.reload()
    expect(page.get_by_role("article", name="How is the pain this morning?")).to_have_count(0)


def test_patient_taps_the_morning_pain_without_javascript(browser: Browser, live_server, walk):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, "patient")

    page.get_by_role("button", name="1", exact=True).click()

    expect(page.get_by_text("Thank you. Pain this morning: 1/10.")).to_be_visible()
    expect(page.get_by_role("article", name="How is the pain this morning?")).to_have_count(0)
    assert SessionLog.objects.get(pk=walk.pk).pain_next_morning == 1
    assert Alert.objects.count() == 0
    context.close()
