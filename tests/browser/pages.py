"""What the page-by-page browser checks share: a clinic with something on every page, every
page of every role (including forms showing errors and the urgent screen), and a way to find
what makes a page scroll sideways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import physio_and_patient, sign_in, sign_out, wait_for_htmx
from tests.factories import (
    PASSWORD,
    AdminFactory,
    ClearanceFactory,
    PlanFactory,
    PlanTemplateFactory,
    PrescriptionFactory,
    SessionLogFactory,
    TemplatePrescriptionFactory,
    activity,
    make_patient,
)
from tracker.access import reminder_stop_token
from tracker.domain.feedback import add_reply
from tracker.domain.invitations import invite_patient, revoke_invitation, token_for
from tracker.models import (
    Alert,
    AlertKind,
    Comment,
    Invitation,
    Measurement,
    MeasurementKind,
    PatientProfile,
    Plan,
    PlanStatus,
    SessionLog,
    Site,
    User,
)


@dataclass
class World:
    patient: User
    physio: User
    admin: User
    plan: Plan
    session: SessionLog


def build_world() -> World:
    """A patient three weeks into an active plan, with sessions, an open and an acknowledged
    alert, comments and measurements; a physiotherapist on the care team; an admin."""
    today = timezone.localdate()
    physio, patient = physio_and_patient()
    PatientProfile.objects.filter(user=patient).update(
        phone="07700 900123",
        emergency_contact_name="Piotr Novak",
        emergency_contact_relationship="husband",
        emergency_contact_phone="07700 900456",
    )
    make_patient(care_team=[physio], user__first_name="Ben", user__last_name="Carter")
    admin = AdminFactory(username="admin", first_name="Alex", last_name="Morgan")
    clearance = ClearanceFactory(
        patient=patient,
        recorded_by=physio,
        cleared_on=today - dt.timedelta(days=30),
        activities=[activity("Walking"), activity("Swimming")],
    )
    plan = PlanFactory(
        clearance=clearance,
        status=PlanStatus.ACTIVE,
        starts_on=today - dt.timedelta(weeks=3),
        created_by=physio,
    )
    PrescriptionFactory(plan=plan, activity=activity("Walking"))
    PrescriptionFactory(plan=plan, activity=activity("Swimming"), sessions_per_week=2)
    for day, minutes, effort in [(20, 10, 11), (18, 12, 12), (13, 12, 12), (11, 14, 13)]:
        SessionLogFactory(
            plan=plan, date=today - dt.timedelta(days=day), minutes=minutes, effort=effort
        )
    session = SessionLogFactory(
        plan=plan,
        date=today - dt.timedelta(days=1),
        minutes=16,
        effort=15,
        pain_after=6,
        notes="Knee ached on the way back.",
    )
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.DANGER_SIGN,
        message="Reported danger signs: a severe headache.",
        session=session,
    )
    Alert.objects.create(
        patient=patient,
        kind=AlertKind.DANGER_SIGN,
        message="Reported danger signs: chest pain.",
        acknowledged_at=timezone.now(),
        acknowledged_by=physio,
        acknowledgement_note="Phoned: seen by the GP, all clear.",
    )
    Comment.objects.create(
        patient=patient, author=physio, session=session, text="Keep the effort light this week."
    )
    for weeks_ago, affected, walked in [(3, "31.0", "280"), (0, "32.5", "340")]:
        measured_on = today - dt.timedelta(weeks=weeks_ago)
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.CIRCUMFERENCE,
            measured_on=measured_on,
            site=Site.CALF,
            affected_cm=Decimal(affected),
            unaffected_cm=Decimal("35.0"),
            recorded_by=physio,
        )
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.SIX_MINUTE_WALK,
            measured_on=measured_on,
            value=Decimal(walked),
            recorded_by=physio,
        )
    template = PlanTemplateFactory(name="Return to walking")
    TemplatePrescriptionFactory(template=template, activity=activity("Walking"))
    return World(patient=patient, physio=physio, admin=admin, plan=plan, session=session)


def thread_of(world: World) -> int:
    """The comment on the world's session, answered once by the patient."""
    comment = world.session.comments.get()
    if not comment.replies.exists():
        add_reply(comment=comment, author=world.patient, text="Thank you, I will.")
    return comment.pk


