"""Closing an account: the patient asks (and may withdraw until it is done), an admin completes
it. Completing ends sign-in and then keeps or removes the record as the clinic's retention
setting, CLOSED_ACCOUNT_RECORDS, says. Each step is one transaction with its audit event."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker.domain import audit
from tracker.models import (
    AccountClosure,
    Alert,
    AlertKind,
    AuditAction,
    CalendarFeed,
    Clearance,
    Comment,
    DangerReport,
    Invitation,
    Measurement,
    OutgoingEmail,
    Plan,
    Reminder,
    Reply,
    Role,
    SessionLog,
    User,
)
from tracker.queries.closing import open_alert_kinds

REQUEST = "request to close the account"
KEPT = "kept"
REMOVED = "removed"


class ClosureRefused(Exception):
    """The step cannot be taken; the message says why, in words for the person who tried."""


def open_alerts_refusal(name: str, open_kinds: list[str]) -> str | None:
    """Why a patient with these open alert kinds may not be closed yet, or None. An open
    danger sign refuses it: a closed (inactive) patient leaves the care team's caseload and
    queue, and the alert would go with them, unanswered. Other open alerts do not."""
    if AlertKind.DANGER_SIGN in open_kinds:
        return f"{name} has an open danger sign: the care team must acknowledge it first."
    return None


def request_closure(*, by: User, reason: str) -> tuple[AccountClosure, bool]:
    """`by`, a patient, asks for their account to be closed. One request per patient: asking
    again (a second tap, the form sent twice) returns the first. Returns it and whether this
    call made it."""
    if by.role != Role.PATIENT:
        raise ClosureRefused("Only a patient's own account can be closed this way.")
    with transaction.atomic():
        closure, created = AccountClosure.objects.get_or_create(
            patient=by,
            defaults={"patient_name": by.display_name, "reason": reason.strip()},
        )
        if created:
            audit.record(actor=by, patient=by, action=AuditAction.CHANGE, what=audit.NEW + REQUEST)
    return closure, created


def withdraw_closure(*, by: User) -> bool:
    """`by` takes back their own request while it is not done yet. Returns whether there was
    one to take back."""
    with transaction.atomic():
        deleted, _ = AccountClosure.objects.filter(patient=by, completed_at__isnull=True).delete()
        if deleted:
            audit.record(
                actor=by, patient=by, action=AuditAction.CHANGE, what=audit.DELETED + REQUEST
            )
    return bool(deleted)


def complete_closure(*, by: User, closure: AccountClosure) -> str:
    """`by`, an admin, completes `closure`: the account can no longer sign in (inactive, no
    usable password, so its open sessions end at their next request), and the record is
    kept or removed per CLOSED_ACCOUNT_RECORDS. Returns the outcome, "kept" or "removed"."""
    if by.role != Role.ADMIN:
        raise ClosureRefused("Only an admin completes a request to close an account.")
    keep = settings.CLOSED_ACCOUNT_RECORDS == "keep"
    outcome = KEPT if keep else REMOVED
    now = timezone.now()
    with transaction.atomic():
        # Locked and read again: the copy in hand may be stale (a second completion, a
        # withdrawal in between).
        current = (
            AccountClosure.objects.select_for_update(of=("self",))
            .select_related("patient")
            .filter(pk=closure.pk)
            .first()
        )
        if current is None:
            raise ClosureRefused(f"{closure.patient_name} withdrew this request.")
        if current.completed_at is not None or current.patient is None:
            raise ClosureRefused(f"The account of {current.patient_name} is already closed.")
        patient = current.patient
        if patient.role != Role.PATIENT:
            raise ClosureRefused(
                f"{current.patient_name} has a staff account; change or deactivate it under "
                "Accounts instead."
            )
        open_kinds = open_alert_kinds([patient.pk]).get(patient.pk, [])
        if refusal := open_alerts_refusal(current.patient_name, open_kinds):
            raise ClosureRefused(refusal)
        _end_sign_in(patient, by=by, now=now)
        audit.record(
            actor=by,
            patient=patient,
            action=AuditAction.CHANGE,
            what=f"account: closed, the record {outcome}",
        )
        current.completed_at, current.completed_by, current.outcome = now, by, outcome
        current.save(update_fields=["completed_at", "completed_by", "outcome"])
        if not keep:
            _remove_record(patient)
    closure.completed_at, closure.completed_by, closure.outcome = now, by, outcome
    if not keep:
        closure.patient = None
    return outcome


def _end_sign_in(patient: User, *, by: User, now) -> None:
    # A new password hash changes the session's auth hash and an inactive account is no
    # user to the backend: either ends every open session at its next request.
    patient.is_active = False
    patient.set_unusable_password()
    patient.save(update_fields=["is_active", "password"])
    # Nothing more goes to a closed account, and its calendar address stops answering.
    Reminder.objects.filter(patient=patient).delete()
    CalendarFeed.objects.filter(patient=patient).delete()
    Invitation.objects.waiting().filter(user=patient).update(revoked_at=now, revoked_by=by)
    OutgoingEmail.objects.filter(
        recipient=patient,
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.RETRYING],
    ).delete()


def _remove_record(patient: User) -> None:
    """Delete everything of `patient`'s record, in the order the PROTECT keys need (a session
    protects its plan, a plan its clearance, a reply and a self-taken measurement their
    author). The audit trail's events stay, their patient set to null by the database."""
    letters = [
        name
        for name in Clearance.objects.filter(patient=patient)
        .exclude(letter="")
        .values_list("letter", flat=True)
    ]
    Reply.objects.filter(Q(comment__patient=patient) | Q(author=patient)).delete()
    Comment.objects.filter(patient=patient).delete()
    Alert.objects.filter(patient=patient).delete()
    DangerReport.objects.filter(patient=patient).delete()
    SessionLog.objects.filter(patient=patient).delete()
    Plan.objects.filter(patient=patient).delete()
    Clearance.objects.filter(patient=patient).delete()
    Measurement.objects.filter(patient=patient).delete()
    OutgoingEmail.objects.filter(recipient=patient).delete()
    # The profile, kept triage, invitations, two-factor devices and the rest go with the user.
    patient.delete()
    # The letters' files only once the rows are gone for good: a rollback keeps both.
    transaction.on_commit(lambda: [default_storage.delete(name) for name in letters])
