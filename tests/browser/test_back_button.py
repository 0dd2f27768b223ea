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
from tests.browser.helpers import physio_and_patient, sign_in
from tests.factories import make_active_plan
from tracker.models import SessionLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium keeps `Cache-Control: no-store` pages out of the back-forward cache unless told;
# with this feature it lets them in, so the restored-page case is exercised on health pages.
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
    page.add_init_script("addEventListener('pageshow', e => { window.__restored = e.persisted; });")
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