def answer_log_form(page: Page) -> None:
    page.locator("#id_effort").get_by_text("11", exact=True).click()
    page.locator("#id_pain_before").get_by_text("1", exact=True).click()
    page.locator("#id_pain_after").get_by_text("1", exact=True).click()


def log_form_with_errors(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/log/")
    page.get_by_role("button", name="Save session").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def urgent_screen(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/log/")
    answer_log_form(page)
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("link", name="Call 112")).to_be_visible()


def clearance_form_with_errors(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/patients/{world.patient.pk}/clearances/new/")
    page.get_by_role("button", name="Save clearance").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def pause_confirm_with_error(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/plans/{world.plan.pk}/pause/")
    page.get_by_role("button", name="Pause the plan").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def sign_in_with_error(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/account/login/")
    page.get_by_label("Username").fill("patient")
    page.get_by_label("Password").fill(f"not-{PASSWORD}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")


def sign_in_after_expiry(page: Page, url: str, world: World) -> None:
    """Danger signs sent after the sign-in expired: the sign-in page with the urgent box."""
    sign_in(page, url, "patient")
    page.goto(f"{url}/report-danger/")
    page.context.clear_cookies(name="sessionid")
    page.get_by_label("Slurred speech").check()
    page.get_by_role("button", name="Send to my care team").click()
    expect(page.get_by_text("Your care team has not been told yet")).to_be_visible()


def stale_danger_form(page: Page, url: str, world: World) -> None:
    """Danger signs sent from a page whose token went stale."""
    page.goto(f"{url}/report-danger/")
    # Signed in again in another tab: the browser's token changed under this page.
    page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "url": url}])
    page.get_by_label("A severe headache").check()
    # Sent as the browser sends it without the offline app, which would fetch a fresh token
    # first and so never reach the stale-form page.
    page.locator("main form[data-offline-queue]").evaluate("form => form.submit()")
    expect(page.get_by_role("button", name="Send this to my care team")).to_be_visible()


def contact_details_with_errors(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/my-details/")
    page.locator("#id_phone").fill("call me")
    page.get_by_role("button", name="Save contact details").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def morning_pain_answered(page: Page, url: str, world: World) -> None:
    """Today after the next-morning question was answered with pain that has not settled."""
    page.goto(f"{url}/today/")
    question = page.get_by_role("article", name="How is the pain this morning?")
    question.get_by_role("button", name="6", exact=True).click()
    expect(page.get_by_text("Thank you. Pain this morning: 6/10.")).to_be_visible()


def reminders_with_calendar(page: Page, url: str, world: World) -> None:
    """Reminders and calendar once the calendar address is made: the long address at 360 px."""
    page.goto(f"{url}/reminders/")
    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.get_by_text("Your calendar address is ready.")).to_be_visible()


def calendar_stop_confirm(page: Page, url: str, world: World) -> None:
    """The confirm step before the calendar address stops."""
    reminders_with_calendar(page, url, world)
    page.get_by_role("button", name="Stop this address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop your calendar address?")


def invitation_of(world: World, *, expired: bool = False) -> str:
    """The link of an invitation Maya sent Nora Quinn (expired, if asked), which also puts her
    on the Invitations page."""
    invitation, _ = invite_patient(
        by=world.physio,
        first_name="Nora",
        last_name="Quinn",
        email="nora.quinn@example.org",
        profile={},
        care_team=[world.physio],
    )
    if expired:
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    return f"/invitation/{token_for(invitation)}/"


def with_invitation(path: Callable[[World], str], *, expired: bool = False):
    def go(page: Page, url: str, world: World) -> None:
        invitation_of(world, expired=expired)
        page.goto(f"{url}{path(world)}")

    return go


def invitations_expired_and_withdrawn(page: Page, url: str, world: World) -> None:
    """Nora's invitation expired, Omar's withdrawn (listed with Invite again)."""
    invitation_of(world, expired=True)
    withdrawn, _ = invite_patient(
        by=world.physio,
        first_name="Omar",
        last_name="Haddad",
        email="omar.haddad@example.org",
        profile={},
        care_team=[world.physio],
    )
    revoke_invitation(by=world.physio, invitation=withdrawn)
    page.goto(f"{url}/invitations/")


def invitation_link(*, expired: bool = False):
    def go(page: Page, url: str, world: World) -> None:
        page.goto(f"{url}{invitation_of(world, expired=expired)}")

    return go


def invite_form_with_errors(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/invitations/patient/")
    page.get_by_label("E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".errorlist").first).to_be_visible()


def visit(path: Callable[[World], str]) -> Callable[[Page, str, World], None]:
    def go(page: Page, url: str, world: World) -> None:
        page.goto(f"{url}{path(world)}")

    return go


def two_factor_code(page: Page, url: str, world: World) -> None:
    """The code page: signed out, then the password alone."""
    sign_out(page)
    page.get_by_label("Username").fill("physio")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter the 6-digit code")).to_be_visible()


def two_factor_setup_with_error(page: Page, url: str, world: World) -> None:
    page.goto(f"{url}/account/two-factor/setup/")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".errorlist").first).to_be_visible()


# Page id: (who signs in, or None; how to get there).
PAGES: dict[str, tuple[str | None, Callable[[Page, str, World], None]]] = {
    "patient-today": ("patient", visit(lambda w: "/today/")),
    "patient-today-morning-answered": ("patient", morning_pain_answered),
    "patient-log": ("patient", visit(lambda w: "/log/")),
    "patient-log-errors": ("patient", log_form_with_errors),
    "patient-urgent": ("patient", urgent_screen),
    "patient-report-danger": ("patient", visit(lambda w: "/report-danger/")),
    "patient-history": ("patient", visit(lambda w: "/history/")),
    "patient-session-edit": ("patient", visit(lambda w: f"/sessions/{w.session.pk}/edit/")),
    "patient-session-delete": ("patient", visit(lambda w: f"/sessions/{w.session.pk}/delete/")),
    "patient-progress": ("patient", visit(lambda w: "/progress/")),
    "patient-functional-scale": ("patient", visit(lambda w: "/functional-scale/")),
    "patient-import": ("patient", visit(lambda w: "/import/")),
    "patient-plan": ("patient", visit(lambda w: "/plan/")),
    "patient-thread": ("patient", visit(lambda w: f"/comments/{thread_of(w)}/thread/")),
    "patient-my-data": ("patient", visit(lambda w: "/my-data/")),
    "patient-my-details": ("patient", visit(lambda w: "/my-details/")),
    "patient-my-details-errors": ("patient", contact_details_with_errors),
    "patient-reminders": ("patient", visit(lambda w: "/reminders/")),
    "patient-reminders-calendar": ("patient", reminders_with_calendar),
    "patient-calendar-stop-confirm": ("patient", calendar_stop_confirm),
    "patient-close-account": ("patient", visit(lambda w: "/my-data/close/")),
    "patient-stale-danger-form": ("patient", stale_danger_form),
    "patient-password-change": ("patient", visit(lambda w: "/account/password_change/")),
    "patient-404": ("patient", visit(lambda w: "/no-such-page/")),
    "physio-caseload": ("physio", visit(lambda w: "/caseload/")),
    "physio-alerts": ("physio", visit(lambda w: "/alerts/")),
    "physio-record": ("physio", visit(lambda w: f"/patients/{w.patient.pk}/")),
    "physio-thread": ("physio", visit(lambda w: f"/comments/{thread_of(w)}/thread/")),
    "physio-contact": ("physio", visit(lambda w: f"/patients/{w.patient.pk}/contact/")),
    "physio-plan-editor": ("physio", visit(lambda w: f"/plans/{w.plan.pk}/")),
    "physio-clearance-errors": ("physio", clearance_form_with_errors),
    "physio-plan-pause": ("physio", visit(lambda w: f"/plans/{w.plan.pk}/pause/")),
    "physio-plan-pause-errors": ("physio", pause_confirm_with_error),
    "physio-plan-new": ("physio", visit(lambda w: f"/patients/{w.patient.pk}/plans/new/")),
    "physio-progress": ("physio", visit(lambda w: f"/patients/{w.patient.pk}/progress/")),
    "physio-report": ("physio", visit(lambda w: f"/patients/{w.patient.pk}/report/")),
    "physio-invitations": ("physio", with_invitation(lambda w: "/invitations/")),
    "physio-invitations-expired-and-withdrawn": ("physio", invitations_expired_and_withdrawn),
    "physio-caseload-invited": ("physio", with_invitation(lambda w: "/caseload/", expired=True)),
    "physio-invite-patient": ("physio", visit(lambda w: "/invitations/patient/")),
    "physio-invite-patient-errors": ("physio", invite_form_with_errors),
    "physio-invitation-revoke": (
        "physio",
        with_invitation(lambda w: f"/invitations/{Invitation.objects.get().pk}/revoke/"),
    ),
    "physio-notices": ("physio", visit(lambda w: "/notifications/")),
    "admin-overview": ("admin", visit(lambda w: "/overview/")),
    "admin-caseload": ("admin", visit(lambda w: "/caseload/")),
    "admin-alerts": ("admin", visit(lambda w: "/alerts/")),
    "admin-invite-staff": ("admin", visit(lambda w: "/invitations/staff/")),
    "admin-invite-patient": ("admin", visit(lambda w: "/invitations/patient/")),
    "admin-django-index": ("admin", visit(lambda w: "/admin/")),
    "admin-django-activity-add": ("admin", visit(lambda w: "/admin/tracker/activity/add/")),
    "admin-django-template-add": ("admin", visit(lambda w: "/admin/tracker/plantemplate/add/")),
    "admin-django-plans": ("admin", visit(lambda w: "/admin/tracker/plan/")),
    "admin-django-plan": ("admin", visit(lambda w: f"/admin/tracker/plan/{w.plan.pk}/change/")),
    "admin-django-users": ("admin", visit(lambda w: "/admin/tracker/user/")),
    "admin-django-closures": ("admin", visit(lambda w: "/admin/tracker/accountclosure/")),
    "patient-two-factor-setup": ("patient", visit(lambda w: "/account/two-factor/setup/")),
    "patient-two-factor-setup-errors": ("patient", two_factor_setup_with_error),
    "physio-two-factor-code": ("physio", two_factor_code),
    "anonymous-sign-in-error": (None, sign_in_with_error),
    "anonymous-sign-in-after-expiry": (None, sign_in_after_expiry),
    "anonymous-password-reset": (None, visit(lambda w: "/account/password_reset/")),
    "anonymous-404": (None, visit(lambda w: "/no-such-page/")),
    "anonymous-invitation-accept": (None, invitation_link()),
    "anonymous-invitation-expired": (None, invitation_link(expired=True)),
    "anonymous-reminders-stop": (
        None,
        visit(lambda w: f"/reminders/stop/{w.patient.pk}/{reminder_stop_token(w.patient.pk)}/"),
    ),
}


# The innermost elements that reach past the right edge, leaving out those inside a box that
# scrolls or clips on its own: what makes the page itself scroll sideways.
OVERFLOWING = """(width) => {
  const clipped = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return true;
    }
    return false;
  };
  const over = (el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el);
  return [...document.body.querySelectorAll('*')]
    .filter((el) => over(el) && ![...el.children].some(over))
    .map((el) => el.outerHTML.slice(0, 120));
}"""


def open_page(page: Page, base_url: str, world: World, name: str) -> None:
    """Sign in as the page's person, if any, and go to the page, with every fold open."""
    who, go = PAGES[name]
    if who is not None:
        sign_in(page, base_url, who)
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    go(page, base_url, world)
    # A page reached by a form's POST is checked once its styles have loaded: the form's error
    # shows as soon as the HTML is in, before the stylesheet may be.
    page.wait_for_load_state("load")
    wait_for_htmx(page)
    # What folds away (comment forms, tables of numbers, symptoms) is checked open too.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")


# The app's own pages, built phone first. The Django admin is the administrators' desk tool:
# it is checked with axe, but it is Django's layout, not ours.
APP_PAGES = [name for name in PAGES if not name.startswith("admin-django-")]
