"""The scheduled work: `tick(now)`, run by cron every five minutes (`manage.py tick`),
enqueues what is due, each at most once per slot however many ticks or machines: the daily
checks after CHECKS_HOUR, the daily digest after DIGEST_HOUR, the weekly digest on Monday
after DIGEST_HOUR, the patients' reminders on every tick. The worker runs them."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker
from tests.factories import make_active_plan
from tracker.models import Alert, AlertKind, OutgoingEmail, ScheduledRun
from tracker.notifications import schedule
from tracker.notifications.schedule import tick

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = dt.date(2026, 12, 2)
MONDAY = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def hours(settings):
    settings.CHECKS_HOUR = 6
    settings.DIGEST_HOUR = 7


def queued() -> list[tuple[str, list]]:
    return [
        (row.task_path.rsplit(".", 1)[1], row.args_kwargs["args"])
        for row in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]


def runs() -> list[tuple[str, str]]:
    return sorted(ScheduledRun.objects.values_list("name", "slot"))


@pytest.mark.django_db
def test_tick_before_the_hours_starts_only_the_reminders():
    with time_machine.travel(at(WEDNESDAY, 5, 57), tick=False):
        started = tick(dt.datetime.now(dt.UTC))
    assert started == ["reminders"]
    assert queued() == [("send_due_reminders", [])]
    assert runs() == [("reminders", "2026-12-02T05:55")]


@pytest.mark.django_db
def test_tick_after_the_checks_hour_starts_the_daily_checks():
    started = tick(at(WEDNESDAY, 6, 0))
    assert started == ["daily_checks", "reminders"]
    assert queued() == [("run_daily_checks", ["2026-12-02"]), ("send_due_reminders", [])]


@pytest.mark.django_db
def test_tick_after_the_digest_hour_on_a_wednesday_starts_no_weekly_digest():
    started = tick(at(WEDNESDAY, 7, 1))
    assert started == ["daily_checks", "daily_digest", "reminders"]
    assert ("send_daily_digests", ["2026-12-02"]) in queued()


@pytest.mark.django_db
def test_tick_on_monday_after_the_digest_hour_starts_the_weekly_digest():
    started = tick(at(MONDAY, 7, 0))
    assert started == ["daily_checks", "daily_digest", "weekly_digest", "reminders"]
    assert ("send_weekly_digests", ["2026-12-07"]) in queued()


@pytest.mark.django_db
def test_tick_on_monday_before_the_digest_hour_starts_no_weekly_digest():
    assert "weekly_digest" not in tick(at(MONDAY, 6, 55))


@pytest.mark.django_db
def test_two_ticks_in_one_slot_start_each_piece_of_work_once():
    first = tick(at(MONDAY, 7, 1))
    second = tick(at(MONDAY, 7, 3))
    assert first == ["daily_checks", "daily_digest", "weekly_digest", "reminders"]
    assert second == []
    assert len(queued()) == 4
    assert runs() == [
        ("daily_checks", "2026-12-07"),
        ("daily_digest", "2026-12-07"),
        ("reminders", "2026-12-07T07:00"),
        ("weekly_digest", "2026-12-07"),
    ]


@pytest.mark.django_db
def test_the_daily_work_runs_once_a_day_and_the_reminders_every_slot():
    tick(at(WEDNESDAY, 7, 1))
    later = tick(at(WEDNESDAY, 7, 6))
    evening = tick(at(WEDNESDAY, 19, 0))
    assert later == ["reminders"]
    assert evening == ["reminders"]
    assert [name for name, _ in queued()].count("run_daily_checks") == 1
    assert [name for name, _ in queued()].count("send_due_reminders") == 3


@pytest.mark.django_db
def test_a_slot_another_machine_started_is_not_started_again():
    ScheduledRun.objects.create(name="daily_checks", slot="2026-12-02")
    assert tick(at(WEDNESDAY, 8, 0)) == ["daily_digest", "reminders"]
    assert [name for name, _ in queued()] == ["send_daily_digests", "send_due_reminders"]


@pytest.mark.django_db
def test_the_slot_is_the_clinic_day_not_the_utc_day(settings):
    settings.TIME_ZONE = "America/New_York"
    # 03:00 UTC on Thursday is still Wednesday 22:00 in New York.
    started = tick(dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC))
    assert "daily_checks" in started
    assert ("daily_checks", "2026-12-02") in runs()


@pytest.mark.django_db
def test_tick_command_prints_what_it_started():
    out = StringIO()
    with time_machine.travel(at(MONDAY, 7, 2), tick=False):
        call_command("tick", stdout=out)
    assert out.getvalue() == ("Started: daily_checks, daily_digest, weekly_digest, reminders.\n")
    out = StringIO()
    with time_machine.travel(at(MONDAY, 7, 3), tick=False):
        call_command("tick", stdout=out)
    assert out.getvalue() == "Nothing due.\n"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_checks_and_the_digest_the_tick_queued(patient, physio):
    plan = make_active_plan(patient, recorded_by=physio)
    plan.starts_on = WEDNESDAY - dt.timedelta(days=10)
    plan.save()
    with time_machine.travel(at(WEDNESDAY, 6, 1), tick=False):
        tick(dt.datetime.now(dt.UTC))
        run_worker()
    assert Alert.objects.filter(patient=patient, kind=AlertKind.SILENCE).count() == 1
    with time_machine.travel(at(WEDNESDAY, 7, 1), tick=False):
        assert tick(dt.datetime.now(dt.UTC)) == ["daily_digest", "reminders"]
        run_worker()
    digest = OutgoingEmail.objects.get(kind="digest")
    assert digest.key == f"digest:daily:{physio.pk}:2026-12-02"
    assert "No recent log" in digest.text
    assert DBTaskResult.objects.exclude(status="SUCCESSFUL").count() == 0


@pytest.mark.django_db
def test_the_reminders_run_in_both_hours_of_the_night_the_clocks_go_back():
    # 25 October 2026: 01:05 comes twice in London, first in summer time, then in winter time.
    first = dt.datetime(2026, 10, 25, 0, 5, tzinfo=dt.UTC)  # 01:05 BST
    second = dt.datetime(2026, 10, 25, 1, 5, tzinfo=dt.UTC)  # 01:05 GMT
    assert tick(first) == ["reminders"]
    assert tick(second) == ["reminders"]


@pytest.mark.django_db(transaction=True)
def test_daily_checks_that_fail_give_their_slot_back_and_run_at_the_next_tick(monkeypatch):
    """A fault (here the database refusing mid-run) must not leave the day without its checks:
    the failed run gives its slot back, and the next tick starts the checks again."""
    real_run_checks = schedule.run_checks

    def refused(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(schedule, "run_checks", refused)
    with time_machine.travel(at(WEDNESDAY, 6, 1), tick=False):
        tick(dt.datetime.now(dt.UTC))
        run_worker()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1
    assert ("daily_checks", "2026-12-02") not in runs()

    monkeypatch.setattr(schedule, "run_checks", real_run_checks)
    with time_machine.travel(at(WEDNESDAY, 6, 6), tick=False):
        assert "daily_checks" in tick(dt.datetime.now(dt.UTC))
        run_worker()
    assert ("daily_checks", "2026-12-02") in runs()
    assert DBTaskResult.objects.filter(
        task_path__endswith="run_daily_checks", status="SUCCESSFUL"
    ).exists()


@pytest.mark.django_db
def test_the_daily_checks_throw_away_imported_files_left_waiting_too_long(
    patient, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tracker.models import ImportedFile

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(at(WEDNESDAY - dt.timedelta(days=10), 9), tick=False):
        ImportedFile.objects.create(
            patient=patient,
            file=ContentFile(b"<gpx/>", name="walk.gpx"),
            original_name="walk.gpx",
            format="gpx",
            sha256="a" * 64,
            started_at=dt.datetime.now(dt.UTC),
        )
    with time_machine.travel(at(WEDNESDAY, 6, 30), tick=False):
        summary = schedule.run_daily_checks.call(WEDNESDAY.isoformat())

    assert summary.endswith("Threw away 1 imported file left waiting.")
    assert not ImportedFile.objects.exists()
