"""The demo holds one imported GPX, one TCX and one FIT session, read from real files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tests.clock import TODAY
from tracker.demo.imports import FILES
from tracker.models import ImportedFile, Source

pytestmark = pytest.mark.django_db


def test_demo_imports_a_gpx_a_tcx_and_a_fit_file_as_sessions(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("demo", "--no-serve")

    rows = [
        (
            f.format,
            f.original_name,
            f.patient.username,
            f.sport,
            f.session.source,
            f.session.activity.name,
            f.session.date,
            f.session.start_time,
            f.session.minutes,
            f.session.distance_m,
            f.session.average_heart_rate,
            f.session.highest_heart_rate,
            f.session.effort,
            f.session.date >= f.session.plan.starts_on,
        )
        for f in ImportedFile.objects.select_related("session__activity", "session__plan").order_by(
            "format"
        )
    ]
    day = dt.timedelta(days=1)
    assert rows == [
        ("fit", "multisport-run-6471559601.fit", "patient4", "running", Source.IMPORTED,
         "Jogging", TODAY - 5 * day, dt.time(10, 48), 1, None, 54, 63, 12, True),
        ("gpx", "walk-cerknicko-jezero.gpx", "patient4", "", Source.IMPORTED,
         "Walking", TODAY - day, dt.time(14, 23), 40, 4420, None, None, 11, True),
        ("tcx", "run-3173437224-thinned.tcx", "patient4", "Running", Source.IMPORTED,
         "Jogging", TODAY - 3 * day, dt.time(10, 25), 58, 4510, 130, 168, 13, True),
    ]  # fmt: skip


def test_demo_keeps_each_original_file_as_it_is(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("demo", "--no-serve")

    for imported in ImportedFile.objects.all():
        assert imported.file.read() == (FILES / imported.original_name).read_bytes()


def test_the_demo_s_recordings_are_kept_once_the_tests_read_them_there():
    import hashlib

    from tests.data.recordings import FILES as TEST_FILES
    from tests.data.recordings import data

    def contents(folder):
        return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    assert not contents(FILES) & contents(TEST_FILES)
    assert data("walk-cerknicko-jezero.gpx") == (FILES / "walk-cerknicko-jezero.gpx").read_bytes()
