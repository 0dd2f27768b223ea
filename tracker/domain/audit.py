"""Recording the audit trail: who did what to which patient's record, when, from where.

The domain's writes and the access module's reads call `record` with the acting person; the
page address and network address come from the request being answered, which
`AuditContextMiddleware` holds for its duration (`from_request`). Outside a request (a
management command, a task) they are left empty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

from tracker.models import AuditAction, AuditEvent, User

# (path, address) of the request being answered, if any.
_where: ContextVar[tuple[str, str | None]] = ContextVar("audit_where", default=("", None))


@contextmanager
def from_request(request: HttpRequest) -> Iterator[None]:
    """While answering `request`, audit rows name its page and the address it came from.
    Behind a proxy the address is the proxy's unless the proxy passes REMOTE_ADDR through."""
    token = _where.set((request.get_full_path()[:300], request.META.get("REMOTE_ADDR") or None))
    try:
        yield
    finally:
        _where.reset(token)


def record(*, actor: User, patient: User | int | None, action: AuditAction, what: str) -> None:
    """One row: who, what, which patient, when, from where. A patient reading their own record
    is not a disclosure and is not recorded; everything else is. `patient` is None for what
    concerns no patient's record (a staff account's invitation or two-factor device)."""
    patient_id = patient if isinstance(patient, int) or patient is None else patient.pk
    if action == AuditAction.READ and actor.pk == patient_id:
        return
    path, address = _where.get()
    AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_full_name() or actor.get_username(),
        actor_role=actor.role,
        patient_id=patient_id,
        action=action,
        what=what[:120],
        path=path,
        address=address,
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
