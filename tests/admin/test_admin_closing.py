"""Requests to close an account in Django's admin: open ones first, the action "Close these
accounts" with its confirm page, the refusals, and the overview's count of waiting ones."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import client_for
from tests.factories import make_patient
from tracker.domain.closing import complete_closure, request_closure
from tracker.domain.logbook import report_danger
from tracker.models import AccountClosure, Alert, AlertKind, AuditEvent, User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
CHANGELIST = "/admin/tracker/accountclosure/"


def text(response) -> str:
    return " ".join(response.content.decode().split())


def close_action(*closures: AccountClosure, confirm: bool) -> dict:
    data = {"action": "close_accounts", "_selected_action": [str(c.pk) for c in closures]}
    if confirm:
        data["post"] = "yes"
    return data


@pytest.fixture
def admin_client_2fa(admin_user):
    return client_for(admin_user)


def test_open_requests_are_listed_first(admin_client_2fa, admin_user, patient, other_patient):
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        done, _ = request_closure(by=patient, reason="")
        complete_closure(by=admin_user, closure=done)
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        request_closure(by=other_patient, reason="")
    third = make_patient(user__first_name="Cleo", user__last_name="Ames")
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        request_closure(by=third, reason="")

    response = admin_client_2fa.get(CHANGELIST)

    names = [c.patient_name for c in response.context["cl"].result_list]
    assert names == ["Cleo Ames", "Ben Carter", "Anna Novak"]


def test_the_action_asks_to_confirm_and_says_what_the_setting_does(
    settings, admin_client_2fa, patient
):
    settings.CLOSED_ACCOUNT_RECORDS = "remove"
    closure, _ = request_closure(by=patient, reason="Moving abroad")

    response = admin_client_2fa.post(CHANGELIST, close_action(closure, confirm=False))

    page = text(response)
    assert response.status_code == 200
    assert "Close these accounts?" in page
    assert "Anna Novak" in page
    assert "CLOSED_ACCOUNT_RECORDS is “remove”" in page
    assert "deletes each patient's record" in page
    # The admin's own breadcrumb markup (an <ol>), so the trail is styled as on every page.
    assert (
        '<ol class="breadcrumbs"> <li><a href="/admin/">Home</a></li>'
        ' <li><a href="/admin/tracker/">Rehab tracker</a></li>'
        f' <li><a href="{CHANGELIST}">Account closures</a></li>'
        ' <li aria-current="page">Close these accounts</li> </ol>'
    ) in page
    patient.refresh_from_db()
    assert patient.is_active is True


def test_confirming_closes_the_accounts(settings, admin_client_2fa, patient, other_patient):
    settings.CLOSED_ACCOUNT_RECORDS = "keep"
    first, _ = request_closure(by=patient, reason="")
    second, _ = request_closure(by=other_patient, reason="")

    response = admin_client_2fa.post(CHANGELIST, close_action(first, second, confirm=True))

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert list(User.objects.filter(is_active=False).order_by("pk")) == [patient, other_patient]
    assert set(AccountClosure.objects.values_list("outcome", flat=True)) == {"kept"}
    page = text(admin_client_2fa.get(CHANGELIST))
    assert "2 accounts closed; their records kept." in page


def test_the_action_refuses_a_closed_request_and_a_staff_account(
    admin_client_2fa, admin_user, patient, physio
):
    closure, _ = request_closure(by=patient, reason="")
    complete_closure(by=admin_user, closure=closure)
    staff = AccountClosure.objects.create(patient=physio, patient_name="Maya Lindqvist")
    trail = AuditEvent.objects.count()

    admin_client_2fa.post(CHANGELIST, close_action(closure, staff, confirm=True))

    page = text(admin_client_2fa.get(CHANGELIST))
    assert "The account of Anna Novak is already closed." in page
    assert "Maya Lindqvist has a staff account" in page
    physio.refresh_from_db()
    assert physio.is_active is True
    assert AuditEvent.objects.count() == trail


def test_an_open_danger_sign_is_named_on_the_confirm_page_and_refused(
    admin_client_2fa, patient, physio
):
    report_danger(patient=patient, signs=["severe_headache"], notes="")
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain")
    closure, _ = request_closure(by=patient, reason="")

    confirm = text(admin_client_2fa.post(CHANGELIST, close_action(closure, confirm=False)))

    refusal = "Anna Novak has an open danger sign: the care team must acknowledge it first."
    assert refusal in confirm
    assert "Open alerts: Danger sign, Pain." in confirm

    admin_client_2fa.post(CHANGELIST, close_action(closure, confirm=True))

    assert refusal in text(admin_client_2fa.get(CHANGELIST))
    patient.refresh_from_db()
    assert patient.is_active is True


def test_the_confirm_page_names_other_open_alerts_which_do_not_hold_it_up(
    admin_client_2fa, patient
):
    Alert.objects.create(patient=patient, kind=AlertKind.SILENCE, message="No log")
    closure, _ = request_closure(by=patient, reason="")

    confirm = text(admin_client_2fa.post(CHANGELIST, close_action(closure, confirm=False)))

    assert "Open alerts: No recent log." in confirm
    assert "open danger sign" not in confirm
    admin_client_2fa.post(CHANGELIST, close_action(closure, confirm=True))
    patient.refresh_from_db()
    assert patient.is_active is False


def test_a_waiting_requests_own_page_leads_to_the_same_confirm_page(admin_client_2fa, patient):
    closure, _ = request_closure(by=patient, reason="Moving abroad")

    page = admin_client_2fa.get(f"{CHANGELIST}{closure.pk}/change/").content.decode()

    form = page[page.index('<form method="post" action="' + CHANGELIST + '"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="action" value="close_accounts">' in form
    assert f'<input type="hidden" name="_selected_action" value="{closure.pk}">' in form
    assert '<input type="submit" value="Close this account…">' in form
    # What the button sends is the list's action without its confirmation: the confirm page.
    response = admin_client_2fa.post(
        CHANGELIST, {"action": "close_accounts", "_selected_action": str(closure.pk)}
    )
    assert "Close these accounts?" in text(response)
    patient.refresh_from_db()
    assert patient.is_active is True


def test_a_completed_requests_own_page_has_no_close_button(admin_client_2fa, admin_user, patient):
    closure, _ = request_closure(by=patient, reason="")
    complete_closure(by=admin_user, closure=closure)

    page = text(admin_client_2fa.get(f"{CHANGELIST}{closure.pk}/change/"))

    assert "Close this account" not in page


def test_requests_cannot_be_added_edited_or_deleted_by_hand(admin_client_2fa, patient):
    closure, _ = request_closure(by=patient, reason="Moving abroad")

    assert admin_client_2fa.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client_2fa.get(f"{CHANGELIST}{closure.pk}/delete/").status_code == 403
    admin_client_2fa.post(f"{CHANGELIST}{closure.pk}/change/", {"reason": "changed"})
    assert AccountClosure.objects.get().reason == "Moving abroad"


def test_opening_a_request_is_audited(admin_client_2fa, patient):
    closure, _ = request_closure(by=patient, reason="Moving abroad")

    response = admin_client_2fa.get(f"{CHANGELIST}{closure.pk}/change/")

    assert response.status_code == 200
    assert "Moving abroad" in text(response)
    last = AuditEvent.objects.order_by("pk").last()
    assert (last.actor_name, last.action, last.what, last.patient_id) == (
        "Alex Morgan",
        "read",
        "request to close the account",
        patient.pk,
    )


@pytest.mark.parametrize(
    ("waiting", "label"),
    [
        (0, "requests to close an account"),
        (1, "request to close an account"),
        (2, "requests to close an account"),
    ],
)
def test_the_overview_counts_the_waiting_requests(
    admin_client_2fa, admin_user, patient, other_patient, waiting, label
):
    done, _ = request_closure(by=make_patient(), reason="")
    complete_closure(by=admin_user, closure=done)
    for person in [patient, other_patient][:waiting]:
        request_closure(by=person, reason="")

    response = admin_client_2fa.get("/overview/")

    assert response.context["closures_waiting"] == waiting
    page = text(response)
    assert (
        f'<p class="stat-value">{waiting}</p><p class="stat-label">'
        f'<a href="{CHANGELIST}?status=waiting">{label}</a>'
    ) in page


def test_the_list_costs_the_same_for_one_request_and_many(admin_client_2fa, admin_user):
    def ask(count: int) -> None:
        for _ in range(count):
            closure, _ = request_closure(by=make_patient(), reason="")
            complete_closure(by=admin_user, closure=closure)
            request_closure(by=make_patient(), reason="")

    ask(1)
    admin_client_2fa.get(CHANGELIST)  # settles the session and content types
    with CaptureQueriesContext(connection) as one:
        admin_client_2fa.get(CHANGELIST)
    ask(10)

    with CaptureQueriesContext(connection) as many:
        response = admin_client_2fa.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 22
    # The sign-in's own (session, user, its device) and the list's: two counts and one page.
    assert len(many.captured_queries) == len(one.captured_queries)
    assert [q["sql"].split()[0] for q in many.captured_queries][-3:] == ["SELECT"] * 3
