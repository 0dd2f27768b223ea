"""Logging with no signal (issue 18): Chromium with the network switched off
(`context.set_offline`). The worker's own requests are cut off too in this Playwright
(checked: a page served while offline comes from its kept copy, marked as such)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import physio_and_patient, sign_in
from tests.clock import TODAY
from tests.factories import PASSWORD, make_active_plan, make_patient
from tracker.domain.plans import change_status
from tracker.models import (
    Alert,
    AlertKind,
    Clearance,
    DangerReport,
    DangerSign,
    PlanStatus,
    SessionLog,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/e")
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
URGENT = "Stop exercising and get urgent medical help now"


@pytest.fixture
def people():
    physio, patient = physio_and_patient()
    plan = make_active_plan(patient)
    return physio, patient, plan


def shoot(page: Page, name: str) -> None:
    """The same page at a phone's width and a desktop's, for looking at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, label in ((PHONE, "360"), (DESK, "1280")):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def keep_offline_pages(page: Page, base_url: str) -> None:
    """Sign in, let the worker take over, then visit the pages it keeps."""
    page.set_viewport_size(PHONE)
    sign_in(page, base_url, "patient")
    active = "async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.state"
    until(lambda: page.evaluate(active) == "activated")
    for path in ("/today/", "/plan/", "/log/", "/report-danger/"):
        page.goto(f"{base_url}{path}")
    kept_pages = """async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith("pages-"));
        return names.length === 1 ? (await (await caches.open(names[0])).keys()).length : 0;
    }"""
    until(lambda: page.evaluate(kept_pages) == 4)


def until(condition, seconds: float = 10) -> None:
    """Poll what the browser holds (its caches, its IndexedDB) until `condition` is met."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def answer(page: Page, *, minutes: str, effort: str = "12") -> None:
    page.get_by_label("Minutes").fill(minutes)
    page.locator("#id_effort").get_by_text(effort, exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.locator("#id_pain_after").get_by_text("2", exact=True).click()
    page.get_by_label("No, none of these").check()


def queued_count(page: Page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("rehab-offline", 1);
            open.onupgradeneeded = () => open.result.createObjectStore("queue", { keyPath: "id" });
            open.onsuccess = () => {
                const request = open.result.transaction("queue").objectStore("queue").count();
                request.onsuccess = () => { open.result.close(); resolve(request.result); };
            };
        })"""
    )


def test_two_sessions_logged_offline_are_saved_once_when_back_online(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)

    page.goto(f"{live_server.url}/log/")
    expect(page.get_by_text("Offline: shown as of")).to_be_visible()
    shoot(page, "offline-banner")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
    answer(page, minutes="25", effort="13")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (2)")).to_be_visible()
    shoot(page, "waiting-2")
    assert SessionLog.objects.count() == 0

    kept = page.evaluate("() => OfflineQueue.all(document.body.dataset.offlineAccount)")

    context.set_offline(False)
    expect(page.get_by_role("heading", name="Sent")).to_be_visible()
    shoot(page, "sent")
    assert sorted(SessionLog.objects.values_list("minutes", flat=True)) == [15, 25]
    assert queued_count(page) == 0

    # The same two entries sent again (their answers lost, say): still saved once each.
    page.evaluate(
        """async (entries) => {
            for (const entry of entries) await OfflineQueue.put(entry);
            window.dispatchEvent(new Event("online"));
        }""",
        kept,
    )
    until(lambda: queued_count(page) == 0)
    assert sorted(SessionLog.objects.values_list("minutes", flat=True)) == [15, 25]
    expect(page.get_by_text("2 sessions saved.")).to_be_visible()

    page.goto(f"{live_server.url}/history/")
    expect(page.get_by_text("15 min")).to_be_visible()
    expect(page.get_by_text("25 min")).to_be_visible()


def test_a_replay_after_an_expired_sign_in_keeps_the_entry_until_the_patient_signs_in(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="20")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()

    context.clear_cookies(name="sessionid")  # the sign-in ends while the phone is offline
    context.set_offline(False)

    expect(page.get_by_text("Your sign-in has expired.")).to_be_visible()
    shoot(page, "signed-out")
    assert queued_count(page) == 1
    assert SessionLog.objects.count() == 0
    page.get_by_role("button", name="Sign in to send").click()
    page.get_by_label("Username").fill("patient")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Sent")).to_be_visible()
    assert list(SessionLog.objects.values_list("minutes", flat=True)) == [20]
    assert queued_count(page) == 0


