"""The physiotherapist's morning: triage, acknowledge, comment; the patient reads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in, wait_for_htmx
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
    session = SessionLogFactory(plan=make_active_plan(worried), minutes=17)
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
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "patient")
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("From your physiotherapist")
    expect(feedback).to_contain_text("Good steady session. Keep the effort light this week.")
    feedback.get_by_role("button", name="Mark as read").first.click()
    expect(feedback).not_to_contain_text("Good steady session.")
