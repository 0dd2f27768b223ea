"""Clinicians' choices for alerts other than danger signs: an e-mail at once (through the
outbox, the real worker and a real SMTP server), the daily digest, or the app only; danger
signs are e-mailed at once whatever the choice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from tests.conftest import run_worker
from tests.factories import PhysiotherapistFactory, activity, make_active_plan, make_patient
from tests.smtp import html_part, smtp_server, text_part
from tracker.domain.checks import run_checks
from tracker.domain.logbook import SessionInput, log_session, report_danger
from tracker.models import (
    Alert,
    AlertEmail,
    AlertKind,
    AlertPreference,
    Delivery,
    OutgoingEmail,
)

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def anna(maya, tomas):
    return make_patient(care_team=[maya, tomas], user__first_name="Anna", user__last_name="Novak")


def choose(clinician, kind, delivery):
    AlertPreference.objects.create(clinician=clinician, kind=kind, delivery=delivery)


def log_painful_session(patient):
    plan = make_active_plan(patient)
    entry = SessionInput(
        activity_id=activity("Walking").pk,
        date=NOW.date(),
        minutes=20,
        effort=11,
        pain_before=1,
        pain_after=7,
    )
    with transaction.atomic():
        log_session(patient=patient, plan=plan, entry=entry)
    return Alert.objects.get(patient=patient, kind=AlertKind.PAIN)


def test_at_once_emails_the_clinician_through_the_worker_and_not_in_the_request(
    settings, anna, maya
):
    choose(maya, AlertKind.PAIN, Delivery.INSTANT)
    with time_machine.travel(NOW, tick=False):
        alert = log_painful_session(anna)
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0  # posted by the task, not by the request

    with smtp_server(settings) as inbox:
        run_worker()

    (message,) = inbox.messages
    assert message["X-Envelope-To"] == "maya@x.org"
    assert message["Subject"] == f"Alert {alert.pk}: a patient in your care needs a look"
    link = f"http://testserver/patients/{anna.pk}/#alert-{alert.pk}"
    assert link in text_part(message)
    assert "Anna Novak" in text_part(message)
    assert f'href="{link}"' in html_part(message)
    email = OutgoingEmail.objects.get()
    assert (email.key, email.kind, email.status) == (
        f"alert:{alert.pk}:{maya.pk}",
        "alert_notice",
        OutgoingEmail.Status.SENT,
    )


def test_at_once_the_task_run_twice_sends_once(settings, anna, maya):
    from tracker.notifications.notices import tell_at_once

    choose(maya, AlertKind.PAIN, Delivery.INSTANT)
    alert = log_painful_session(anna)
    with transaction.atomic():
        tell_at_once.call([alert.pk], [])
    with smtp_server(settings) as inbox:
        run_worker()
    assert len(inbox.messages) == 1


def test_digest_choice_sends_no_instant_email(settings, anna, maya):
    choose(maya, AlertKind.PAIN, Delivery.DIGEST)
    log_painful_session(anna)
    with smtp_server(settings) as inbox:
        run_worker()
    assert inbox.messages == []
    assert OutgoingEmail.objects.count() == 0


def test_no_choice_means_the_digest_and_no_instant_email(settings, anna, maya):
    log_painful_session(anna)
    with smtp_server(settings) as inbox:
        run_worker()
    assert inbox.messages == []


def test_app_only_sends_no_email_at_all(settings, anna, maya):
    choose(maya, AlertKind.PAIN, Delivery.APP)
    log_painful_session(anna)
    with smtp_server(settings) as inbox:
        run_worker()
    assert inbox.messages == []
    assert OutgoingEmail.objects.count() == 0


def test_at_once_reaches_only_those_who_chose_it_on_the_care_team(settings, anna, maya, tomas):
    stranger = PhysiotherapistFactory(email="stranger@x.org")
    choose(maya, AlertKind.PAIN, Delivery.INSTANT)
    choose(tomas, AlertKind.PAIN, Delivery.APP)
    choose(stranger, AlertKind.PAIN, Delivery.INSTANT)
    log_painful_session(anna)
    with smtp_server(settings) as inbox:
        run_worker()
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["maya@x.org"]


def test_a_danger_sign_is_emailed_at_once_whatever_the_choices(settings, anna, maya, tomas):
    for kind in AlertKind:
        if kind != AlertKind.DANGER_SIGN:
            choose(maya, kind, Delivery.APP)
            choose(tomas, kind, Delivery.DIGEST)
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        report_danger(patient=anna, signs=["slurred_speech"])
    with smtp_server(settings) as inbox, time_machine.travel(NOW + dt.timedelta(seconds=5)):
        run_worker()
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == ["maya@x.org", "tomas@x.org"]
    assert AlertEmail.objects.filter(stage=AlertEmail.Stage.CARE_TEAM).count() == 2
    assert OutgoingEmail.objects.count() == 0  # not a second e-mail through the notices


def test_an_alert_the_daily_checks_open_is_emailed_at_once_to_who_chose_it(settings, anna, maya):
    choose(maya, AlertKind.SILENCE, Delivery.INSTANT)
    plan = make_active_plan(anna)
    plan.starts_on = NOW.date() - dt.timedelta(days=10)
    plan.save()
    run_checks(today=NOW.date())
    alert = Alert.objects.get(patient=anna, kind=AlertKind.SILENCE)
    with smtp_server(settings) as inbox:
        run_worker()
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == "maya@x.org"
    assert OutgoingEmail.objects.get().key == f"alert:{alert.pk}:{maya.pk}"


def test_an_alert_acknowledged_before_the_task_runs_is_not_emailed(settings, anna, maya):
    from tracker.domain.alerts import acknowledge_alert

    choose(maya, AlertKind.PAIN, Delivery.INSTANT)
    alert = log_painful_session(anna)
    acknowledge_alert(alert=alert, by=maya, note="Called her")
    with smtp_server(settings) as inbox:
        run_worker()
    assert inbox.messages == []


def test_the_next_morning_pain_alert_is_emailed_at_once_to_who_chose_it(settings, anna, maya):
    from tests.factories import SessionLogFactory
    from tracker.domain.morning_check import answer_next_morning

    choose(maya, AlertKind.PAIN, Delivery.INSTANT)
    today = NOW.date()
    walk = SessionLogFactory(
        plan=make_active_plan(anna), date=today - dt.timedelta(days=1), pain_before=2, pain_after=3
    )
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        answer_next_morning(by=anna, session=walk, pain=7, today=today)
    alert = Alert.objects.get(patient=anna, kind=AlertKind.PAIN)
    with smtp_server(settings) as inbox:
        run_worker()
    assert [m["X-Envelope-To"] for m in inbox.messages] == ["maya@x.org"]
    assert OutgoingEmail.objects.get().key == f"alert:{alert.pk}:{maya.pk}"
