"""The demo command: fills an empty database once, and never mixes into real accounts."""

from __future__ import annotations

import base64
import email
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import totp

from tests.conftest import run_worker
from tests.factories import UserFactory
from tests.smtp import text_part
from tracker.demo.clinic import DEFAULT_PASSWORD
from tracker.models import Alert, AlertEmail, AlertKind, PatientProfile, Role, User

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    return sorted(
        User.objects.values_list("username", "role", "first_name", "last_name", "password")
    )


def test_demo_creates_the_clinic_with_separate_caseloads(capsys):
    call_command("demo", "--no-serve")

    out = capsys.readouterr().out
    assert f"Password: {DEFAULT_PASSWORD}" in out
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert set(
        User.objects.filter(role=Role.PHYSIOTHERAPIST).values_list("username", flat=True)
    ) == {
        "physio",
        "physio2",
    }
    physio, physio2 = User.objects.get(username="physio"), User.objects.get(username="physio2")
    caseload = set(physio.caseload.values_list("user__username", flat=True))
    caseload2 = set(physio2.caseload.values_list("user__username", flat=True))
    assert len(caseload) >= 3
    assert len(caseload2) >= 3
    assert caseload.isdisjoint(caseload2)
    patients = User.objects.filter(role=Role.PATIENT)
    assert len({patient.get_full_name() for patient in patients}) == patients.count()
    assert PatientProfile.objects.count() == patients.count()


def test_demo_accounts_sign_in_with_the_printed_password():
    call_command("demo", "--no-serve", "--password", "my-demo-pass")

    for username in ["admin", "physio", "physio2", "patient", "patient2"]:
        assert Client().login(username=username, password="my-demo-pass"), username


def test_demo_run_twice_changes_nothing(capsys):
    call_command("demo", "--no-serve")
    before = snapshot()

    call_command("demo", "--no-serve")

    assert snapshot() == before
    assert "nothing changed" in capsys.readouterr().out


def test_demo_refuses_a_database_with_other_accounts():
    UserFactory(username="real.person")

    with pytest.raises(CommandError, match="not demo accounts"):
        call_command("demo", "--no-serve")

    assert list(User.objects.values_list("username", flat=True)) == ["real.person"]


def test_demo_gives_every_patient_a_cleared_active_plan_with_the_showcase_cases():
    from django.utils import timezone

    from tracker.models import AtrophyKind, Plan, PlanStatus

    call_command("demo", "--no-serve")
    today = timezone.localdate()

    plans = Plan.objects.select_related("clearance", "patient__profile")
    assert {plan.patient.username for plan in plans if plan.status == PlanStatus.ACTIVE} == set(
        User.objects.filter(role=Role.PATIENT).values_list("username", flat=True)
    )
    assert all(p.clearance.cleared_on <= today <= p.clearance.valid_until for p in plans)
    assert any(p.patient.profile.atrophy_kind == AtrophyKind.NEUROGENIC for p in plans)
    assert any((p.clearance.valid_until - today).days <= 14 for p in plans)
    assert any(p.prescriptions.filter(activity__name="Jogging").exists() for p in plans)


def test_demo_patients_have_weeks_of_sessions_within_their_plans():
    import datetime as dt

    from django.utils import timezone

    from tracker.models import Plan, PlanStatus, SessionLog

    call_command("demo", "--no-serve")
    today = timezone.localdate()

    for plan in Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("patient"):
        dates = list(SessionLog.objects.filter(patient=plan.patient).values_list("date", flat=True))
        name = plan.patient.username
        assert dates, name
        assert SessionLog.objects.filter(patient=plan.patient).exclude(plan=plan).count() == 0
        assert min(dates) >= plan.starts_on, name
        assert max(dates) <= today, name
        assert max(dates) - min(dates) >= dt.timedelta(weeks=8), name
        assert dt.timedelta(weeks=8) <= today - plan.starts_on <= dt.timedelta(weeks=12), name


def test_demo_alerts_tell_the_showcase_stories():
    import datetime as dt

    from django.utils import timezone

    from tracker.models import Alert, AlertKind, SessionLog

    call_command("demo", "--no-serve")
    today = timezone.localdate()
    now = timezone.now()

    danger = Alert.objects.open().get(patient__username="patient3", kind=AlertKind.DANGER_SIGN)
    assert 1 <= (today - danger.session.date).days <= 2
    assert danger.danger_report.signs
    assert Alert.objects.open().filter(patient__username="patient5", kind=AlertKind.PAIN).exists()
    assert not SessionLog.objects.filter(
        patient__username="patient2", date__gt=today - dt.timedelta(days=7)
    ).exists()
    # Alerts are dated to their sessions; the old ones were acknowledged by the patient's physio.
    assert all(
        timezone.localdate(alert.opened_at) == alert.session.date
        for alert in Alert.objects.select_related("session")
    )
    assert not Alert.objects.open().filter(opened_at__lt=now - dt.timedelta(days=11)).exists()
    for alert in Alert.objects.exclude(acknowledged_at=None).select_related("patient__profile"):
        assert alert.opened_at < alert.acknowledged_at < now
        assert alert.patient.profile.care_team.filter(pk=alert.acknowledged_by_id).exists()
        assert alert.acknowledgement_note


def test_demo_run_twice_logs_no_more_sessions():
    from tracker.models import Alert, SessionLog

    call_command("demo", "--no-serve")
    sessions, alerts = SessionLog.objects.count(), Alert.objects.count()

    call_command("demo", "--no-serve")

    assert SessionLog.objects.count() == sessions
    assert Alert.objects.count() == alerts


@pytest.mark.django_db(transaction=True)  # the worker opens and closes connections itself
def test_demo_danger_alert_is_emailed_on_the_console_by_the_worker(settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    call_command("demo", "--no-serve")
    capsys.readouterr()

    run_worker()

    out = capsys.readouterr().out
    alert = Alert.objects.get(kind=AlertKind.DANGER_SIGN)
    printed = email.message_from_string(out[out.index("MIME-Version") :].split("\n" + "-" * 79)[0])
    assert printed["Subject"] == f"Urgent alert {alert.pk}: a patient in your care needs a call now"
    body = text_part(printed)
    assert f"Patient: {alert.patient.display_name}" in body
    assert "Phone: 07700 900" in body
    assert AlertEmail.objects.filter(alert=alert, status="sent").count() == 1


def test_demo_patients_can_be_called_back():
    call_command("demo", "--no-serve")

    profiles = PatientProfile.objects.all()
    assert all(p.phone and p.emergency_contact_name and p.emergency_contact_phone for p in profiles)


def test_demo_prints_each_staff_accounts_authenticator_secret_that_signs_them_in(capsys):
    call_command("demo", "--no-serve")

    out = capsys.readouterr().out
    printed = dict(re.findall(r"^  (\w+) .* authenticator secret ((?:[A-Z2-7]{4} ?)+)$", out, re.M))
    assert sorted(printed) == ["admin", "physio", "physio2"]
    for username, secret in printed.items():
        key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
        code = f"{totp(key):06d}"
        client = Client()
        client.login(username=username, password=DEFAULT_PASSWORD)
        response = client.post("/account/two-factor/", {"code": code, "next": "/"})
        assert (response.status_code, response["Location"]) == (302, "/"), username
    assert "patient " not in " ".join(line for line in out.splitlines() if "secret" in line)
