"""Hardened defaults: the Content Security Policy, security headers, sign-in throttling, idle
sessions by role, and `check --deploy` clean with production settings."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.access import test_access_matrix as access_matrix
from tests.access.test_access_matrix import world  # noqa: F401  (the matrix's fixture)
from tests.conftest import sign_in_verified
from tests.factories import (
    PASSWORD,
    AdminFactory,
    PhysiotherapistFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; worker-src 'self'; manifest-src 'self'"
)
POLICY_WITHOUT_NONCE = POLICY.replace(" 'nonce-{nonce}'", "")
pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
LOCKED_OUT = "Too many failed sign-ins. Try again in 15 minutes, or reset your password."
WRONG_PASSWORD = "Please enter a correct username and password"


def scripts(html: str) -> list[dict[str, str]]:
    return [
        dict(re.findall(r'(\w+)="([^"]*)"', attrs))
        for attrs in re.findall(r"<script\b([^>]*)>", html)
    ]


def alert_text(html: str) -> str:
    alert = re.search(r'role="alert">(.*?)</div>', html, re.DOTALL)
    assert alert, html
    return " ".join(re.sub(r"<[^>]+>", "", alert.group(1)).split())


def sign_in_attempt(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# Production settings: check --deploy ------------------------------------------------------


def test_check_deploy_with_production_settings_reports_no_issues():
    # Only what a process needs to run: none of the test run's relaxations (plain HTTP, cookies
    # without Secure, Django's async guard off) may leak in.
    inherited = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "rehab.example.org",
        "DEBUG": "false",
        # Production sends password-reset mail; without a mail server Django 6.1 rightly
        # reports the console backend as an error.
        "EMAIL_HOST": "smtp.example.org",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


# Content Security Policy --------------------------------------------------------------------


@pytest.fixture
def clients(patient, physio, admin_user) -> dict[str, Client]:
    signed_in = {"anonymous": Client()}
    for name, user in {"patient": patient, "physio": physio, "admin": admin_user}.items():
        signed_in[name] = Client()
        sign_in_verified(signed_in[name], user)
    return signed_in


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("anonymous", "/account/login/"),
        ("anonymous", "/account/password_reset/"),
        ("patient", "/today/"),
        ("patient", "/history/"),
        ("physio", "/caseload/"),
        ("admin", "/overview/"),
        ("patient", "/no-such-page/"),
    ],
)
def test_csp_header_is_the_strict_policy_with_the_nonce_of_the_htmx_script(clients, who, url):
    response = clients[who].get(url)

    tags = scripts(response.text)
    assert [tag["src"] for tag in tags] == [
        "/static/django_htmx/htmx-2.min.js",
        "/static/tracker/keys.js",
        "/static/tracker/once.js",
        "/static/tracker/limits.js",
        "/static/tracker/queue_store.js",
        "/static/tracker/offline.js",
        "/static/tracker/queue.js",
    ]
    nonce = tags[0]["nonce"]
    assert len(nonce) >= 16
    assert response["Content-Security-Policy"] == POLICY.format(nonce=nonce)


def test_csp_nonce_is_new_for_every_response(clients):
    first = scripts(clients["patient"].get("/today/").text)[0]["nonce"]
    second = scripts(clients["patient"].get("/today/").text)[0]["nonce"]

    assert first != second


def test_csp_without_a_script_on_the_page_allows_no_nonce(clients):
    response = clients["anonymous"].get("/")

    assert response.status_code == 302
    assert response["Content-Security-Policy"] == POLICY_WITHOUT_NONCE


def test_htmx_is_configured_not_to_eval_inject_styles_or_store_pages_before_it_loads(clients):
    html = clients["anonymous"].get("/account/login/").text

    config = (
        '<meta name="htmx-config" content=\''
        '{"includeIndicatorStyles": false, "allowEval": false, "historyCacheSize": 0}\'>'
    )
    assert config in html
    assert html.index(config) < html.index("htmx-2.min.js")


def test_templates_have_no_inline_scripts_styles_or_event_handlers():
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE
    )

    # E-mails are read in mail programs, which take styles only inline; no CSP applies there.
    emails = TEMPLATES / "tracker" / "emails"
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if emails not in path.parents
        for match in inline.finditer(path.read_text())
    ]

    assert found == []


# Other headers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "url"), [("anonymous", "/account/login/"), ("patient", "/today/")])
def test_security_headers_are_set(clients, who, url):
    response = clients[who].get(url)

    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_permissions_policy_is_set_on_error_pages_and_redirects(clients):
    assert clients["patient"].get("/no-such-page/")["Permissions-Policy"] == PERMISSIONS_POLICY
    assert clients["anonymous"].get("/")["Permissions-Policy"] == PERMISSIONS_POLICY


def test_hsts_is_sent_over_https(clients):
    response = clients["anonymous"].get("/account/login/", headers={"X-Forwarded-Proto": "https"})

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# Sign-in throttling --------------------------------------------------------------------------


def test_four_wrong_passwords_are_refused_with_the_usual_message(patient):
    client = Client()

    responses = [sign_in_attempt(client, patient.username, "wrong") for _ in range(4)]

    assert [response.status_code for response in responses] == [200] * 4
    assert all(WRONG_PASSWORD in response.text for response in responses)


def test_fifth_wrong_password_locks_the_account_with_the_message(patient):
    client = Client()
    for _ in range(4):
        sign_in_attempt(client, patient.username, "wrong")

    response = sign_in_attempt(client, patient.username, "wrong")

    assert response.status_code == 429
    assert alert_text(response.text) == LOCKED_OUT
    assert 'class="site-header"' in response.text
    assert f'href="{reverse("password_reset")}"' in response.text


def test_locked_account_refuses_the_right_password_until_the_cool_off_has_passed(patient):
    client = Client()
    for _ in range(5):
        sign_in_attempt(client, patient.username, "wrong")

    refused = sign_in_attempt(client, patient.username, PASSWORD)

    assert refused.status_code == 429
    assert alert_text(refused.text) == LOCKED_OUT
    assert client.get("/today/").status_code == 302  # not signed in
    # Fifteen minutes pass since the last attempt.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    signed_in = sign_in_attempt(client, patient.username, PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.url == "/"
    assert client.get("/today/").status_code == 200


def test_lockout_holds_for_fourteen_minutes(patient):
    client = Client()
    for _ in range(5):
        sign_in_attempt(client, patient.username, "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))

    response = sign_in_attempt(client, patient.username, PASSWORD)

    assert response.status_code == 429


def test_lockout_is_for_that_username_from_that_address_only(patient, other_patient):
    for _ in range(5):
        sign_in_attempt(Client(), patient.username, "wrong")

    same_user_elsewhere = sign_in_attempt(
        Client(REMOTE_ADDR="10.1.2.3"), patient.username, PASSWORD
    )
    other_user_same_address = sign_in_attempt(Client(), other_patient.username, PASSWORD)

    assert same_user_elsewhere.status_code == 302
    assert other_user_same_address.status_code == 302


def test_a_right_password_clears_earlier_failures(patient):
    client = Client()
    for _ in range(4):
        sign_in_attempt(client, patient.username, "wrong")
    sign_in_attempt(client, patient.username, PASSWORD)
    client.post(reverse("logout"))

    responses = [sign_in_attempt(client, patient.username, "wrong") for _ in range(4)]

    assert [response.status_code for response in responses] == [200] * 4


def test_django_admin_sign_in_is_throttled_too(admin_user):
    client = Client()
    for _ in range(4):
        client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})

    response = client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})

    assert response.status_code == 429
    assert alert_text(response.text) == LOCKED_OUT


# Sessions end after inactivity, by role -----------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "seconds"),
    [(UserFactory, 8 * 60 * 60), (PhysiotherapistFactory, 60 * 60), (AdminFactory, 60 * 60)],
)
def test_session_expires_after_inactivity_by_role(factory, seconds):
    user = factory()
    client = Client()

    response = sign_in_attempt(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert client.session.get_expiry_age() == seconds
    assert response.cookies["sessionid"]["max-age"] == seconds


def test_activity_restarts_the_inactivity_clock_once_a_quarter_of_it_has_passed(
    physio, monkeypatch
):
    client = Client()
    sign_in_attempt(client, physio.username, PASSWORD)
    signed_in_at = time.time()
    session = Session.objects.get(pk=client.session.session_key)
    first_expiry = session.expire_date

    monkeypatch.setattr(time, "time", lambda: signed_in_at + 10 * 60)  # 10 of 60 minutes
    client.get("/caseload/")
    session.refresh_from_db()
    unchanged = session.expire_date
    monkeypatch.setattr(time, "time", lambda: signed_in_at + 20 * 60)  # past a quarter
    response = client.get("/caseload/")
    session.refresh_from_db()

    assert unchanged == first_expiry  # no write on every request
    assert session.expire_date > first_expiry
    assert response.cookies["sessionid"]["max-age"] == 60 * 60


def test_session_past_its_inactivity_limit_signs_out(physio):
    client = Client()
    sign_in_attempt(client, physio.username, PASSWORD)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    response = client.get("/caseload/")

    assert response.status_code == 302
    assert response.url == "/account/login/?next=/caseload/"


# Health data stays out of caches -------------------------------------------------------------

# Every page a signed-in person is sent may hold health data: no cache along the way keeps it,
# nor the browser's own (nor its back-forward cache), so it is gone from a shared computer.
NO_STORE = {"private", "no-store"}


def cache_directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("name", sorted(access_matrix.MATRIX))
def test_every_page_and_download_for_a_signed_in_user_is_not_stored(client, world, name):  # noqa: F811
    entry = access_matrix.MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    missing = []
    for role in access_matrix.ROLES[1:]:  # everyone signed in
        for method, headers in (("GET", {}), ("GET", {"HX-Request": "true"}), ("POST", {})):
            sign_in_verified(client, world.users[role])
            data = entry.data(world) if method == "POST" else {}
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.post(url, data)
            if response.streaming:
                b"".join(response.streaming_content)
            if not cache_directives(response) >= NO_STORE:
                missing.append(
                    f"{role} {method}{' htmx' if headers else ''}: {response.status_code}"
                )
    assert missing == [], f"{url} without Cache-Control: private, no-store"


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/tracker/sessionlog/", "/admin/tracker/auditevent/"]
)
def test_admin_pages_are_not_stored(client, world, url):  # noqa: F811
    sign_in_verified(client, world.users["admin"])

    assert cache_directives(client.get(url)) >= NO_STORE


def test_sign_in_page_after_an_expiry_is_not_stored(client):
    # A signed-out danger report waits in the session and is shown on the sign-in page.
    client.post("/report-danger/", {"danger_signs": ["paralysis"], "notes": "Left arm."})

    response = client.get("/account/login/?next=/report-danger/")

    assert "Left arm." in response.text
    assert cache_directives(response) >= NO_STORE


def test_static_files_are_left_to_be_cached(settings, patient):
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # its middleware is built now, with these settings
    sign_in_verified(client, patient)

    response = client.get("/static/tracker/app.css")

    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)