def test_a_refused_replay_comes_back_to_the_patient_to_correct(
    page: Page, context: BrowserContext, live_server, people
):
    _, _, plan = people
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_label("Notes (optional)").fill("Around the pond")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()

    # Meanwhile the clearance ends: the server refuses the entry when it arrives.
    Clearance.objects.filter(pk=plan.clearance_id).update(valid_until=TODAY - dt.timedelta(days=1))
    context.set_offline(False)

    expect(page.get_by_role("heading", name="Not sent: needs a change (1)")).to_be_visible()
    shoot(page, "refused")
    assert queued_count(page) == 1
    assert SessionLog.objects.count() == 0
    page.get_by_role("link", name="Open it to correct and send").click()

    expect(page.get_by_text("Not saved yet. When it was sent, the answer was:")).to_be_visible()
    expect(page.get_by_text("Open it to correct and send")).to_have_count(0)
    expect(page.locator("#fix-note")).to_contain_text("Ask Maya Lindqvist before you exercise.")
    expect(page.get_by_label("Minutes")).to_have_value("15")
    expect(page.get_by_label("Notes (optional)")).to_have_value("Around the pond")
    expect(page.locator("#id_effort input[value='12']")).to_be_checked()
    shoot(page, "refused-opened")


def test_a_danger_sign_offline_shows_the_urgent_screen_and_is_filed_first_on_reconnecting(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
    answer(page, minutes="10")
    page.get_by_label("No, none of these").uncheck()
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(URGENT)
    expect(page.get_by_role("link", name="Call 112")).to_be_in_viewport()
    expect(page.locator("#urgent")).to_be_focused()
    shoot(page, "urgent-offline")
    first = page.evaluate(
        "async () => (await OfflineQueue.all(document.body.dataset.offlineAccount))[0].danger"
    )
    assert first is True
    assert DangerReport.objects.count() == 0

    context.set_offline(False)
    expect(page.get_by_role("heading", name="Sent")).to_be_visible()
    report = DangerReport.objects.get()
    assert report.signs == [DangerSign.SLURRED_SPEECH]
    assert Alert.objects.filter(kind=AlertKind.DANGER_SIGN, patient=report.patient).count() == 1
    assert SessionLog.objects.count() == 2  # both sessions saved, the danger one with its sign
    assert queued_count(page) == 0


def test_signing_out_clears_the_queue_and_the_kept_pages(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
    context.clear_cookies(name="sessionid")  # so nothing is sent before signing out
    context.set_offline(False)
    expect(page.get_by_text("Your sign-in has expired.")).to_be_visible()

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/account/login/")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert messages == [
        "1 entry is not sent yet. Signing out deletes them from this phone. Sign out anyway?"
    ]
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    workers = "async () => (await navigator.serviceWorker.getRegistrations()).length"
    assert page.evaluate(workers) == 0
    assert SessionLog.objects.count() == 0


def test_a_danger_sign_reported_offline_from_its_own_page_is_filed_on_reconnecting(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/report-danger/")
    page.get_by_label("A severe headache").check()
    page.get_by_role("button", name="Send to my care team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(URGENT)
    expect(page.get_by_role("link", name="Call 112")).to_be_in_viewport()
    assert DangerReport.objects.count() == 0

    context.set_offline(False)
    expect(page.get_by_text("Your danger sign report has reached your care team.")).to_be_visible()
    assert DangerReport.objects.get().signs == [DangerSign.SEVERE_HEADACHE]
    assert SessionLog.objects.count() == 0


def test_another_account_signing_in_wipes_the_pages_kept_for_the_first(
    page: Page, context: BrowserContext, live_server, people
):
    physio, _, _ = people
    second = make_patient(care_team=[physio], user__username="second", user__first_name="Ben")
    make_active_plan(second)
    keep_offline_pages(page, live_server.url)
    first_cache = page.evaluate(
        "async () => (await caches.keys()).filter((n) => n.startsWith('pages-'))"
    )

    context.clear_cookies(name="sessionid")  # the first sign-in ends; someone else signs in
    sign_in(page, live_server.url, "second")
    page.goto(f"{live_server.url}/plan/")

    kept = "async () => (await caches.keys()).filter((n) => n.startsWith('pages-'))"
    until(lambda: len(page.evaluate(kept)) == 1 and page.evaluate(kept) != first_cache)
    context.set_offline(True)
    page.goto(f"{live_server.url}/today/")  # kept at the second sign-in: the second's own

    expect(page.get_by_text("Offline: shown as of")).to_be_visible()
    expect(page.locator(".who-name")).to_have_text(second.display_name)
    expect(page.get_by_text("Anna Novak")).to_have_count(0)
    page.goto(f"{live_server.url}/log/")  # kept for the second once signed in: theirs too
    expect(page.locator(".who-name")).to_have_text(second.display_name)
    page.goto(f"{live_server.url}/history/")  # never kept: the pages that work instead
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    shoot(page, "not-kept")


def test_sessions_logged_on_separate_offline_visits_of_the_kept_log_page_are_all_saved(
    page: Page, context: BrowserContext, live_server, people
):
    # The kept /log/ holds one request key; each offline visit must not reuse it.
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    for minutes in ("11", "12"):
        page.goto(f"{live_server.url}/log/")
        answer(page, minutes=minutes)
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_text("Kept on this phone: nothing is lost.")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting to send (2)")).to_be_visible()

    context.set_offline(False)
    expect(page.get_by_text("2 sessions saved.")).to_be_visible()
    assert sorted(SessionLog.objects.values_list("minutes", flat=True)) == [11, 12]

    # A second offline spell: the kept page still holds a key the server has used.
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    expect(page.get_by_text("Offline: shown as of")).to_be_visible()
    answer(page, minutes="13")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()
    context.set_offline(False)
    expect(page.get_by_text("1 session saved.")).to_be_visible()
    assert sorted(SessionLog.objects.values_list("minutes", flat=True)) == [11, 12, 13]
    assert queued_count(page) == 0


def test_a_server_error_while_sending_keeps_the_entry_waiting_not_signed_out(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()

    failing = lambda route: route.fulfill(status=502, body="<p>Bad gateway</p>")  # noqa: E731
    page.route("**/offline/token/", failing)
    with page.expect_response("**/offline/token/"):
        context.set_offline(False)
    page.wait_for_timeout(500)  # the queue reads the answer and shows what it makes of it
    expect(page.get_by_text("It is sent as soon as this phone is back online.")).to_be_visible()
    expect(page.get_by_text("Your sign-in has expired.")).to_have_count(0)
    assert queued_count(page) == 1

    page.unroute("**/offline/token/", failing)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("1 session saved.")).to_be_visible()
    assert list(SessionLog.objects.values_list("minutes", flat=True)) == [15]


def test_a_session_refused_because_the_plan_was_paused_says_so_and_stays(
    page: Page, context: BrowserContext, live_server, people
):
    physio, _, plan = people
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()

    change_status(plan=plan, to=PlanStatus.PAUSED, today=TODAY, by=physio, reason="Knee.")
    context.set_offline(False)

    refused = page.locator("#offline-queue")
    expect(refused).to_contain_text("While it is paused, sessions cannot be logged.")
    expect(refused).to_contain_text("It stays on this phone until sessions can be logged again.")
    expect(refused).not_to_contain_text("offline")
    expect(page.get_by_role("link", name="Open it to correct and send")).to_have_count(0)
    shoot(page, "refused-paused")
    assert queued_count(page) == 1


def test_the_offline_urgent_screen_says_the_team_was_alerted_once_the_report_is_filed(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/report-danger/")
    page.get_by_label("A severe headache").check()
    page.get_by_role("button", name="Send to my care team").click()
    expect(page.get_by_text("Your care team has not been told yet.")).to_be_visible()

    context.set_offline(False)
    expect(page.get_by_text("Your care team has been alerted.")).to_be_visible()
    expect(page.get_by_text("Your care team has not been told yet.")).to_have_count(0)
    expect(page.get_by_text("Sent to your care team.")).to_be_visible()
    shoot(page, "urgent-filed")


def test_signing_out_offline_deletes_nothing_and_says_it_needs_a_connection(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    answer(page, minutes="15")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Waiting to send (1)")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_text("Signing out needs a connection.")).to_be_visible()
    shoot(page, "sign-out-offline")
    assert queued_count(page) == 1
    assert page.evaluate("async () => (await caches.keys()).length") > 0
    context.set_offline(False)
    expect(page.get_by_text("1 session saved.")).to_be_visible()
    assert list(SessionLog.objects.values_list("minutes", flat=True)) == [15]


def test_the_offline_pages_are_kept_after_signing_in_without_opening_them(
    page: Page, context: BrowserContext, live_server, people
):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "patient")  # lands on Today, and opens nothing else
    active = "async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.state"
    until(lambda: page.evaluate(active) == "activated")
    kept = """async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith("pages-"));
        if (names.length !== 1) return [];
        return (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname);
    }"""
    until(lambda: sorted(page.evaluate(kept)) == ["/log/", "/plan/", "/report-danger/", "/today/"])

    context.set_offline(True)
    page.goto(f"{live_server.url}/plan/")
    expect(page.get_by_text("Offline: shown as of")).to_be_visible()
    page.goto(f"{live_server.url}/log/")
    expect(page.get_by_role("button", name="Save session")).to_be_visible()


def test_a_danger_sign_whose_session_cannot_be_saved_keeps_the_session_to_finish_later(
    page: Page, context: BrowserContext, live_server, people
):
    keep_offline_pages(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/log/")
    page.get_by_label("Minutes").fill("")  # left empty: the session itself cannot be saved
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(URGENT)

    context.set_offline(False)
    expect(page.get_by_text("Your care team has been alerted.")).to_be_visible()
    expect(page.locator("#offline-queue")).to_contain_text("this session is not saved yet")
    shoot(page, "urgent-session-kept")
    assert DangerReport.objects.get().signs == [DangerSign.SLURRED_SPEECH]
    assert SessionLog.objects.count() == 0
    assert queued_count(page) == 1
