"""Demo measurements: limb circumference every two weeks and functional tests every four,
telling each demo patient's story (a gap that closes for disuse atrophy; steadier numbers
for the neurogenic patient)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tracker.models import AtrophyKind, BodyRegion, Measurement, MeasurementKind, Site, User

SITE_FOR_REGION = {
    BodyRegion.THIGH: Site.THIGH,
    BodyRegion.WHOLE_LEG: Site.THIGH,
    BodyRegion.CALF: Site.CALF,
    BodyRegion.UPPER_ARM: Site.UPPER_ARM,
    BodyRegion.FOREARM: Site.FOREARM,
}
HEALTHY_CM = {
    Site.THIGH: Decimal("52.0"),
    Site.CALF: Decimal("37.5"),
    Site.UPPER_ARM: Decimal("30.5"),
    Site.FOREARM: Decimal("26.0"),
}


def _one_decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def add_demo_measurements(
    *,
    patient: User,
    physio: User,
    region: str,
    kind: str,
    born: dt.date,
    starts_on: dt.date,
    today: dt.date,
    first_gap: float,
) -> None:
    site = SITE_FOR_REGION.get(region, Site.THIGH)
    healthy = HEALTHY_CM[site]
    disuse = kind == AtrophyKind.DISUSE
    weeks = (today - starts_on).days // 7
    rows = []
    for week in range(0, weeks + 1, 2):
        share = week / max(weeks, 1)
        # Disuse: about two thirds of the gap closes over the plan; neurogenic: it barely moves.
        gap = first_gap * (1 - (0.65 if disuse else 0.1) * share)
        rows.append(
            Measurement(
                patient=patient,
                kind=MeasurementKind.CIRCUMFERENCE,
                measured_on=starts_on + dt.timedelta(weeks=week, days=1),
                site=site,
                unaffected_cm=healthy,
                affected_cm=healthy - _one_decimal(gap),
                recorded_by=physio,
            )
        )
    if disuse:
        # Patients may measure themselves: one at home, between clinic visits.
        rows.append(
            Measurement(
                patient=patient,
                kind=MeasurementKind.CIRCUMFERENCE,
                measured_on=today - dt.timedelta(days=3),
                site=site,
                unaffected_cm=healthy,
                affected_cm=healthy - _one_decimal(first_gap * 0.4),
                self_measured=True,
                recorded_by=patient,
            )
        )
    older = (today - born).days > 65 * 365
    legs = site in (Site.THIGH, Site.CALF)
    for number, week in enumerate(range(0, weeks + 1, 4)):
        gain = number * (0.08 if disuse else 0.02)
        day = starts_on + dt.timedelta(weeks=week, days=1)
        tests = {
            MeasurementKind.SIX_MINUTE_WALK: (330 if not older else 250) * (1 + gain),
            MeasurementKind.TIMED_UP_AND_GO: (13.5 if not older else 21.5) * (1 - gain / 2),
        }
        if legs:
            tests[MeasurementKind.CHAIR_STAND] = (9 if not older else 7) * (1 + gain * 1.5)
        else:
            tests[MeasurementKind.GRIP] = 19 * (1 + gain * 1.5)
        for test, value in tests.items():
            whole = test in (MeasurementKind.SIX_MINUTE_WALK, MeasurementKind.CHAIR_STAND)
            rows.append(
                Measurement(
                    patient=patient,
                    kind=test,
                    measured_on=day,
                    value=Decimal(round(value)) if whole else _one_decimal(value),
                    recorded_by=physio,
                )
            )
    Measurement.objects.bulk_create(rows)
