"""Without a mouse: every step by Tab, arrows, Space and Enter, with the focus always visible,
and after an htmx swap the focus where the person can carry on and the change said aloud."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.accounts.devices import authenticator, fresh_code
from tests.browser.helpers import physio_and_patient, wait_for_htmx
from tests.factories import (
    PASSWORD,
    SessionLogFactory,
    make_active_plan,
)
from tracker.accounts import two_factor
from tracker.models import Alert, AlertKind, Comment, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element, or the tile drawn around a hidden radio button, shows a ring.
FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const ring = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  };
  const tile = el.closest('.tile');
  return ring(tile || el);
}"""


def is_focused(target: Locator) -> bool:
    return target.evaluate("(el) => el === document.activeElement")


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 80) -> int:
    """Press Tab (or Shift+Tab) until `target` has the focus, checking that every stop on
    the way shows where the focus is. Returns how many presses it took."""
    if is_focused(target):
        return 0
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        assert page.evaluate(FOCUS_RING), f"no visible focus on {describe_focus(page)}"
        if is_focused(target):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def describe_focus(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.outerHTML.slice(0, 160), e.matches(':focus-visible'), s.outlineStyle,"
        " s.outlineWidth, s.boxShadow].join(' | '); }"
    )


def sign_in_by_keyboard(page: Page, base_url: str, username: str) -> None:
    """The whole sign-in by keyboard: the password, then for staff the authenticator's code."""
    user = User.objects.get(username=username)
    asks_code = two_factor.required_for(user) or two_factor.has_device(user)
    device = authenticator(user) if asks_code else None
    page.goto(f"{base_url}/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    if device is not None:
        expect(page.get_by_role("heading", name="Enter the 6-digit code")).to_be_visible()
        tab_to(page, page.get_by_label("Code"))
        page.keyboard.type(fresh_code(device))
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.fixture
def people():
    physio, patient = physio_and_patient()
    plan = make_active_plan(patient)
    return physio, patient, plan


def test_patient_logs_a_session_by_keyboard_alone(page: Page, live_server, people):
    physio, patient, _plan = people
    today = timezone.localdate()
    Comment.objects.create(
        patient=patient,
        author=physio,
        week_of=today - dt.timedelta(days=today.weekday()),
        text="Lovely steady week, Anna.",
    )
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_by_keyboard(page, live_server.url, "patient")

    # The first Tab offers the skip link, visibly, and it lands in the page's content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert is_focused(skip)
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert is_focused(page.locator("main"))

    # Feedback read: the focus stays in place, on the word that it is done.
    tab_to(page, page.get_by_role("button", name="Mark as read"))
    page.keyboard.press("Enter")
    wait_for_htmx(page)
    assert is_focused(page.get_by_text("Marked as read."))

    # A link drawn as a button answers Space, as a button does.
    tab_to(page, page.get_by_role("button", name="Log a session"), backwards=True)
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")

    minutes = page.locator("#id_minutes")
    tab_to(page, minutes)
    page.keyboard.press("Control+A")
    page.keyboard.type("25")

    # Tiles are radio buttons: Tab enters the group, Space picks, arrows move the choice.
    tab_to(page, page.locator("#id_effort input[value='6']"))
    page.keyboard.press("Space")
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#id_effort input[value='12']")).to_be_checked()
    wait_for_htmx(page)  # each answer is checked on the server as it is given
    assert is_focused(page.locator("#id_effort input[value='12']"))

    page.keyboard.press("Tab")
    assert is_focused(page.locator("#id_pain_before input[value='0']"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#id_pain_after input[value='1']")).to_be_checked()

    tab_to(page, page.get_by_label("No, none of these"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Save session"))
    page.keyboard.press("Enter")

    # What happened takes the focus, so it is read out and Tab goes on from there.
    expect(page.locator(".messages")).to_be_focused()
    expect(page.locator(".messages")).to_have_text("Session saved. Well done.")
    expect(page.get_by_text("25 of 30 minutes")).to_be_visible()


def test_a_refused_session_puts_the_focus_on_what_to_correct(page: Page, live_server, people):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_by_keyboard(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/log/")
    tab_to(page, page.get_by_role("button", name="Save session"))
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert").filter(has_text="Please correct")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()


def test_physiotherapist_acknowledges_and_comments_by_keyboard(page: Page, live_server, people):
    _physio, patient, plan = people
    session = SessionLogFactory(plan=plan, minutes=17)
    alert = Alert.objects.create(
        patient=patient,
        kind=AlertKind.DANGER_SIGN,
        message="Reported danger signs: a severe headache.",
        session=session,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_by_keyboard(page, live_server.url, "physio")

    # Searching the caseload keeps the cursor in the box and says how many are shown.
    search = page.get_by_label("Search by name")
    tab_to(page, search)
    page.keyboard.type("Nov")
    expect(page).to_have_url(re.compile(r"q=Nov&"))  # the search for the whole word is in
    wait_for_htmx(page)
    expect(page.locator("#announcer")).to_have_text("1 patient shown.")
    assert is_focused(search)

    tab_to(page, page.get_by_role("link", name="Anna Novak"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anna Novak")

    tab_to(page, page.get_by_label("Note (what you did or advised)"))
    page.keyboard.type("Phoned: seen at A&E, all clear.")
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("button", name="Acknowledge danger sign alert"))
    page.keyboard.press("Enter")

    item = page.locator(f"#alert-{alert.pk}")
    expect(item).to_contain_text("Acknowledged by Maya Lindqvist")
    expect(item).to_be_focused()
    assert page.evaluate(FOCUS_RING)
    expect(page.locator("#announcer")).to_have_text("Alert acknowledged.")

    comments = page.locator(f"#comments-{session.pk}")
    tab_to(page, comments.locator("summary"))
    page.keyboard.press("Enter")
    tab_to(page, comments.get_by_role("textbox"))
    page.keyboard.type("Good steady session.")
    page.keyboard.press("Tab")
    assert is_focused(comments.get_by_role("button", name="Send comment"))
    page.keyboard.press("Enter")

    sent = comments.get_by_role("listitem").filter(has_text="Good steady session.")
    expect(sent).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Comment sent to Anna Novak.")


def test_plan_editor_by_keyboard_focuses_the_mistake_then_the_new_activity(
    page: Page, live_server, people
):
    _physio, _patient, plan = people
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_by_keyboard(page, live_server.url, "physio")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")

    add = page.locator("form[action$='/prescriptions/']")
    activity = add.get_by_label("Activity:", exact=True)
    tab_to(page, activity)
    activity.select_option(label="Swimming")
    tab_to(page, add.get_by_role("button", name="Add activity"))
    page.keyboard.press("Enter")
    wait_for_htmx(page)

    # Refused: the cursor is in the first field to correct, with the message beside it.
    sessions = add.get_by_label("Sessions per week")
    expect(sessions).to_be_focused()
    expect(page.locator("#announcer")).to_contain_text("not added")
    page.keyboard.type("2")
    for label, value in [
        ("Minutes per session at the start", "10"),
        ("Most minutes per session", "30"),
        ("Lowest effort", "11"),
        ("Highest effort", "13"),
    ]:
        tab_to(page, add.get_by_label(label))
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
    tab_to(page, add.get_by_role("button", name="Add activity"))
    page.keyboard.press("Enter")

    added = page.locator("#prescriptions li").filter(has_text="Swimming: 2 sessions a week")
    expect(added).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Swimming added.")


def test_switching_the_progress_range_keeps_the_focus_on_the_switch(
    page: Page, live_server, people
):
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in_by_keyboard(page, live_server.url, "patient")
    page.goto(f"{live_server.url}/progress/")

    four_weeks = page.get_by_role("link", name="4 weeks")
    tab_to(page, four_weeks)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/progress/?range=4")
    expect(page.get_by_role("link", name="4 weeks")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("link", name="4 weeks")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Showing the last 4 weeks.")
