"""Who may see what. Every view that touches a patient's data asks this module.

A patient sees only their own record, a physiotherapist only the patients whose care team
they are on, an admin everyone. Someone else's record answers 404, not 403, so that ids
reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare

from tracker.domain import audit
from tracker.models import (
    Alert,
    AuditAction,
    CalendarFeed,
    Clearance,
    Comment,
    ImportedFile,
    Invitation,
    Plan,
    Role,
    SessionLog,
    User,
)


def patients_visible_to(user: User) -> QuerySet[User]:
    """The patients whose records `user` may open."""
    patients = User.objects.filter(role=Role.PATIENT, is_active=True)
    if not user.is_authenticated or not user.is_active:
        return patients.none()
    if user.role == Role.ADMIN:
        return patients
    if user.role == Role.PHYSIOTHERAPIST:
        return patients.filter(profile__care_team=user)
    return patients.filter(pk=user.pk)


def patient_for(user: User, pk: int, *, reading: str | None = None) -> User:
    """One patient `user` may open, or 404. `reading` names what of their record the page
    shows ("record", "progress"), which is written to the audit trail as a read."""
    try:
        patient = patients_visible_to(user).select_related("profile").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None
    if reading is not None:
        disclosed(user, patient, what=reading)
    return patient


def disclosed(
    user: User, patient: User, *, what: str, action: AuditAction = AuditAction.READ
) -> None:
    """`user` was shown, sent or handed `what` of `patient`'s record: a read, an export or a
    download, written to the audit trail (a patient's read of their own record is not)."""
    audit.record(actor=user, patient=patient, action=action, what=what)


def role_required(*roles: Role) -> Callable:
    """Signed in, and in one of `roles`; anyone else gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.user.role not in roles:
                raise PermissionDenied("This page is not for your account.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


patient_required = role_required(Role.PATIENT)
clinician_required = role_required(Role.PHYSIOTHERAPIST, Role.ADMIN)
admin_required = role_required(Role.ADMIN)


@dataclass(frozen=True)
class RoleSetup:
    """What an account of one role opens on and keeps to: its home page and menu (url names),
    the links under every page, and the setting that holds how long it may sit idle."""

    home: str
    navigation: tuple[tuple[str, str], ...]  # (label, url name): the header's menu
    account_links: tuple[tuple[str, str], ...]  # the footer's, after "Change your password"
    idle_setting: str  # the name of the setting

    @property
    def idle_seconds(self) -> int:
        # Read at use, not at import, so a settings override reaches it.
        return getattr(settings, self.idle_setting)


# A clinician's or admin's session opens many patients' records, so it sits idle for a shorter
# spell than a patient's own.
ROLES: dict[str, RoleSetup] = {
    Role.PATIENT: RoleSetup(
        home="patient_home",
        navigation=(
            ("Today", "patient_home"),
            ("Log", "log_session"),
            ("History", "history"),
            ("Progress", "progress"),
            ("Report a danger sign", "report_danger"),
        ),
        account_links=(
            ("Your details", "my_details"),
            ("Your data and who has seen it", "my_data"),
            ("Reminders and calendar", "reminders"),
        ),
        idle_setting="SESSION_IDLE_SECONDS_PATIENT",
    ),
    Role.PHYSIOTHERAPIST: RoleSetup(
        home="caseload",
        navigation=(
            ("Caseload", "caseload"),
            ("Alerts", "alert_queue"),
            ("Invitations", "invitations"),
        ),
        account_links=(("Notifications", "notices"),),
        idle_setting="SESSION_IDLE_SECONDS_CLINICIAN",
    ),
    Role.ADMIN: RoleSetup(
        home="admin_home",
        navigation=(
            ("Overview", "admin_home"),
            ("Caseload", "caseload"),
            ("Alerts", "alert_queue"),
            ("Invitations", "invitations"),
        ),
        account_links=(("Notifications", "notices"),),
        idle_setting="SESSION_IDLE_SECONDS_CLINICIAN",
    ),
}


def role_setup(user: User) -> RoleSetup:
    """The home page, menus and idle spell of `user`'s role."""
    return ROLES[user.role]


def plans_visible_to(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(patient__in=patients_visible_to(user))


def plan_for(user: User, pk: int) -> Plan:
    """One plan of a patient `user` may open, or 404."""
    try:
        return plans_visible_to(user).select_related("patient", "clearance").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan.") from None


def clearance_for(user: User, pk: int) -> Clearance:
    """One clearance of a patient `user` may open, or 404."""
    try:
        return Clearance.objects.filter(patient__in=patients_visible_to(user)).get(pk=pk)
    except (Clearance.DoesNotExist, ValueError, TypeError):
        raise Http404("No such clearance.") from None


def own_session_for(user: User, pk: int, *, include_deleted: bool = False) -> SessionLog:
    """A session the signed-in patient logged themselves, or 404. Only patients change
    their own sessions; the care team reads them."""
    sessions = SessionLog.objects.all() if include_deleted else SessionLog.objects.current()
    try:
        return sessions.select_related("plan__clearance", "activity").get(pk=pk, patient_id=user.pk)
    except (SessionLog.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session.") from None


def session_of(user: User, patient: User, pk: int | str | None) -> SessionLog:
    """One of `patient`'s sessions, with its plan, for someone who may open their record
    (a comment sits beside it); 404 for another patient's session or any other id."""
    try:
        return (
            SessionLog.objects.current()
            .select_related("plan")
            .get(pk=int(pk or ""), patient_id=patient.pk, patient__in=patients_visible_to(user))
        )
    except (SessionLog.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session.") from None


def alert_for(user: User, pk: int) -> Alert:
    """One alert about a patient `user` may open, or 404."""
    try:
        return Alert.objects.filter(patient__in=patients_visible_to(user)).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404("No such alert.") from None


def invitations_visible_to(user: User) -> QuerySet[Invitation]:
    """The invitations `user` may see and act on: an admin's, all; a physiotherapist's, those
    of the patients on their caseload (staff invitations are the admins' alone)."""
    if not user.is_authenticated or not user.is_active:
        return Invitation.objects.none()
    if user.role == Role.ADMIN:
        return Invitation.objects.all()
    if user.role == Role.PHYSIOTHERAPIST:
        return Invitation.objects.filter(user__in=patients_visible_to(user))
    return Invitation.objects.none()


def invitation_for(user: User, pk: int) -> Invitation:
    """One invitation `user` may resend or revoke, or 404."""
    try:
        return invitations_visible_to(user).select_related("user", "invited_by").get(pk=pk)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such invitation.") from None


def comment_for(user: User, pk: int) -> Comment:
    """A comment written to the signed-in patient, or 404: only the patient it was written to
    marks it read."""
    try:
        return Comment.objects.get(pk=pk, patient_id=user.pk)
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such comment.") from None


# A reminder's one-click "stop" link, signed for its patient, and the private calendar address.
REMINDER_STOP_SALT = "tracker.reminders.stop"


def reminder_stop_token(patient_id: int) -> str:
    """The signature that lets a link stop this patient's reminders, signed out and for good."""
    return signing.Signer(salt=REMINDER_STOP_SALT).signature(str(patient_id))


def reminder_stop_patient(patient_id: int, token: str) -> User | None:
    """The patient a stop link is for, or None for a token changed or made for someone else."""
    if not constant_time_compare(reminder_stop_token(patient_id), token):
        return None
    return User.objects.filter(pk=patient_id, role=Role.PATIENT).first()


def calendar_feed_for(token: str) -> CalendarFeed:
    """The calendar feed at this private address, of an account still open, or 404 (a revoked
    or replaced address included)."""
    try:
        return CalendarFeed.objects.select_related("patient__profile").get(
            token=token, patient__is_active=True, patient__role=Role.PATIENT
        )
    except CalendarFeed.DoesNotExist:
        raise Http404("No such calendar.") from None


def thread_for(user: User, pk: int) -> Comment:
    """A comment whose thread `user` may read and reply in: the patient it was written to,
    or someone who may open that patient's record; 404 for anyone else or any other id."""
    try:
        return Comment.objects.select_related("author", "patient", "session__activity").get(
            pk=pk, patient__in=patients_visible_to(user)
        )
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such comment.") from None


def own_import_for(user: User, pk: int) -> ImportedFile:
    """One of the signed-in patient's own imported files, waiting or already a session, or
    404 (another patient's, or one discarded)."""
    try:
        return ImportedFile.objects.select_related("activity").get(
            pk=pk, patient_id=user.pk, patient__role=Role.PATIENT
        )
    except (ImportedFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None


def imported_original_for(user: User, session_pk: int) -> ImportedFile:
    """The file a session was imported from, for someone who may open that patient's record
    (the patient, their care team, an admin), or 404."""
    try:
        return ImportedFile.objects.select_related("patient").get(
            session_id=session_pk,
            session__deleted_at__isnull=True,
            patient__in=patients_visible_to(user),
        )
    except (ImportedFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No such file.") from None
