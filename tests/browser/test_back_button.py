"""Save a form, press Back, press Save again: nothing more is saved, and the page says so.

Playwright starts Chromium with `--disable-back-forward-cache`, so by default Back re-fetches
the page: the server renders the form again with a new save-once key, and Chromium fills in
what had been typed (its form-state restoration) but not the hidden key; before once.js
that saved a second session. The "bfcache" case starts a Chromium with the back-forward cache
on, and even lets `Cache-Control: no-store` pages in: a page restored from it would submit
the very key it was given, which the server finds already saved. Every create form is behind
the sign-in, so every one is sent `no-store`, and Chromium still will not restore such a page
once the session cookie has changed (as saving does): Back re-fetches there too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
from tests.browser.helpers import physio_and_patient, sign_in, wait_for_htmx
from tests.factories import SessionLogFactory, make_active_plan
from tracker.models import Comment, Measurement, SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium keeps `Cache-Control: no-store` pages out of the back-forward cache unless told;
# with this feature it lets them in, so the restored-page case is exercised on health pages.
# Whether the page Back showed came from the back-forward cache.
SHOWN = "addEventListener('pageshow', e => { window.__restored = e.persisted; });"
BFCACHE_FLAGS = [
    "--enable-features=CacheControlNoStoreEnterBackForwardCache:level/restore-unless-cookie-change"
]


@pytest.fixture(params=["refetch", "bfcache"])
def back_page(request, browser_type, live_server):
    """A page whose Back either re-fetches (Playwright's default) or restores from the
    back-forward cache."""
    if request.param == "refetch":
        browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    else:
        browser = browser_type.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS + BFCACHE_FLAGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
    page = browser.new_page()
    page.add_init_script(SHOWN)
    yield page
    browser.close()


def go_back(page: Page) -> None:
    """Back, as the person presses it. A page restored from the back-forward cache fires no
    load event, so wait for the page to be shown instead."""
    page.evaluate("() => { window.__restored = undefined; }")
    page.go_back(wait_until="commit")
    page.wait_for_function("() => window.__restored !== undefined")


def restored_from_cache(page: Page) -> bool:
    return page.evaluate("() => window.__restored === true")


@pytest.fixture
def people():
    physio, patient = physio_and_patient()
    make_active_plan(patient)
    return physio, patient


def fill_session(page: Page) -> None:
    page.locator("#id_effort").get_by_text("12", exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.locator("#id_pain_after").get_by_text("2", exact=True).click()
    page.get_by_label("No, none of these").check()
    page.get_by_label("Notes (optional)").fill("Along the canal.")


def test_session_saved_then_back_and_save_again_saves_one(back_page: Page, live_server, people):
    page = back_page
    sign_in(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    fill_session(page)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved. Well done.")).to_be_visible()

    go_back(page)
    assert not restored_from_cache(page)  # no-store: a health page is asked for again
    save = page.get_by_role("button", name="Save session")
    if save.count():
        save.click()

    expect(page.get_by_text("This session was already saved.")).to_be_visible()
    expect(page.get_by_text("Along the canal.")).to_be_visible()
    assert SessionLog.objects.count() == 1


def test_measurement_saved_then_back_and_save_again_saves_one(back_page: Page, live_server, people):
    """A form inside a page (the physiotherapist's progress page), not a page of its own."""
    page = back_page
    _, patient = people
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/patients/{patient.pk}/progress/")
    page.get_by_label("What was measured").select_option("circumference")
    page.get_by_label("Where (circumference only)").select_option("thigh")
    page.get_by_label("Affected side (cm)").fill("48.5")
    page.get_by_label("Healthy side (cm)").fill("52")
    page.get_by_role("button", name="Save measurement").click()
    expect(page.get_by_text("Measurement saved.")).to_be_visible()

    go_back(page)
    assert not restored_from_cache(page)
    expect(page.get_by_label("Affected side (cm)")).to_have_value("48.5")  # filled in again
    page.get_by_role("button", name="Save measurement").click()

    expect(page.get_by_text("This measurement was already saved.")).to_be_visible()
    assert Measurement.objects.count() == 1


def test_comment_sent_in_place_then_back_lets_the_next_comment_be_sent(
    page: Page, live_server, people
):
    """htmx swaps in an empty form with a new key after a comment is sent; after Back, the
    page keeps that new key, so the next comment is a new one, not "already sent"."""
    _, patient = people
    SessionLogFactory(plan=patient.plans.get())
    page.add_init_script(SHOWN)
    sign_in(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.locator("summary").filter(has_text="on the session").first.click()
    page.get_by_label("Comment for Anna Novak").fill("Good pacing.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".comments")).to_contain_text("Good pacing.")
    wait_for_htmx(page)

    page.goto(f"{live_server.url}/caseload/")
    go_back(page)
    page.locator("summary").filter(has_text="on the session").first.click()
    page.get_by_label("Comment for Anna Novak").fill("And rest on Sunday.")
    page.get_by_role("button", name="Send comment").click()

    expect(page.locator(".comments")).to_contain_text("And rest on Sunday.")
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        "And rest on Sunday.",
        "Good pacing.",
    ]
