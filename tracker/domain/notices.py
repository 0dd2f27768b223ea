"""Saving a clinician's choice of how they hear of each alert kind and whether they get the
weekly caseload digest, with the change in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from tracker.domain import audit
from tracker.models import AlertPreference, AuditAction, DigestPreference, User
from tracker.notifications.notices import CHOSEN_KINDS, deliveries


def save_notice_choices(*, by: User, delivery: Mapping[str, str], weekly: bool) -> bool:
    """Keep `by`'s choice for every kind of CHOSEN_KINDS (`delivery`, by kind) and the weekly
    digest on or off. Returns whether anything changed; the same choices sent again (a double
    submission) write nothing and record nothing."""
    with transaction.atomic():
        before = deliveries(by)
        changed = [kind.value for kind in CHOSEN_KINDS if delivery[kind] != before[kind]]
        for kind in changed:
            AlertPreference.objects.update_or_create(
                clinician=by, kind=kind, defaults={"delivery": delivery[kind]}
            )
        digest, _ = DigestPreference.objects.get_or_create(clinician=by)
        weekly_changed = digest.weekly != weekly
        if weekly_changed:
            digest.weekly = weekly
            digest.save(update_fields=["weekly"])
        if changed or weekly_changed:
            audit.record(
                actor=by, patient=None, action=AuditAction.CHANGE, what="notification choices"
            )
    return bool(changed or weekly_changed)
