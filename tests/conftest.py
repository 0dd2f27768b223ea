from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.accounts.devices import authenticator
from tests.clock import pinned_now
from tests.factories import AdminFactory, PhysiotherapistFactory, make_patient
from tracker.accounts import two_factor
from tracker.domain.catalogue import seed_activities
from tracker.models import Activity, User


@pytest.fixture(autouse=True)
def _pinned_clock():
    # Every test starts on the same Wednesday morning, whatever day the suite runs on; the
    # clock ticks from there, so time still passes within a test (and in the live server's
    # threads, which share the patched clock). A test that needs another moment travels again.
    with time_machine.travel(pinned_now(), tick=True):
        yield


@pytest.fixture(autouse=True)
def _test_speedups(settings) -> None:
    # A deliberately slow password hash protects real accounts; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production uses hashed static names from collectstatic; tests serve from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _client_login_passes_a_request(monkeypatch) -> None:
    # django-axes guards every sign-in and refuses one without the request it would count the
    # attempt against; the test client's login() passes none. Give it a request from the
    # address the test client's own requests come from, so axes stays on in every test.
    login = Client.login

    def login_with_request(self: Client, **credentials) -> bool:
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture
def physio(db) -> User:
    return PhysiotherapistFactory(first_name="Maya", last_name="Lindqvist")


@pytest.fixture
def other_physio(db) -> User:
    return PhysiotherapistFactory(first_name="Tomás", last_name="Herrera")


@pytest.fixture
def patient(physio) -> User:
    return make_patient(care_team=[physio], user__first_name="Anna", user__last_name="Novak")


@pytest.fixture
def other_patient(other_physio) -> User:
    return make_patient(care_team=[other_physio], user__first_name="Ben", user__last_name="Carter")


@pytest.fixture
def admin_user(db) -> User:
    # Overrides pytest-django's, so its `admin_client` signs in as this admin.
    return AdminFactory(first_name="Alex", last_name="Morgan")


@pytest.fixture(autouse=True)
def _seeded_catalogue(request) -> None:
    # A browser test (transactional) flushes the database when it ends, taking the activities
    # the data migration seeded with it; put them back for any test that uses the database.
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
        seed_activities(Activity)


def sign_in_verified(client: Client, user: User) -> Client:
    """Sign `client` in as `user`, as after a whole sign-in: staff (and a patient who set up
    two-factor sign-in) have confirmed an authenticator app and given its code, which is
    what django_otp.login keeps in the session."""
    client.force_login(user)
    if two_factor.required_for(user) or two_factor.has_device(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()
    return client


def client_for(user: User) -> Client:
    return sign_in_verified(Client(), user)


@pytest.fixture
def admin_client(admin_user) -> Client:
    # Overrides pytest-django's, which signs in without the second factor the admin needs.
    return client_for(admin_user)


@pytest.fixture
def patient_client(patient) -> Client:
    return client_for(patient)


@pytest.fixture
def physio_client(physio) -> Client:
    return client_for(physio)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    # Playwright's sync API runs test code in greenlets, and Django keeps one connection per
    # context, so a browser test can leave an idle PostgreSQL connection behind that would
    # stop the test database from being dropped. End them before it is.
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def run_worker() -> None:
    """The real worker, `manage.py db_worker`, until no task is ready to run."""
    call_command(
        "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
    )
