"""Recording the audit trail. Views call `record` with the patient whose record they touch."""

from __future__ import annotations

from django.http import HttpRequest

from tracker.models import AuditAction, AuditEvent, User


def record(request: HttpRequest, *, patient: User, action: AuditAction, what: str) -> None:
    """One row: who, what, which patient, when, from which address. A patient reading their
    own record is not a disclosure and is not recorded; everything else is."""
    user = request.user
    if action == AuditAction.READ and user.pk == patient.pk:
        return
    AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_full_name() or user.get_username(),
        actor_role=user.role,
        patient=patient,
        action=action,
        what=what[:120],
        path=request.get_full_path()[:300],
        # The address the request came from. Behind a proxy this is the proxy's address
        # unless the proxy is configured to pass REMOTE_ADDR through.
        address=request.META.get("REMOTE_ADDR") or None,
    )


# A create is recorded as a change whose `what` starts "new " ("new measurement"), a deletion
# as one that starts "deleted " ("deleted plan").
NEW = "new "
DELETED = "deleted "


def phrase(event: AuditEvent) -> str:
    """What the patient reads after the person's name: "read your record", "added your
    measurement" (a new record), "changed your plan"."""
    if event.action == AuditAction.CHANGE and event.what.startswith(NEW):
        return f"added your {event.what.removeprefix(NEW)}"
    if event.action == AuditAction.CHANGE and event.what.startswith(DELETED):
        return f"deleted your {event.what.removeprefix(DELETED)}"
    return f"{event.get_action_display().lower()} your {event.what}"
