"""Seeding the bench clinic: the counts follow the scale, every row passes the models' own
validation, a second run changes nothing, and a database with other accounts is refused."""

from __future__ import annotations

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.clock import pinned_now
from tests.factories import make_patient
from tracker.bench import writer
from tracker.bench.seed import BUSY_PHYSIO_USERNAME, Scale, SeedRefused, seed
from tracker.models import (
    Alert,
    Attention,
    AuditEvent,
    Clearance,
    Comment,
    DangerReport,
    Measurement,
    PatientProfile,
    Plan,
    PlanHold,
    PlanStatus,
    Prescription,
    ReportedSymptom,
    Role,
    SessionLog,
    SessionRevision,
    User,
)

pytestmark = pytest.mark.django_db

SEEDED = [
    User,
    PatientProfile,
    Clearance,
    Plan,
    Prescription,
    PlanHold,
    SessionLog,
    SessionRevision,
    ReportedSymptom,
    DangerReport,
    Alert,
    Comment,
    Measurement,
    AuditEvent,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED}


def test_scale_follows_the_issues_proportions():
    assert (Scale(10_000).physios, Scale(10_000).busy_caseload) == (200, 500)
    assert (Scale(1_000).physios, Scale(1_000).busy_caseload) == (20, 50)
    assert (Scale(12).physios, Scale(12).busy_caseload) == (2, 1)


def test_seed_makes_the_clinic_of_its_scale():
    seeded = seed(patients=12)

    assert seeded is not None
    assert User.objects.filter(role=Role.PATIENT).count() == 12
    assert User.objects.filter(role=Role.PHYSIOTHERAPIST).count() == 2
    assert User.objects.filter(role=Role.ADMIN, is_staff=True, is_superuser=True).count() == 1
    assert User.objects.get(username=BUSY_PHYSIO_USERNAME).caseload.count() == 1
    assert PatientProfile.objects.count() == 12
    assert Plan.objects.filter(status=PlanStatus.ACTIVE).count() == 12
    assert DangerReport.objects.count() == 1
    assert not User.objects.filter(role=Role.PATIENT, profile__care_team=None).exists()
    # The issue's proportions, within what 12 patients' dice allow: about 200 sessions,
    # 12 alerts, two in three with one open, and 230 audit events a patient.
    assert 100 * 12 < SessionLog.objects.count() < 300 * 12
    assert 8 * 12 < Alert.objects.count() < 16 * 12
    assert 0.2 * 12 < Alert.objects.open().count() < 1.2 * 12
    assert 190 * 12 < AuditEvent.objects.count() < 270 * 12
    assert seeded.rows["session logs"] == SessionLog.objects.count()
    assert seeded.summary().startswith("Seeded 12 patients in ")
    # The triage rows as the daily checks leave them, the COPY having passed the signals.
    assert Attention.objects.filter(as_of=timezone.localdate()).count() == 12
    assert set(
        Attention.objects.filter(alerts_open__gt=0).values_list("patient", flat=True)
    ) == set(Alert.objects.open().values_list("patient", flat=True))


def test_seed_rows_pass_the_models_validation():
    seed(patients=12)

    for model in SEEDED:
        rows = model.objects.order_by("pk")
        sample = [rows.first(), rows.last()]
        assert sample[0] is not None, model.__name__
        for row in sample:
            row.full_clean()


def test_seed_twice_changes_nothing():
    seed(patients=12)
    before = counts()

    again = seed(patients=12)

    assert again is None
    assert counts() == before


def written_rows(monkeypatch, *, random_seed: int) -> list:
    """Every row a seed would write, caught before it reaches the database; the unusable
    password is random by design, so it is left out."""
    caught = []
    monkeypatch.setattr(writer, "_write", lambda model, rows: caught.append((model, rows)))
    with time_machine.travel(pinned_now(), tick=False):
        seed(patients=12, random_seed=random_seed)
    return [
        (model, [{k: v for k, v in row.items() if k != "password"} for row in rows])
        for model, rows in caught
    ]


def test_seed_same_seed_same_clinic(monkeypatch):
    first = written_rows(monkeypatch, random_seed=7)

    assert written_rows(monkeypatch, random_seed=7) == first
    assert written_rows(monkeypatch, random_seed=8) != first


def test_seed_refuses_a_database_with_other_accounts():
    make_patient()

    with pytest.raises(SeedRefused):
        seed(patients=12)

    assert User.objects.count() == 1
    assert SessionLog.objects.count() == 0


def test_bench_seed_command_prints_what_it_made(capsys):
    call_command("bench_seed", "--patients", "12")

    out = capsys.readouterr().out
    assert "Seeding 12 patients, 2 physiotherapists (the busiest with 1 patients)..." in out
    assert f"{SessionLog.objects.count():,} session logs" in out


def test_bench_seed_command_refuses_a_database_with_other_accounts():
    make_patient()

    with pytest.raises(CommandError, match="Refusing to seed"):
        call_command("bench_seed", "--patients", "12")
