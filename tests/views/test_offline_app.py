"""The installable app's server side (issue 18): the manifest, the service worker at the root
scope, the CSRF token the offline queue asks for, and the headers that keep health data out
of caches and tell the worker what it may keep."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from tests.conftest import sign_in_verified
from tests.factories import log_form, make_active_plan
from tracker.domain.plans import change_status
from tracker.models import PlanStatus, SessionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


def test_manifest_names_the_app_its_colours_and_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert (body["name"], body["short_name"]) == ("Rehab tracker", "Rehab")
    assert (body["start_url"], body["scope"], body["display"]) == ("/", "/", "standalone")
    assert (body["theme_color"], body["background_color"]) == ("#0f5e5a", "#ffffff")
    assert [(icon["sizes"], icon.get("purpose", "any")) for icon in body["icons"]] == [
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    ]
    for icon in body["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")) is not None


def test_every_page_links_the_manifest(client):
    response = client.get("/account/login/")

    assert '<link rel="manifest" href="/manifest.webmanifest">' in response.text


def test_service_worker_is_served_at_the_root_as_javascript_never_kept(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    config = json.loads(response.text.split("\n", 1)[0].removeprefix("const CONFIG = ")[:-1])
    assert config["pages"] == ["/today/", "/plan/", "/log/", "/report-danger/"]
    assert "/static/tracker/offline.js" in config["assets"]
    assert "/static/tracker/queue.js" in config["assets"]
    assert any(asset.startswith("/static/django_htmx/") for asset in config["assets"])
    assert 'self.addEventListener("fetch"' in response.text


def test_content_security_policy_allows_the_worker_and_manifest_from_the_site_only(client):
    response = client.get("/account/login/")

    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy


def test_csrf_token_is_for_signed_in_people_only(client):
    response = client.get("/offline/token/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/offline/token/"


def test_csrf_token_is_fresh_json_never_stored(patient_client):
    response = patient_client.get("/offline/token/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert len(response.json()["csrf_token"]) == 64


def test_a_replay_with_the_fresh_token_is_saved_once_however_often_it_is_sent(patient, plan):
    client = sign_in_verified(Client(enforce_csrf_checks=True), patient)
    entry = log_form(minutes="25")

    answers = []
    for _ in range(2):  # the queue sends the same entry again (a lost answer, another tab)
        token = client.get("/offline/token/").json()["csrf_token"]
        answers.append(client.post("/log/", {**entry, "csrfmiddlewaretoken": token}))

    assert [answer.status_code for answer in answers] == [302, 302]
    session = SessionLog.objects.get()
    assert session.minutes == 25
    assert answers[0]["Location"] == "/today/"
    assert answers[1]["Location"] == f"/history/#session-{session.pk}"


def test_a_replay_without_a_fresh_token_is_refused_and_saves_nothing(patient, plan):
    client = sign_in_verified(Client(enforce_csrf_checks=True), patient)

    response = client.post("/log/", log_form())

    assert response.status_code == 403
    assert SessionLog.objects.count() == 0


@pytest.mark.parametrize("path", ["/today/", "/plan/", "/log/", "/report-danger/", "/history/"])
def test_signed_in_pages_are_never_stored_by_the_browser(patient_client, plan, path):
    response = patient_client.get(path)

    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) >= {"no-store", "private"}


@pytest.mark.parametrize("path", ["/today/", "/plan/", "/log/", "/report-danger/"])
def test_a_patients_offline_pages_may_be_kept_for_their_account(patient_client, plan, path):
    response = patient_client.get(path)

    assert response["Offline-Copy"] == "keep"
    assert len(response["Offline-Account"]) == 24
    assert f'data-offline-account="{response["Offline-Account"]}"' in response.text


def test_other_patient_pages_are_not_kept(patient_client, plan):
    response = patient_client.get("/history/")

    assert "Offline-Copy" not in response
    assert "Offline-Account" in response


def test_each_account_has_its_own_offline_key(patient, other_patient, plan):
    first = client_key(patient)
    second = client_key(other_patient)

    assert first != second
    assert first == client_key(patient)


def client_key(user) -> str:
    return sign_in_verified(Client(), user).get("/history/")["Offline-Account"]


def test_a_physiotherapists_pages_are_not_kept_and_register_no_worker(physio_client, plan):
    response = physio_client.get("/caseload/")

    assert response.status_code == 200
    assert "Offline-Copy" not in response
    assert "Offline-Account" in response  # so the worker wipes a patient's pages
    assert "data-offline-account" not in response.text
    assert 'id="offline-queue"' not in response.text


def test_signed_out_visitors_are_told_nothing_about_accounts(client):
    response = client.get("/account/login/")

    assert "Offline-Account" not in response
    assert "data-offline-account" not in response.text


def test_signing_out_clears_the_sites_storage_and_caches(patient_client):
    response = patient_client.post("/account/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_only_signing_out_clears_site_data(patient_client, plan):
    response = patient_client.get("/today/")

    assert "Clear-Site-Data" not in response


def test_the_log_form_carries_the_offline_urgent_screen_with_the_emergency_number(
    patient_client, plan, settings
):
    settings.EMERGENCY_NUMBER = "999"

    response = patient_client.get("/log/")

    template = response.text.split('<template id="offline-urgent">')[1].split("</template>")[0]
    assert "Stop exercising and get urgent medical help now" in template
    assert '<a href="tel:999" class="urgent-button">Call 999</a>' in template
    assert "Your report is kept on this phone" in template
    assert "<form" not in template and "<script" not in template  # a call needs nothing sent
    assert 'class="log-form" data-offline-queue>' in response.text


def test_the_token_reads_only_the_session_and_the_user(patient_client, django_assert_num_queries):
    with django_assert_num_queries(2):  # nothing of the patient's record
        response = patient_client.get("/offline/token/")

    assert response.status_code == 200


def test_the_worker_names_the_emergency_number_for_pages_not_kept(client, settings):
    settings.EMERGENCY_NUMBER = "999"

    response = client.get("/sw.js")

    assert '"emergency": "999"' in response.text.split("\n", 1)[0]


def test_the_log_form_says_what_became_of_the_entry_it_was_sent(patient_client, plan):
    entry = log_form(minutes="25")

    first = patient_client.post("/log/", entry)
    again = patient_client.post("/log/", entry)
    refused = patient_client.post("/log/", log_form(minutes=""))

    assert [first["Offline-Result"], again["Offline-Result"]] == ["saved", "already"]
    assert refused["Offline-Result"] == "refused"
    assert "Offline-Result" not in patient_client.get("/log/")


def test_a_danger_sign_from_the_log_form_is_filed_and_says_when_its_session_was_not(
    patient_client, plan
):
    signs = {"danger_signs": ["vision"], "no_danger_signs": None}
    filed = patient_client.post("/log/", log_form(**signs))
    not_saved = patient_client.post("/log/", log_form(minutes="", **signs))
    again = patient_client.post("/log/", log_form(**signs) | {"request_key": filed_key(filed)})

    assert (filed["Offline-Result"], "Offline-Session" in filed) == ("saved", False)
    assert not_saved["Offline-Result"] == "saved"
    assert not_saved["Offline-Session"] == "not-saved"
    assert again["Offline-Result"] == "already"


def filed_key(response) -> str:
    return str(response.context["report"].request_key)


def test_the_danger_sign_page_says_whether_the_report_was_filed(patient_client, plan):
    entry = {"request_key": str(uuid.uuid4()), "danger_signs": ["vision"], "notes": ""}

    first = patient_client.post("/report-danger/", entry)
    again = patient_client.post("/report-danger/", entry)
    refused = patient_client.post("/report-danger/", {"request_key": str(uuid.uuid4())})

    assert [first["Offline-Result"], again["Offline-Result"]] == ["saved", "already"]
    assert refused["Offline-Result"] == "refused"


def test_a_paused_plan_refuses_a_kept_session_in_its_own_words(patient_client, plan, physio):
    today = timezone.localdate()
    change_status(plan=plan, to=PlanStatus.PAUSED, today=today, by=physio, reason="Knee.")

    response = patient_client.post("/log/", log_form())

    assert response["Offline-Result"] == "refused"
    assert SessionLog.objects.count() == 0


def test_a_replayed_entry_is_answered_with_its_result_and_leaves_no_message(patient_client, plan):
    replay = {"HTTP_OFFLINE_QUEUE": "replay"}
    entry = log_form(minutes="25")

    first = patient_client.post("/log/", entry, **replay)
    again = patient_client.post("/log/", entry, **replay)

    assert (first.status_code, first["Offline-Result"]) == (200, "saved")
    assert (again.status_code, again["Offline-Result"]) == (200, "already")
    assert "Well done" not in patient_client.get("/today/").text
    assert SessionLog.objects.get().minutes == 25
