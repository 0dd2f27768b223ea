"""The import pages' SQL does not grow with the files waiting, nor history's with imported
sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.data.recordings import moved, upload
from tests.factories import SessionLogFactory, activity, make_active_plan
from tracker.models import ImportedFile, Source

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


def waiting_files(patient, count: int, *, sessions=None) -> list[ImportedFile]:
    start = timezone.now() - dt.timedelta(days=1)
    files = []
    for n in range(count):
        imported = ImportedFile(
            patient=patient,
            original_name=f"walk-{n}.gpx",
            format="gpx",
            sha256=f"{n:064d}",
            started_at=start + dt.timedelta(minutes=5 * n),
            moving_seconds=1200,
            distance_m=2000,
            activity=activity("Walking"),
            session=sessions[n] if sessions else None,
        )
        imported.file.save("gpx", ContentFile(b"<gpx></gpx>"), save=False)
        imported.save()
        files.append(imported)
    return files


@pytest.mark.parametrize("count", [1, 8])
def test_upload_page_queries_do_not_grow_with_waiting_files(
    patient_client, patient, plan, count, django_assert_num_queries
):
    waiting_files(patient, count)

    with django_assert_num_queries(8):
        response = patient_client.get("/import/")

    assert len(response.context["waiting"]) == count


@pytest.mark.parametrize("count", [1, 8])
def test_review_page_queries_do_not_grow_with_waiting_files(
    patient_client, patient, plan, count, django_assert_num_queries
):
    first = waiting_files(patient, count)[0]

    with django_assert_num_queries(13):
        response = patient_client.get(f"/import/{first.pk}/")

    assert len(response.context["waiting"]) == count


@pytest.mark.parametrize("count", [1, 8])
def test_history_queries_do_not_grow_with_imported_sessions(
    patient_client, patient, plan, count, django_assert_num_queries
):
    sessions = [
        SessionLogFactory(plan=plan, source=Source.IMPORTED, date=timezone.localdate())
        for _ in range(count)
    ]
    waiting_files(patient, count, sessions=sessions)

    with django_assert_num_queries(8):
        response = patient_client.get("/history/")

    assert response.content.decode().count(">Imported</span>") == count


# Read once per upload: the plan and its limits, the catalogue, what the files may repeat.
# Each file then costs its own writes only: a savepoint, its row, its audit row, the release.
@pytest.mark.parametrize(("count", "queries"), [(1, 18), (4, 18 + 3 * 4)])
def test_upload_queries_grow_only_by_each_file_s_own_writes(
    patient_client, plan, count, queries, django_assert_num_queries
):
    # Walks half an hour apart yesterday morning: all good, none a duplicate.
    start = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)
    files = [
        upload(WALK, moved(WALK, start + dt.timedelta(minutes=30 * n)), as_name=f"walk-{n}.gpx")
        for n in range(count)
    ]

    with django_assert_num_queries(queries):
        response = patient_client.post("/import/", {"files": files})

    assert response.status_code == 302
    assert ImportedFile.objects.count() == count
