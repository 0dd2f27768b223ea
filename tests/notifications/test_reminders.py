"""Reminders the patient sets: sent by the scheduled task through the outbox and the real
worker to a real SMTP server, on the chosen days once the chosen time has come, when nothing
is logged yet; never twice, never hours late, never with health details."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.conftest import run_worker
from tests.factories import SessionLogFactory, make_active_plan, make_patient
from tests.smtp import html_part, smtp_server, text_part
from tracker.models import OutgoingEmail, PlanStatus, Reminder
from tracker.notifications import outbox
from tracker.notifications.reminders import due_reminders, send_due_reminders
from tracker.rules.reminders import bits_of

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = dt.date(2026, 12, 2)
MONDAY, THURSDAY = 0, 3


def at(hour: int, minute: int = 0, day: dt.date = WEDNESDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def remind(patient, *, days=(2,), time=dt.time(8, 0), is_on=True) -> Reminder:
    return Reminder.objects.create(patient=patient, weekdays=bits_of(days), at=time, is_on=is_on)


@pytest.fixture
def anna(physio):
    patient = make_patient(
        care_team=[physio],
        user__first_name="Anna",
        user__last_name="Novak",
        user__email="anna@example.org",
        cause_detail="Ankle fracture, eight weeks in a cast",
    )
    make_active_plan(patient)
    return patient


def unfolded(header: str) -> str:
    return str(make_header(decode_header(header)))


def tick(now: dt.datetime) -> int:
    with time_machine.travel(now, tick=False):
        return send_due_reminders.call()


@pytest.mark.django_db(transaction=True)
def test_reminder_is_sent_on_a_chosen_day_after_its_time_when_nothing_is_logged(settings, anna):
    remind(anna, days=(2,), time=dt.time(8, 0))

    assert tick(at(8, 5)) == 1
    with smtp_server(settings) as inbox, time_machine.travel(at(8, 5), tick=False):
        run_worker()

    (message,) = inbox.messages
    stop = f"{settings.SITE_URL}/reminders/stop/{anna.pk}/"
    assert message["To"] == "anna@example.org"
    assert message["Subject"] == "A reminder: you planned a session today"
    # As a mail client reads it (the outbox folds a long header into encoded words: see
    # test_the_unsubscribe_header_is_sent_as_it_is below).
    assert unfolded(message["List-Unsubscribe"]).startswith(f"<{stop}")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = text_part(message), html_part(message)
    assert f"{settings.SITE_URL}/log/" in text
    assert stop in text
    assert stop in html
    # No health details: nothing of the diagnosis, the plan or the activities.
    for health in ("fracture", "cast", "atrophy", "Walking", "walking", "minutes", "pain"):
        assert health not in text
        assert health not in html
        assert health not in message["Subject"]
    email = OutgoingEmail.objects.get()
    assert (email.kind, email.key, email.recipient) == (
        "reminder",
        f"reminder:{anna.pk}:2026-12-02",
        anna,
    )


@pytest.mark.django_db(transaction=True)
def test_reminder_is_not_sent_twice_by_a_second_tick_or_worker(settings, anna):
    remind(anna)

    assert tick(at(8, 5)) == 1
    assert tick(at(8, 10)) == 0
    assert tick(at(9, 55)) == 0
    with smtp_server(settings) as inbox:
        run_worker()
        run_worker()

    assert len(inbox.messages) == 1
    assert OutgoingEmail.objects.count() == 1


@pytest.mark.django_db
def test_reminder_is_not_sent_when_a_session_is_logged_that_day(anna):
    remind(anna)
    SessionLogFactory(plan=anna.plans.get(), date=WEDNESDAY)

    assert tick(at(8, 5)) == 0
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_a_session_logged_yesterday_or_deleted_does_not_stop_todays_reminder(anna):
    remind(anna)
    plan = anna.plans.get()
    SessionLogFactory(plan=plan, date=WEDNESDAY - dt.timedelta(days=1))
    SessionLogFactory(plan=plan, date=WEDNESDAY, deleted_at=at(7, 0))

    assert tick(at(8, 5)) == 1


@pytest.mark.django_db
def test_reminder_is_not_sent_on_other_weekdays(anna):
    remind(anna, days=(MONDAY, THURSDAY))

    assert tick(at(8, 5)) == 0
    assert tick(at(8, 5, day=WEDNESDAY + dt.timedelta(days=1))) == 1


@pytest.mark.django_db
def test_reminder_is_not_sent_when_off(anna):
    remind(anna, is_on=False)

    assert tick(at(8, 5)) == 0


@pytest.mark.django_db
def test_reminder_is_not_sent_before_its_time_nor_hours_late(anna):
    remind(anna, time=dt.time(8, 0))

    assert tick(at(7, 55)) == 0
    assert tick(at(15, 0)) == 0  # set at 15:00 for 08:00: not today
    assert tick(at(10, 0)) == 0  # two hours late is too late
    assert tick(at(9, 59)) == 1


@pytest.mark.django_db
def test_reminder_just_after_midnight_is_due_from_midnight(anna):
    remind(anna, time=dt.time(0, 0))

    assert tick(at(0, 0)) == 1


@pytest.mark.django_db
def test_reminder_is_not_sent_to_a_closed_account_without_an_address_or_an_active_plan(
    physio, anna
):
    remind(anna)
    no_address = make_patient(care_team=[physio], user__email="")
    make_active_plan(no_address)
    remind(no_address)
    closed = make_patient(care_team=[physio], user__is_active=False)
    make_active_plan(closed)
    remind(closed)
    paused = make_patient(care_team=[physio])
    make_active_plan(paused)
    paused.plans.update(status=PlanStatus.PAUSED)
    remind(paused)
    no_plan = make_patient(care_team=[physio])
    remind(no_plan)
    suspended = make_patient(care_team=[physio])
    make_active_plan(suspended, valid_until=WEDNESDAY - dt.timedelta(days=1))
    remind(suspended)

    assert tick(at(8, 5)) == 1
    assert list(OutgoingEmail.objects.values_list("recipient", flat=True)) == [anna.pk]


@pytest.mark.django_db
def test_the_due_reminders_are_one_query_however_many_patients(physio, django_assert_num_queries):
    def due() -> list:
        with time_machine.travel(at(8, 5), tick=False), django_assert_num_queries(1):
            return list(due_reminders(at(8, 5)))

    first = make_patient(care_team=[physio])
    make_active_plan(first)
    remind(first)
    assert len(due()) == 1

    for _ in range(5):
        patient = make_patient(care_team=[physio])
        make_active_plan(patient)
        remind(patient)
        SessionLogFactory(plan=patient.plans.get(), date=WEDNESDAY - dt.timedelta(days=1))
    assert len(due()) == 6


@pytest.mark.django_db
def test_a_reminder_already_posted_today_is_not_read_again(anna):
    remind(anna)
    tick(at(8, 5))

    with time_machine.travel(at(8, 10), tick=False):
        assert list(due_reminders(at(8, 10))) == []


@pytest.mark.django_db(transaction=True)
def test_the_unsubscribe_header_is_sent_as_it_is(settings, anna):
    remind(anna)
    tick(at(8, 5))
    with smtp_server(settings) as inbox:
        run_worker()

    (message,) = inbox.messages
    assert message["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/reminders/stop/")


@pytest.mark.django_db(transaction=True)
def test_a_twin_worker_that_wrote_the_same_reminder_first_is_taken_as_sent(monkeypatch, anna):
    remind(anna)
    # The other worker's row, written between this worker's look for the key and its insert.
    OutgoingEmail.objects.create(
        key=f"reminder:{anna.pk}:2026-12-02", kind="reminder", address="anna@example.org"
    )
    racing = SimpleNamespace(
        objects=SimpleNamespace(
            filter=lambda **kwargs: SimpleNamespace(first=lambda: None),
            create=OutgoingEmail.objects.create,
        )
    )
    monkeypatch.setattr(outbox, "OutgoingEmail", racing)

    assert tick(at(8, 5)) == 0
    assert OutgoingEmail.objects.count() == 1
