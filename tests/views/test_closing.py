"""Closing an account from "Your data": the confirm step, the request, withdrawing it, and a
signed-in account's sessions ending once an admin completes it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.conftest import client_for
from tests.factories import AdminFactory
from tracker.domain.closing import complete_closure, request_closure
from tracker.models import AccountClosure, AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_your_data_offers_to_close_the_account_below_the_downloads(patient_client):
    page = text(patient_client.get("/my-data/"))

    assert (
        '<a href="/my-data/close/" role="button" class="secondary outline">Close your account</a>'
    ) in page
    assert page.index("Download everything") < page.index("Close your account")


def test_the_confirm_step_says_what_happens_in_plain_words(patient_client):
    response = patient_client.get("/my-data/close/")

    page = text(response)
    assert response.status_code == 200
    assert '<a href="/my-data/#download-heading">download your data</a>' in page
    assert "you can no longer sign in" in page
    assert "The clinic may keep your record for as long as its retention rules say" in page
    assert (
        "Until your account is closed, you can still tell your care team with "
        '<a href="/report-danger/">Report a danger sign</a>.'
    ) in page
    assert "After it is closed, call your care team, or 112 in an emergency." in page
    # Nothing that contradicts the page's own "Report a danger sign" link.
    assert "do not use the app" not in page
    assert 'name="reason"' in page
    assert "Ask to close my account" in page


def test_asking_saves_the_request_and_shows_when(patient_client, patient):
    with time_machine.travel(NOW, tick=False):
        response = patient_client.post("/my-data/close/", {"reason": "Moving abroad"})
        page = text(patient_client.get(response["Location"]))

    assert (response.status_code, response["Location"]) == (302, "/my-data/close/")
    closure = AccountClosure.objects.get()
    assert (closure.patient, closure.reason) == (patient, "Moving abroad")
    assert "You asked on 2 December 2026; the clinic will close it." in page
    assert "Keep my account" in page
    assert 'name="reason"' not in page


def test_your_data_shows_the_request_once_made(patient_client, patient):
    with time_machine.travel(NOW, tick=False):
        request_closure(by=patient, reason="")
        page = text(patient_client.get("/my-data/"))

    assert "You asked on 2 December 2026; the clinic will close it." in page
    assert 'action="/my-data/close/withdraw/"' in page


def test_the_reason_is_optional(patient_client):
    response = patient_client.post("/my-data/close/", {"reason": ""})

    assert response.status_code == 302
    assert AccountClosure.objects.get().reason == ""


def test_a_reason_too_long_comes_back_with_the_text_kept(patient_client):
    long_reason = "x" * 1001

    response = patient_client.post("/my-data/close/", {"reason": long_reason})

    page = text(response)
    assert response.status_code == 200
    assert "This reason is 1,001 characters; the most is 1,000." in page
    assert long_reason in page
    assert AccountClosure.objects.count() == 0


def test_sending_the_form_twice_saves_once(patient_client, patient):
    patient_client.post("/my-data/close/", {"reason": "first"})

    second = patient_client.post("/my-data/close/", {"reason": "second"})

    assert (second.status_code, second["Location"]) == (302, "/my-data/close/")
    assert AccountClosure.objects.get().reason == "first"
    assert AuditEvent.objects.filter(what__contains="close the account").count() == 1


def test_withdrawing_takes_the_request_back(patient_client, patient):
    request_closure(by=patient, reason="")

    response = patient_client.post("/my-data/close/withdraw/")

    assert (response.status_code, response["Location"]) == (302, "/my-data/")
    assert AccountClosure.objects.count() == 0
    page = text(patient_client.get("/my-data/"))
    assert "Your account stays open." in page
    assert "You asked on" not in page


def test_another_patient_neither_sees_nor_withdraws_someone_elses_request(patient, other_patient):
    request_closure(by=patient, reason="Moving abroad")
    other = client_for(other_patient)

    page = text(other.get("/my-data/close/"))
    other.post("/my-data/close/withdraw/")

    assert "You asked on" not in page
    assert "Moving abroad" not in page
    assert AccountClosure.objects.get().patient == patient


def test_staff_cannot_open_the_patients_closing_page(physio_client):
    assert physio_client.get("/my-data/close/").status_code == 403
    assert physio_client.post("/my-data/close/").status_code == 403
    assert AccountClosure.objects.count() == 0


@pytest.mark.parametrize("setting", ["keep", "remove"])
def test_completing_ends_a_signed_in_patients_session(settings, patient, setting):
    settings.CLOSED_ACCOUNT_RECORDS = setting
    signed_in = client_for(patient)
    assert signed_in.get("/today/").status_code == 200
    closure, _ = request_closure(by=patient, reason="")

    complete_closure(by=AdminFactory(), closure=closure)
    response = signed_in.get("/today/")

    assert (response.status_code, response["Location"]) == (302, "/account/login/?next=/today/")


def test_a_closed_account_cannot_sign_in_again(client, patient):
    closure, _ = request_closure(by=patient, reason="")
    complete_closure(by=AdminFactory(), closure=closure)

    signed_in = client.login(username=patient.username, password="correct-horse-battery")

    assert signed_in is False
