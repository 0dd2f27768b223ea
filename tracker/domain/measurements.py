"""Recording a measurement (a limb's circumference or a functional test), by the care team or
by the patient themselves: saved once per form, and written to the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import AuditAction, Measurement, User


def add_measurement(
    *,
    patient: User,
    by: User,
    kind: str,
    measured_on: dt.date,
    site: str = "",
    affected_cm: Decimal | None = None,
    unaffected_cm: Decimal | None = None,
    value: Decimal | None = None,
    notes: str = "",
    self_measured: bool = False,
    request_key: uuid.UUID | None = None,
) -> tuple[Measurement, bool]:
    """Save one measurement of `patient`, taken by `by` (the patient, when `self_measured`).
    A second submission with the same request key saves nothing more. Returns the
    measurement and whether this call created it."""

    def create() -> Measurement:
        measurement = Measurement.objects.create(
            patient=patient,
            recorded_by=by,
            kind=kind,
            measured_on=measured_on,
            site=site,
            affected_cm=affected_cm,
            unaffected_cm=unaffected_cm,
            value=value,
            notes=notes,
            self_measured=self_measured,
            request_key=request_key,
        )
        audit.record(actor=by, patient=patient, action=AuditAction.CHANGE, what="new measurement")
        return measurement

    return save_once(Measurement, request_key, create)
