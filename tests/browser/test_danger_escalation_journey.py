"""A danger sign sent after the patient's sign-in ended still reaches the physiotherapist:
the urgent box comes first on the sign-in page, the report is filed at sign-in, the care team
is e-mailed by the worker, the physiotherapist closes the alert with a note, and the patient
sees who answered on Today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import sign_in
from tests.conftest import run_worker
from tests.factories import PASSWORD, PhysiotherapistFactory, make_active_plan, make_patient
from tracker.models import Alert, AlertKind, DangerReport, DangerSign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = "Stop exercising and get urgent medical help now"
NOTE = "Words come out wrong since lunch"
ANSWER = "Called her, ambulance on its way"
SHOTS = Path("/tmp/shots")
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def people():
    physio = PhysiotherapistFactory(
        username="physio", first_name="Maya", last_name="Lindqvist", email="maya@clinic.org"
    )
    patient = make_patient(
        care_team=[physio],
        user__username="patient",
        user__first_name="Anna",
        user__last_name="Novak",
        phone="07700 900123",
        emergency_contact_name="Piotr Novak",
        emergency_contact_relationship="husband",
        emergency_contact_phone="+44 7700 900456",
    )
    make_active_plan(patient)
    return physio, patient


def screenshot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_danger_sign_sent_after_the_sign_in_ended_reaches_the_physio_and_comes_back_answered(
    page: Page, browser: Browser, live_server, settings, people
):
    physio, patient = people
    settings.SITE_URL = live_server.url  # the link in the e-mail leads to this server

    # 1. The patient opens the report form; meanwhile the sign-in ends.
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "patient")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Report a danger sign"
    ).click()
    expect(page).to_have_url(f"{live_server.url}/report-danger/")
    page.context.clear_cookies(name="sessionid")
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "sessionid" not in cookies and "csrftoken" in cookies
    page.get_by_label("Slurred speech").check()
    page.get_by_label("Anything else (optional)").fill(NOTE)
    page.get_by_role("button", name="Send to my care team").click()

    # 2. The sign-in page, with the urgent box first; nothing filed yet.
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/report-danger/$"))
    main = page.locator("main")
    urgent = main.get_by_role("alert").filter(has_text=URGENT)
    expect(main.get_by_role("heading", level=1)).to_have_text(URGENT)
    call = urgent.get_by_role("link", name="Call 112")
    expect(call).to_have_attribute("href", "tel:112")
    expect(call).to_be_in_viewport()
    expect(urgent).to_contain_text("Your care team has not been told yet")
    reported = main.get_by_role("article").filter(
        has=page.get_by_role("heading", name="What you reported")
    )
    expect(reported.get_by_role("listitem")).to_have_text(["Slurred speech"])
    expect(reported).to_contain_text(NOTE)
    sign_in_heading = main.get_by_role("heading", name="Sign in to send it to your care team")
    assert urgent.bounding_box()["y"] < sign_in_heading.bounding_box()["y"]
    screenshot(page, "sign-in-urgent-360.png")
    assert DangerReport.objects.count() == 0
    assert Alert.objects.count() == 0

    # 3. Signing in on that page files the report, and the urgent screen comes next.
    page.get_by_label("Username").fill("patient")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/report-danger/")
    expect(page.get_by_role("heading", level=1)).to_have_text(URGENT)
    expect(page.get_by_text("Your care team has been alerted")).to_be_visible()
    expect(page.get_by_role("link", name="Call 112").first).to_be_in_viewport()
    report = DangerReport.objects.get()
    assert (report.patient, report.signs, report.notes) == (patient, ["slurred_speech"], NOTE)
    alert = Alert.objects.open().get()
    assert (alert.kind, alert.danger_report) == (AlertKind.DANGER_SIGN, report)

    # 4. The worker e-mails the physiotherapist on the care team.
    assert mail.outbox == []  # waits in the queue, nothing sent in the request
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maya@clinic.org"]
    subject = message.subject.lower()
    assert not any(label.lower() in subject for label in DangerSign.labels)
    assert "slurred" not in subject and "speech" not in subject
    assert "Anna" not in message.subject and "Novak" not in message.subject
    body = message.body
    assert "Patient: Anna Novak" in body
    assert "Slurred speech" in body
    assert f'"{NOTE}"' in body
    assert "07700 900123" in body
    link = re.search(r"(\S+#alert-(\d+))\s", body)
    assert link is not None, body
    url, alert_pk = link.groups()
    assert url == f"{live_server.url}/patients/{patient.pk}/#alert-{alert.pk}"
    assert int(alert_pk) == alert.pk

    # 5. The physiotherapist, on her own browser, follows the link and answers.
    clinic = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        desk = clinic.new_page()
        sign_in(desk, live_server.url, "physio")
        expect(desk.get_by_role("navigation", name="Main")).to_be_visible()
        desk.goto(url)
        item = desk.locator(f"#alert-{alert.pk}")
        expect(item).to_be_visible()
        expect(item).to_have_class(re.compile(r"\bis-open\b"))
        expect(item).to_contain_text("Reported danger signs: slurred speech.")
        expect(item).to_contain_text(f"The patient added: “{NOTE}”")
        expect(item.get_by_role("link", name="Call Anna: 07700 900123")).to_have_attribute(
            "href", "tel:07700900123"
        )
        expect(item).to_contain_text("E-mailed Maya Lindqvist at")

        note = item.get_by_label("Note (what you did or advised)")
        item.get_by_role("button", name="Acknowledge").click()
        item = desk.locator(f"#alert-{alert.pk}")
        error = item.locator(f"#ack-note-{alert.pk}-error")
        expect(error).to_contain_text(
            "Write what you did or advised before you close a danger-sign alert"
        )
        expect(note).to_have_attribute("aria-invalid", "true")
        expect(note).to_have_attribute(
            "aria-describedby", re.compile(rf"\back-note-{alert.pk}-error\b")
        )
        expect(item).to_have_class(re.compile(r"\bis-open\b"))
        assert Alert.objects.get(pk=alert.pk).is_open

        note.fill(ANSWER)
        item.get_by_role("button", name="Acknowledge").click()
        expect(item).to_contain_text("Acknowledged by Maya Lindqvist on")
        expect(item).to_contain_text(f"“{ANSWER}”")
        expect(item).not_to_have_class(re.compile(r"\bis-open\b"))
        alert.refresh_from_db()
        assert (alert.is_open, alert.acknowledged_by, alert.acknowledgement_note) == (
            False,
            physio,
            ANSWER,
        )
    finally:
        clinic.close()

    # 6. The patient, still signed in on her phone, sees who answered and what they did.
    page.goto(f"{live_server.url}/today/")
    card = page.locator("main article").first
    expect(card.get_by_role("heading", level=2)).to_have_text("Your danger-sign report")
    expect(card).to_contain_text("you reported: slurred speech.")
    expect(card).to_contain_text("by e-mail to Maya Lindqvist")
    expect(card.locator("strong").filter(has_text="Maya Lindqvist")).to_be_visible()
    expect(card).to_contain_text("Maya Lindqvist answered it on")
    expect(card).to_contain_text(f"“{ANSWER}”")
    expect(card).not_to_contain_text("Nobody has answered it yet")
    screenshot(page, "today-danger-card-360.png")
