"""The writes of an import: kept whole or not at all, answered once, linked to the session in
the same transaction, danger signs first; waiting files past the log form's window cleared."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import client_for
from tests.data.recordings import data, upload
from tests.factories import activity, make_active_plan
from tracker.domain.imports import (
    Accepted,
    answer_file,
    discard_file,
    discard_stale_files,
    stage_files,
)
from tracker.domain.logbook import SessionInput
from tracker.integrations.activity_files.read import read_activity
from tracker.models import Alert, AlertKind, DangerReport, ImportedFile, SessionLog, Source

pytestmark = pytest.mark.django_db
WALK = "walk-cerknicko-jezero.gpx"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return plan


def staged(patient, name=WALK, *, at=None) -> ImportedFile:
    reading = read_activity(data(name), name)
    if at is not None:
        reading = reading.moved_to(at)
    result = stage_files(
        patient=patient,
        accepted=[Accepted(name=name, data=data(name), reading=reading, activity=None)],
    )
    return result.waiting[0]


def entry(**fields) -> SessionInput:
    values = {
        "activity_id": activity("Walking").pk,
        "date": timezone.localdate() - dt.timedelta(days=1),
        "minutes": 40,
        "effort": 12,
        "pain_before": 1,
        "pain_after": 2,
    } | fields
    return SessionInput(**values)


def test_answering_twice_with_one_key_saves_one_session(patient, plan):
    imported = staged(patient)
    key = uuid.uuid4()

    first = answer_file(
        patient=patient, imported=imported, plan=plan, entry=entry(), request_key=key
    )
    second = answer_file(
        patient=patient, imported=imported, plan=plan, entry=entry(), request_key=key
    )

    imported.refresh_from_db()
    assert (first.created, second.created) == (True, False)
    assert SessionLog.objects.get() == imported.session == second.session
    assert imported.session.source == Source.IMPORTED


def test_danger_signs_are_filed_and_linked_with_the_session(patient, plan):
    imported = staged(patient)

    result = answer_file(
        patient=patient,
        imported=imported,
        plan=plan,
        entry=entry(),
        danger_signs=["paralysis"],
        request_key=uuid.uuid4(),
    )

    report = DangerReport.objects.get()
    assert report.session == result.session
    assert Alert.objects.get(kind=AlertKind.DANGER_SIGN).session == result.session


def test_a_heart_rate_beyond_the_clearance_alerts_as_a_typed_one_would(patient, plan):
    plan.clearance.max_heart_rate = 120
    plan.clearance.save()
    imported = staged(patient)

    result = answer_file(
        patient=patient,
        imported=imported,
        plan=plan,
        entry=entry(minutes=25, average_heart_rate=130, highest_heart_rate=150),
        request_key=uuid.uuid4(),
    )

    assert [b.measure for b in result.beyond_clearance] == ["heart_rate"]


def test_discarding_an_answered_file_keeps_it(patient, plan):
    imported = staged(patient)
    answer_file(patient=patient, imported=imported, plan=plan, entry=entry())

    discard_file(patient=patient, imported=imported)

    assert ImportedFile.objects.get().session is not None


def test_stale_waiting_files_are_cleared_and_answered_ones_kept(
    patient, plan, django_capture_on_commit_callbacks, tmp_path
):
    now = timezone.now()
    old = staged(patient, at=now - dt.timedelta(days=9))
    fresh = staged(patient, "ride-5039744860.gpx", at=now - dt.timedelta(days=2))
    answered = staged(patient, "run-3173437224-thinned.tcx", at=now - dt.timedelta(days=20))
    answer_file(patient=patient, imported=answered, plan=plan, entry=entry())

    with django_capture_on_commit_callbacks(execute=True):
        cleared = discard_stale_files(today=timezone.localdate())

    assert cleared == 1
    assert set(ImportedFile.objects.values_list("pk", flat=True)) == {fresh.pk, answered.pk}
    assert not (tmp_path / old.file.name).exists()


def test_a_fit_file_without_gps_goes_through_upload_and_answers(physio):
    # The day after the recording (a run with no GPS): the log form's window holds it.
    from tests.factories import make_patient

    with time_machine.travel(dt.datetime(2021, 3, 23, 10, 0, tzinfo=dt.UTC), tick=True):
        patient = make_patient(care_team=[physio])
        plan = make_active_plan(
            patient,
            activities=[activity("Walking"), activity("Jogging")],
            high_impact_allowed=True,
        )
        plan.starts_on = dt.date(2021, 3, 1)
        plan.save()
        client = client_for(patient)
        name = "multisport-run-6471559601.fit"

        response = client.post("/import/", {"files": [upload(name)]})
        imported = ImportedFile.objects.get()
        assert response.url == f"/import/{imported.pk}/"
        client.post(
            f"/import/{imported.pk}/",
            {
                "request_key": str(uuid.uuid4()),
                "activity": activity("Jogging").pk,
                "effort": "12",
                "pain_before": "0",
                "pain_after": "1",
                "no_danger_signs": "on",
            },
        )

    session = SessionLog.objects.get()
    assert (
        session.activity.name,
        session.date,
        session.start_time,
        session.minutes,
        session.distance_m,
        session.average_heart_rate,
        session.highest_heart_rate,
        session.source,
    ) == ("Jogging", dt.date(2021, 3, 22), dt.time(10, 48), 1, None, 54, 63, Source.IMPORTED)


def test_answers_from_a_second_tab_make_no_second_session(patient, plan):
    imported = staged(patient)
    answer_file(
        patient=patient, imported=imported, plan=plan, entry=entry(), request_key=uuid.uuid4()
    )

    again = answer_file(
        patient=patient, imported=imported, plan=plan, entry=entry(), request_key=uuid.uuid4()
    )

    assert again.created is False
    assert SessionLog.objects.count() == 1


def test_a_waiting_file_without_a_start_is_cleared_by_when_it_was_uploaded(patient, plan):
    from django.core.files.base import ContentFile

    def waiting(name: str) -> ImportedFile:
        return ImportedFile.objects.create(
            patient=patient,
            file=ContentFile(b"<gpx/>", name=f"{name}.gpx"),
            original_name=f"{name}.gpx",
            format="gpx",
            sha256=name * 8,
        )

    with time_machine.travel(timezone.now() - dt.timedelta(days=9), tick=False):
        old = waiting("old")
    fresh = waiting("new")

    assert discard_stale_files(today=timezone.localdate()) == 1
    assert list(ImportedFile.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not ImportedFile.objects.filter(pk=old.pk).exists()


def test_the_import_writes_depend_on_no_form():
    # Layers: domain/ writes, forms/ read what people send; the window both use is a rule.
    import ast
    import inspect

    import tracker.domain.imports

    tree = ast.parse(inspect.getsource(tracker.domain.imports))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not {name for name in imported if name.startswith("tracker.forms")}
    assert "tracker.rules.backdating" in imported
