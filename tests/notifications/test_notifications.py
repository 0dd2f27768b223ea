"""Danger alerts reach people outside the app: e-mail to the care team at once through the
task queue and its real worker, escalation when nobody answers, and mail that fails kept,
retried and shown, never losing the alert."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import client_for, run_worker
from tests.factories import AdminFactory, PhysiotherapistFactory, make_patient
from tests.smtp import html_part, smtp_server, text_part
from tracker.domain.alerts import acknowledge_alert
from tracker.domain.logbook import report_danger
from tracker.models import Alert, AlertEmail, DangerSign
from tracker.notifications.tasks import deliver_alert_email, tell_care_team

# The worker closes and reopens database connections between tasks, as it does in
# production: these tests commit for real rather than run inside one rolled-back transaction.
pytestmark = pytest.mark.django_db(transaction=True)

REPORTED = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)
HEALTH_WORDS = [label.lower() for label in DangerSign.labels] + ["slurred", "speech", "danger"]


@pytest.fixture
def team(db):
    maya = PhysiotherapistFactory(first_name="Maya", last_name="Lindqvist", email="maya@x.org")
    tomas = PhysiotherapistFactory(first_name="Tomás", last_name="Herrera", email="tomas@x.org")
    PhysiotherapistFactory(email="not-on-the-team@clinic.org")
    return [maya, tomas]


@pytest.fixture
def anna(team):
    return make_patient(
        care_team=team,
        user__first_name="Anna",
        user__last_name="Novak",
        phone="07700 900123",
        emergency_contact_name="Piotr Novak",
        emergency_contact_relationship="husband",
        emergency_contact_phone="+44 7700 900456",
    )


def report(patient):
    return report_danger(patient=patient, signs=["slurred_speech"], notes="Words come out wrong")


def test_danger_report_queues_mail_and_sends_nothing_in_the_request(anna):
    with time_machine.travel(REPORTED, tick=False):
        report(anna)

    assert mail.outbox == []
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "tracker.notifications.tasks.escalate_danger_alert",
        "tracker.notifications.tasks.tell_care_team",
    ]
    escalation = DBTaskResult.objects.get(task_path__endswith="escalate_danger_alert")
    assert escalation.run_after == REPORTED + dt.timedelta(minutes=15)


def test_worker_emails_every_physiotherapist_on_the_care_team_through_smtp(settings, anna, team):
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
    alert = Alert.objects.get()

    with smtp_server(settings) as inbox, time_machine.travel(REPORTED + dt.timedelta(seconds=5)):
        run_worker()

    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == [
        "maya@x.org",
        "tomas@x.org",
    ]
    message = inbox.messages[0]
    subject = message["Subject"]
    assert subject == f"Urgent alert {alert.pk}: a patient in your care needs a call now"
    assert not any(word in subject.lower() for word in HEALTH_WORDS)
    assert "Anna" not in subject and "Novak" not in subject
    body = text_part(message)
    assert "Patient: Anna Novak" in body
    assert "Reported: Wednesday 2 December 2026, 09:30" in body
    assert "  - Slurred speech" in body
    assert 'They wrote: "Words come out wrong"' in body
    assert "Phone: 07700 900123" in body
    assert "Emergency contact: Piotr Novak (husband), +44 7700 900456" in body
    assert f"http://testserver/patients/{anna.pk}/#alert-{alert.pk}" in body
    html = html_part(message)
    assert 'href="tel:07700900123"' in html
    assert 'href="tel:+447700900456"' in html
    emails = AlertEmail.objects.filter(alert=alert)
    assert {(e.address, e.status, e.attempts, e.stage) for e in emails} == {
        ("maya@x.org", "sent", 1, "care_team"),
        ("tomas@x.org", "sent", 1, "care_team"),
    }


def test_record_shows_to_whom_and_when_the_alert_was_sent(settings, anna, team):
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
        run_worker()

    html = client_for(team[0]).get(f"/patients/{anna.pk}/").text

    assert "E-mailed Maya Lindqvist at 09:30" in html
    assert "E-mailed Tomás Herrera at 09:30" in html
    assert '<a href="tel:07700900123" class="call-link">Call Anna: 07700 900123</a>' in html


def test_running_the_tasks_twice_sends_nothing_twice(anna):
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
        run_worker()
        alert = Alert.objects.get()
        tell_care_team.enqueue(alert.pk)
        for email in AlertEmail.objects.all():
            deliver_alert_email.enqueue(email.pk)
        run_worker()

    assert len(mail.outbox) == 2


def test_open_alert_escalates_to_admins_and_on_call_after_fifteen_minutes(settings, anna):
    settings.ALERTS_ONCALL_EMAIL = "oncall@clinic.org"
    AdminFactory(email="alex@clinic.org")
    AdminFactory(email="", username="no-mail-admin")
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
        run_worker()
    alert = Alert.objects.get()

    with time_machine.travel(REPORTED + dt.timedelta(minutes=14, seconds=59), tick=False):
        run_worker()
        early = Alert.objects.get().escalated_at
    with time_machine.travel(REPORTED + dt.timedelta(minutes=15), tick=False):
        run_worker()
        run_worker()  # a second run escalates nothing more

    assert early is None
    alert.refresh_from_db()
    assert alert.escalated_at == REPORTED + dt.timedelta(minutes=15)
    escalated = [m for m in mail.outbox if m.subject.startswith("Still unanswered")]
    assert sorted(address for m in escalated for address in m.to) == [
        "alex@clinic.org",
        "oncall@clinic.org",
    ]
    assert escalated[0].subject == f"Still unanswered: urgent alert {alert.pk} needs someone now"
    assert "Nobody has acknowledged this alert in the 15 minutes" in escalated[0].body
    assert len(mail.outbox) == 4  # two to the care team, two escalations


def test_acknowledged_alert_does_not_escalate(anna, team):
    AdminFactory(email="alex@clinic.org")
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
        run_worker()
    with time_machine.travel(REPORTED + dt.timedelta(minutes=5), tick=False):
        acknowledge_alert(alert=Alert.objects.get(), by=team[0], note="Called, she is fine.")
    with time_machine.travel(REPORTED + dt.timedelta(minutes=20), tick=False):
        run_worker()

    assert Alert.objects.get().escalated_at is None
    assert [m.to for m in mail.outbox] == [["maya@x.org"], ["tomas@x.org"]]


def test_escalation_setting_sets_the_wait(settings, anna):
    settings.DANGER_ESCALATION_MINUTES = 5
    with time_machine.travel(REPORTED, tick=False):
        report(anna)

    escalation = DBTaskResult.objects.get(task_path__endswith="escalate_danger_alert")
    assert escalation.run_after == REPORTED + dt.timedelta(minutes=5)


def test_refused_mail_is_kept_shown_and_retried_until_delivered(settings, anna, team):
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
    alert = Alert.objects.get()

    with smtp_server(settings, refuse=True), time_machine.travel(REPORTED, tick=False):
        run_worker()
    refused = AlertEmail.objects.get(address="maya@x.org")
    record = client_for(team[0]).get(f"/patients/{anna.pk}/").text
    with smtp_server(settings) as inbox:
        with time_machine.travel(REPORTED + dt.timedelta(seconds=59), tick=False):
            run_worker()  # not yet: the retry waits a minute
            waited = len(inbox.messages)
        with time_machine.travel(REPORTED + dt.timedelta(minutes=1, seconds=1), tick=False):
            run_worker()

    assert (refused.status, refused.attempts) == ("retrying", 1)
    assert "550" in refused.last_error and "Relaying refused" in refused.last_error
    assert Alert.objects.get(pk=alert.pk).is_open  # the alert is never lost to mail
    assert "<strong>Not delivered</strong> to Maya Lindqvist yet (1 try); trying again" in record
    assert waited == 0
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == [
        "maya@x.org",
        "tomas@x.org",
    ]
    assert set(AlertEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_mail_server_down_gives_up_after_the_set_attempts_and_says_so(settings, anna, team):
    settings.MAIL_ATTEMPTS = 3
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    with time_machine.travel(REPORTED, tick=False):
        report(anna)
    for minutes in (0, 1, 3, 10):
        with time_machine.travel(REPORTED + dt.timedelta(minutes=minutes), tick=False):
            run_worker()

    emails = AlertEmail.objects.filter(stage="care_team")
    assert set(emails.values_list("status", "attempts")) == {("failed", 3)}
    html = client_for(team[0]).get(f"/patients/{anna.pk}/").text
    assert "<strong>Not delivered</strong> to Maya Lindqvist after 3 tries" in html
    assert Alert.objects.get().is_open


def test_patient_without_a_care_team_still_escalates(settings):
    settings.ALERTS_ONCALL_EMAIL = "oncall@clinic.org"
    lonely = make_patient()
    with time_machine.travel(REPORTED, tick=False):
        report(lonely)
        run_worker()
    with time_machine.travel(REPORTED + dt.timedelta(minutes=16), tick=False):
        run_worker()

    assert [m.to for m in mail.outbox] == [["oncall@clinic.org"]]
    assert timezone.is_aware(Alert.objects.get().escalated_at)
