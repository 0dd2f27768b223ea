"""Closing an account: the patient's request and withdrawal, the admin's completing it under
each setting of CLOSED_ACCOUNT_RECORDS, and the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import (
    AdminFactory,
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    SessionLogFactory,
    make_patient,
)
from tracker.domain.alerts import acknowledge_alert
from tracker.domain.closing import (
    ClosureRefused,
    complete_closure,
    request_closure,
    withdraw_closure,
)
from tracker.domain.feedback import add_comment
from tracker.domain.logbook import report_danger
from tracker.models import (
    AccountClosure,
    Alert,
    AlertKind,
    AuditAction,
    AuditEvent,
    CalendarFeed,
    Clearance,
    Comment,
    DangerReport,
    Invitation,
    Measurement,
    MeasurementKind,
    OutgoingEmail,
    PatientProfile,
    Plan,
    PlanStatus,
    Reminder,
    Reply,
    SessionLog,
    Site,
    User,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def events(patient_id: int | None = None, **filters) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(**filters).order_by("pk")
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    return [(e.actor_name, e.action, e.what) for e in rows]


@pytest.fixture
def closing_admin(db) -> User:
    return AdminFactory(first_name="Sam", last_name="Okafor")


# Asking and withdrawing -------------------------------------------------------------------


def test_a_request_is_saved_with_the_name_and_reason_and_audited(patient):
    with time_machine.travel(NOW, tick=False):
        _, created = request_closure(by=patient, reason="  Moving abroad  ")

    assert created is True
    saved = AccountClosure.objects.get()
    assert (saved.patient, saved.patient_name, saved.reason, saved.requested_at) == (
        patient,
        "Anna Novak",
        "Moving abroad",
        NOW,
    )
    assert (saved.completed_at, saved.outcome) == (None, "")
    assert events(patient.pk) == [
        ("Anna Novak", AuditAction.CHANGE, "new request to close the account")
    ]


def test_asking_twice_saves_once(patient):
    first, _ = request_closure(by=patient, reason="Moving abroad")

    second, created = request_closure(by=patient, reason="Another reason")

    assert (second.pk, created) == (first.pk, False)
    assert AccountClosure.objects.get().reason == "Moving abroad"
    assert len(events(patient.pk)) == 1


def test_only_a_patient_may_ask(physio):
    with pytest.raises(ClosureRefused):
        request_closure(by=physio, reason="")

    assert AccountClosure.objects.count() == 0


def test_withdrawing_deletes_the_open_request_and_is_audited(patient):
    request_closure(by=patient, reason="")

    withdrawn = withdraw_closure(by=patient)

    assert withdrawn is True
    assert AccountClosure.objects.count() == 0
    assert events(patient.pk)[-1] == (
        "Anna Novak",
        AuditAction.CHANGE,
        "deleted request to close the account",
    )


def test_withdrawing_without_a_request_changes_nothing(patient):
    assert withdraw_closure(by=patient) is False
    assert events(patient.pk) == []


def test_another_patient_cannot_withdraw_someone_elses_request(patient, other_patient):
    request_closure(by=patient, reason="")

    assert withdraw_closure(by=other_patient) is False
    assert AccountClosure.objects.get().patient == patient


# Completing ---------------------------------------------------------------------------------


def test_completing_under_keep_ends_sign_in_and_keeps_the_record(
    settings, patient, physio, closing_admin
):
    settings.CLOSED_ACCOUNT_RECORDS = "keep"
    plan = PlanFactory(clearance=ClearanceFactory(patient=patient, recorded_by=physio))
    SessionLogFactory(plan=plan)
    Reminder.objects.create(patient=patient, weekdays=1, at=dt.time(8, 0))
    CalendarFeed.objects.create(patient=patient, token="t" * 40)
    closure, _ = request_closure(by=patient, reason="")

    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        outcome = complete_closure(by=closing_admin, closure=closure)

    assert outcome == "kept"
    patient.refresh_from_db()
    assert (patient.is_active, patient.has_usable_password()) == (False, False)
    assert (SessionLog.objects.filter(patient=patient).count(), Plan.objects.count()) == (1, 1)
    # Nothing goes on being sent to a closed account, and its calendar address stops.
    assert (Reminder.objects.count(), CalendarFeed.objects.count()) == (0, 0)
    closure.refresh_from_db()
    assert (closure.completed_at, closure.completed_by, closure.outcome) == (
        NOW + dt.timedelta(days=1),
        closing_admin,
        "kept",
    )
    assert events(patient.pk)[-1] == (
        "Sam Okafor",
        AuditAction.CHANGE,
        "account: closed, the record kept",
    )


def a_patient_with_everything(tmp_path, physio) -> tuple[User, Path]:
    """A patient with one row of every kind their record holds, a clearance letter on disk
    and a reply of their own to a comment (Reply.author is PROTECT)."""
    patient = make_patient(care_team=[physio], user__first_name="Cara", user__last_name="Lind")
    clearance = ClearanceFactory(
        patient=patient,
        recorded_by=physio,
        letter=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"),
        letter_content_type="application/pdf",
    )
    letter = Path(clearance.letter.path)
    plan = PlanFactory(clearance=clearance, status=PlanStatus.ACTIVE)
    PrescriptionFactory(plan=plan)
    session = SessionLogFactory(plan=plan, pain_after=6)
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain", session=session)
    report = report_danger(patient=patient, signs=["severe_headache"], notes="")
    # The care team has dealt with the danger sign: an open one would refuse the closing.
    acknowledge_alert(alert=report.alerts.get(), by=physio, note="Phoned, seen at A&E")
    comment, _ = add_comment(patient=patient, author=physio, text="Easy does it", session=session)
    Reply.objects.create(comment=comment, author=patient, by_patient=True, text="Thanks")
    Reply.objects.create(comment=comment, author=physio, by_patient=False, text="Good")
    Measurement.objects.create(
        patient=patient,
        kind=MeasurementKind.CIRCUMFERENCE,
        measured_on=dt.date(2026, 11, 30),
        site=Site.THIGH,
        affected_cm=Decimal("44.5"),
        unaffected_cm=Decimal("48.0"),
        recorded_by=patient,
        self_measured=True,
    )
    Reminder.objects.create(patient=patient, weekdays=1, at=dt.time(8, 0))
    CalendarFeed.objects.create(patient=patient, token="c" * 40)
    Invitation.objects.create(
        user=patient,
        invited_by=physio,
        nonce="n",
        sent_at=NOW,
        expires_at=NOW + dt.timedelta(days=7),
        accepted_at=NOW,
    )
    return patient, letter


@pytest.mark.django_db(transaction=True)
def test_completing_under_remove_deletes_the_whole_record_and_keeps_the_trail(
    settings, tmp_path, physio, closing_admin
):
    settings.CLOSED_ACCOUNT_RECORDS = "remove"
    settings.MEDIA_ROOT = tmp_path
    patient, letter = a_patient_with_everything(tmp_path, physio)
    other = make_patient(care_team=[physio])
    other_plan = PlanFactory(clearance=ClearanceFactory(patient=other, recorded_by=physio))
    SessionLogFactory(plan=other_plan)
    closure, _ = request_closure(by=patient, reason="Done with it")
    trail_before = AuditEvent.objects.filter(patient=patient).count()
    assert letter.exists()

    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        outcome = complete_closure(by=closing_admin, closure=closure)

    assert outcome == "removed"
    assert not User.objects.filter(pk=patient.pk).exists()
    for model in (
        SessionLog,
        Plan,
        Clearance,
        Alert,
        DangerReport,
        Comment,
        Measurement,
        PatientProfile,
        Reminder,
        CalendarFeed,
        Invitation,
    ):
        remaining = model.objects.exclude(
            **{"user" if model in (PatientProfile, Invitation) else "patient": other}
        )
        assert list(remaining) == [], model.__name__
    assert Reply.objects.count() == 0
    assert not letter.exists()
    # Someone else's record is untouched.
    assert SessionLog.objects.filter(patient=other).count() == 1
    # The trail keeps every event, the patient's now null; the closure keeps the name.
    assert AuditEvent.objects.filter(patient__isnull=True).count() == trail_before + 1
    last = AuditEvent.objects.order_by("pk").last()
    assert (last.actor_name, last.what, last.patient_id) == (
        "Sam Okafor",
        "account: closed, the record removed",
        None,
    )
    closure.refresh_from_db()
    assert (closure.patient, closure.patient_name, closure.outcome) == (
        None,
        "Cara Lind",
        "removed",
    )
    assert (closure.completed_at, closure.completed_by) == (
        NOW + dt.timedelta(days=1),
        closing_admin,
    )


def test_removing_deletes_the_mail_queued_for_the_patient(settings, patient, closing_admin):
    settings.CLOSED_ACCOUNT_RECORDS = "remove"
    OutgoingEmail.objects.create(
        key="reminder-1", kind="reminder", recipient=patient, address=patient.email
    )
    closure, _ = request_closure(by=patient, reason="")

    complete_closure(by=closing_admin, closure=closure)

    assert OutgoingEmail.objects.count() == 0


def test_a_request_cannot_be_completed_twice(patient, closing_admin):
    closure, _ = request_closure(by=patient, reason="")
    complete_closure(by=closing_admin, closure=closure)
    trail = AuditEvent.objects.count()

    with pytest.raises(ClosureRefused, match="already closed"):
        complete_closure(by=closing_admin, closure=AccountClosure.objects.get(pk=closure.pk))

    assert AuditEvent.objects.count() == trail


def test_a_stale_copy_of_a_completed_request_is_refused(patient, closing_admin):
    closure, _ = request_closure(by=patient, reason="")
    stale = AccountClosure.objects.get(pk=closure.pk)
    complete_closure(by=closing_admin, closure=closure)

    with pytest.raises(ClosureRefused):
        complete_closure(by=closing_admin, closure=stale)


def test_a_staff_account_cannot_be_closed_this_way(physio, closing_admin):
    closure = AccountClosure.objects.create(patient=physio, patient_name="Maya Lindqvist")

    with pytest.raises(ClosureRefused, match="staff"):
        complete_closure(by=closing_admin, closure=closure)

    physio.refresh_from_db()
    assert physio.is_active is True
    closure.refresh_from_db()
    assert closure.completed_at is None


@pytest.mark.parametrize("setting", ["keep", "remove"])
def test_an_open_danger_sign_refuses_the_closing_and_nothing_changes(
    settings, patient, physio, closing_admin, setting
):
    """Inactive patients leave the caseload and the queue: an unacknowledged danger sign
    would vanish from the care team's view with nobody having answered it."""
    settings.CLOSED_ACCOUNT_RECORDS = setting
    report_danger(patient=patient, signs=["severe_headache"], notes="")
    closure, _ = request_closure(by=patient, reason="")
    trail = AuditEvent.objects.count()

    with pytest.raises(ClosureRefused) as refused:
        complete_closure(by=closing_admin, closure=closure)

    assert str(refused.value) == (
        "Anna Novak has an open danger sign: the care team must acknowledge it first."
    )
    patient.refresh_from_db()
    assert (patient.is_active, patient.has_usable_password()) == (True, True)
    closure.refresh_from_db()
    assert (closure.completed_at, closure.outcome) == (None, "")
    assert Alert.objects.open().filter(patient=patient).count() == 1
    assert AuditEvent.objects.count() == trail


def test_once_the_danger_sign_is_acknowledged_the_closing_goes_ahead(
    patient, physio, closing_admin
):
    report = report_danger(patient=patient, signs=["severe_headache"], notes="")
    # Other open alerts do not hold it up (the confirm page names them).
    Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain")
    closure, _ = request_closure(by=patient, reason="")
    acknowledge_alert(alert=report.alerts.get(), by=physio, note="Phoned, seen at A&E")

    assert complete_closure(by=closing_admin, closure=closure) == "kept"


def test_only_an_admin_completes(patient, physio):
    closure, _ = request_closure(by=patient, reason="")

    with pytest.raises(ClosureRefused):
        complete_closure(by=physio, closure=closure)

    patient.refresh_from_db()
    assert patient.is_active is True


def test_a_withdrawn_request_cannot_be_completed(patient, closing_admin):
    closure, _ = request_closure(by=patient, reason="")
    withdraw_closure(by=patient)

    with pytest.raises(ClosureRefused):
        complete_closure(by=closing_admin, closure=closure)

    patient.refresh_from_db()
    assert patient.is_active is True


def test_a_completed_request_cannot_be_withdrawn(patient, closing_admin):
    closure, _ = request_closure(by=patient, reason="")
    complete_closure(by=closing_admin, closure=closure)

    assert withdraw_closure(by=patient) is False
    assert AccountClosure.objects.get().completed_at is not None
