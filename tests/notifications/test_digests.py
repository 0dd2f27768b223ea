"""The clinicians' digests: the daily digest of the alerts each chose to read there, grouped
by patient, and the weekly caseload digest on Monday; for a pinned day, once, and never with
another care team's patients."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from tests.conftest import run_worker
from tests.factories import (
    SessionLogFactory,
    make_active_plan,
    make_patient,
)
from tests.smtp import smtp_server, text_part
from tracker.domain.invitations import invite_patient
from tracker.models import (
    Alert,
    AlertKind,
    AlertPreference,
    Delivery,
    DigestPreference,
    OutgoingEmail,
)
from tracker.notifications.digests import (
    daily_window,
    send_daily_digests,
    send_weekly_digests,
    weekly_digest,
)

LONDON = ZoneInfo("Europe/London")
# The digest of Thursday 3 December covers Wednesday 07:00 to Thursday 07:00, clinic time.
THURSDAY = dt.date(2026, 12, 3)
MONDAY = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def anna(maya):
    return make_patient(care_team=[maya], user__first_name="Anna", user__last_name="Novak")


@pytest.fixture
def ben(maya):
    return make_patient(care_team=[maya], user__first_name="Ben", user__last_name="Adams")


@pytest.fixture
def carl(tomas):
    return make_patient(care_team=[tomas], user__first_name="Carl", user__last_name="Berg")


def alert(patient, kind, opened_at, message="", acknowledged_by=None):
    made = Alert.objects.create(
        patient=patient,
        kind=kind,
        message=message or f"{AlertKind(kind).label} for {patient.first_name}",
    )
    fields = {"opened_at": opened_at}
    if acknowledged_by is not None:
        fields |= {
            "acknowledged_at": opened_at + dt.timedelta(hours=1),
            "acknowledged_by": acknowledged_by,
        }
    Alert.objects.filter(pk=made.pk).update(**fields)
    return Alert.objects.get(pk=made.pk)


def emails_to(address):
    return list(OutgoingEmail.objects.filter(address=address).order_by("pk"))


# The daily digest ------------------------------------------------------------------------


def test_daily_window_is_digest_hour_to_digest_hour_clinic_time(settings):
    settings.DIGEST_HOUR = 7
    assert daily_window(THURSDAY) == (at(dt.date(2026, 12, 2), 7), at(THURSDAY, 7))


def test_daily_window_keeps_clinic_hours_across_the_clocks_change(settings):
    settings.DIGEST_HOUR = 7
    start, end = daily_window(dt.date(2026, 3, 29))  # the clocks go forward at 01:00
    assert (start.astimezone(dt.UTC).hour, end.astimezone(dt.UTC).hour) == (7, 6)


@pytest.mark.django_db
def test_daily_digest_lists_the_days_digest_alerts_grouped_by_patient(maya, anna, ben, carl):
    AlertPreference.objects.create(
        clinician=maya, kind=AlertKind.NEW_SYMPTOM, delivery=Delivery.APP
    )
    AlertPreference.objects.create(
        clinician=maya, kind=AlertKind.CLEARANCE, delivery=Delivery.INSTANT
    )
    AlertPreference.objects.create(clinician=maya, kind=AlertKind.EFFORT, delivery=Delivery.DIGEST)
    wednesday = dt.date(2026, 12, 2)
    pain = alert(anna, AlertKind.PAIN, at(wednesday, 9), "Pain 7/10 after walking")
    effort = alert(anna, AlertKind.EFFORT, at(THURSDAY, 6, 59), "Effort 17, above 9-13")
    silence = alert(
        ben, AlertKind.SILENCE, at(wednesday, 20), "No session for 6 days", acknowledged_by=maya
    )
    alert(anna, AlertKind.ADHERENCE, at(wednesday, 6, 59))  # before the day
    alert(anna, AlertKind.ADHERENCE, at(THURSDAY, 7))  # after it: tomorrow's
    alert(anna, AlertKind.DANGER_SIGN, at(wednesday, 10))  # always at once, never digested
    alert(anna, AlertKind.NEW_SYMPTOM, at(wednesday, 11))  # in the app only
    alert(anna, AlertKind.CLEARANCE, at(wednesday, 12))  # e-mailed at once
    alert(carl, AlertKind.PAIN, at(wednesday, 9), "Carl's pain")  # another care team's

    with time_machine.travel(at(THURSDAY, 7, 5), tick=False):
        send_daily_digests.call(THURSDAY.isoformat())

    (email,) = emails_to("maya@x.org")
    assert (email.key, email.kind) == (f"digest:daily:{maya.pk}:2026-12-03", "digest")
    assert email.subject == "Your daily digest for Thursday 3 December: 3 alerts"
    record = "http://testserver/patients/{}/"
    assert email.text == (
        "The alerts of your caseload opened in the last day, of the kinds you read in the daily "
        "digest.\n"
        "\n"
        f"Ben Adams ({record.format(ben.pk)})\n"
        "  - No recent log, Wed 2 Dec, 20:00: No session for 6 days\n"
        f"    Acknowledged by Maya Lindqvist: {record.format(ben.pk)}#alert-{silence.pk}\n"
        "\n"
        f"Anna Novak ({record.format(anna.pk)})\n"
        "  - Pain, Wed 2 Dec, 09:00: Pain 7/10 after walking\n"
        f"    Still open: {record.format(anna.pk)}#alert-{pain.pk}\n"
        "  - Effort above range, Thu 3 Dec, 06:59: Effort 17, above 9-13\n"
        f"    Still open: {record.format(anna.pk)}#alert-{effort.pk}\n"
        "\n"
        "Change how you hear of each kind of alert:\n"
        "http://testserver/notifications/\n"
        "\n"
        "Rehab tracker\n"
    )
    assert f'href="{record.format(anna.pk)}#alert-{pain.pk}"' in email.html
    (carls,) = emails_to("tomas@x.org")
    assert "Carl Berg" in carls.text
    assert "Anna" not in carls.text and "Ben" not in carls.text


@pytest.mark.django_db
def test_daily_digest_sends_nothing_twice(maya, anna):
    alert(anna, AlertKind.PAIN, at(dt.date(2026, 12, 2), 9))
    assert send_daily_digests.call(THURSDAY.isoformat()) == 1
    assert send_daily_digests.call(THURSDAY.isoformat()) == 0
    assert len(emails_to("maya@x.org")) == 1


@pytest.mark.django_db
def test_daily_digest_sends_nothing_when_there_is_nothing_to_say(maya, anna, tomas):
    alert(anna, AlertKind.PAIN, at(dt.date(2026, 12, 1), 9))  # the day before's
    assert send_daily_digests.call(THURSDAY.isoformat()) == 0
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db
def test_daily_digest_leaves_out_kinds_chosen_for_the_app_or_at_once(maya, anna):
    AlertPreference.objects.create(clinician=maya, kind=AlertKind.PAIN, delivery=Delivery.APP)
    AlertPreference.objects.create(
        clinician=maya, kind=AlertKind.SILENCE, delivery=Delivery.INSTANT
    )
    alert(anna, AlertKind.PAIN, at(dt.date(2026, 12, 2), 9))
    alert(anna, AlertKind.SILENCE, at(dt.date(2026, 12, 2), 9))
    assert send_daily_digests.call(THURSDAY.isoformat()) == 0


@pytest.mark.django_db(transaction=True)
def test_daily_digest_goes_through_the_worker_to_the_mail_server(settings, maya, anna):
    alert(anna, AlertKind.PAIN, at(dt.date(2026, 12, 2), 9), "Pain 7/10 after walking")
    with transaction.atomic():
        send_daily_digests.call(THURSDAY.isoformat())
    with smtp_server(settings) as inbox:
        run_worker()
    (message,) = inbox.messages
    assert message["X-Envelope-To"] == "maya@x.org"
    assert "Pain 7/10 after walking" in text_part(message)


# The weekly caseload digest --------------------------------------------------------------


def caseload_of(maya):
    """Anna kept up, Ben has gone silent and behind, Dana has an open pain alert."""
    started = dt.date(2026, 11, 16)
    people = {}
    for first, last in [("Anna", "Novak"), ("Ben", "Adams"), ("Dana", "Okafor")]:
        patient = make_patient(care_team=[maya], user__first_name=first, user__last_name=last)
        plan = make_active_plan(
            patient, cleared_on=started - dt.timedelta(days=1), recorded_by=maya
        )
        plan.starts_on = started
        plan.save()
        people[first] = (patient, plan)
    anna_plan = people["Anna"][1]
    for day in [23, 25, 27, 30]:
        SessionLogFactory(plan=anna_plan, date=dt.date(2026, 11, day))
    for day in [2, 4, 6]:
        SessionLogFactory(plan=anna_plan, date=dt.date(2026, 12, day))
    SessionLogFactory(plan=people["Ben"][1], date=dt.date(2026, 11, 24))
    dana_plan = people["Dana"][1]
    for day in [23, 25, 27, 30]:
        SessionLogFactory(plan=dana_plan, date=dt.date(2026, 11, day))
    for day in [2, 4, 6]:
        SessionLogFactory(plan=dana_plan, date=dt.date(2026, 12, day))
    alert(people["Dana"][0], AlertKind.PAIN, at(dt.date(2026, 12, 6), 18), "Pain 7/10")
    return {name: patient for name, (patient, _) in people.items()}


@pytest.mark.django_db
def test_weekly_digest_says_who_needs_attention_adherence_and_who_is_silent(maya, carl):
    people = caseload_of(maya)
    with time_machine.travel(at(MONDAY, 7, 5), tick=False):
        assert send_weekly_digests.call(MONDAY.isoformat()) == 2  # Maya's, and Tomás's

    (email,) = emails_to("maya@x.org")
    assert (email.key, email.kind) == (f"digest:weekly:{maya.pk}:2026-12-07", "digest")
    assert email.subject == "Your caseload this week, Monday 7 December"
    record = "http://testserver/patients/{}/"
    assert email.text == (
        "Your caseload on Monday 7 December 2026: 3 patients.\n"
        "\n"
        "Needs attention\n"
        f"  - Dana Okafor: Pain or effort (Pain)\n"
        f"    {record.format(people['Dana'].pk)}\n"
        f"  - Ben Adams: Falling behind\n"
        f"    {record.format(people['Ben'].pk)}\n"
        "\n"
        "Adherence over the last two weeks\n"
        "  2 of 3 patients with a plan did at least 80% of their planned sessions.\n"
        "  - Ben Adams: 17% of planned sessions\n"
        "\n"
        "Gone silent\n"
        "  - Ben Adams: last logged Tue 24 Nov (13 days ago)\n"
        "\n"
        "Your caseload: http://testserver/caseload/\n"
        "\n"
        "You get this e-mail every Monday morning; turn it off here: "
        "http://testserver/notifications/\n"
        "\n"
        "Rehab tracker\n"
    )
    assert "Carl" not in email.text
    (tomas_email,) = emails_to("tomas@x.org")
    assert "Carl Berg" in tomas_email.text and "Anna" not in tomas_email.text


@pytest.mark.django_db
def test_weekly_digest_sends_nothing_twice(maya, anna):
    assert send_weekly_digests.call(MONDAY.isoformat()) == 1
    assert send_weekly_digests.call(MONDAY.isoformat()) == 0
    assert len(emails_to("maya@x.org")) == 1


@pytest.mark.django_db
def test_weekly_digest_not_sent_to_who_turned_it_off_or_has_no_patients(maya, anna, tomas):
    DigestPreference.objects.create(clinician=maya, weekly=False)
    assert send_weekly_digests.call(MONDAY.isoformat()) == 0
    assert OutgoingEmail.objects.count() == 0


def many_patients(maya, count):
    for n in range(count):
        patient = make_patient(care_team=[maya], user__first_name=f"P{n}")
        plan = make_active_plan(patient, recorded_by=maya)  # no more clinicians than Maya
        plan.starts_on = dt.date(2026, 11, 16)
        plan.save()
        SessionLogFactory(plan=plan, date=dt.date(2026, 11, 24))
        alert(patient, AlertKind.PAIN, at(dt.date(2026, 12, 6), 18))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_weekly_digest_query_count_does_not_grow_with_patients(
    maya, count, django_assert_num_queries
):
    many_patients(maya, count)
    with time_machine.travel(at(MONDAY, 7, 5), tick=False), django_assert_num_queries(16):
        send_weekly_digests.call(MONDAY.isoformat())
    (email,) = emails_to("maya@x.org")
    assert email.text.count("Pain or effort") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_daily_digest_query_count_does_not_grow_with_patients(
    maya, count, django_assert_num_queries
):
    many_patients(maya, count)
    with time_machine.travel(at(MONDAY, 7, 5), tick=False), django_assert_num_queries(5):
        send_daily_digests.call(MONDAY.isoformat())
    (email,) = emails_to("maya@x.org")
    assert email.text.count("Still open") == count


@pytest.mark.django_db
def test_weekly_digest_of_an_empty_caseload_is_none(maya):
    assert weekly_digest(maya, monday=MONDAY) is None


@pytest.mark.django_db
def test_weekly_digest_names_thirty_patients_a_section_and_counts_the_rest(maya):
    many_patients(maya, 32)
    with time_machine.travel(at(MONDAY, 7, 5), tick=False):
        send_weekly_digests.call(MONDAY.isoformat())
    (email,) = emails_to("maya@x.org")
    assert email.text.count("Pain or effort") == 30
    assert email.text.count("  and 2 more on your caseload\n") == 3  # attention, behind, silent
    assert email.html.count("and 2 more on") == 3


@pytest.mark.django_db
def test_weekly_digest_leaves_out_patients_invited_who_have_not_joined(maya):
    caseload_of(maya)
    invitation, _ = invite_patient(
        by=maya,
        first_name="Nora",
        last_name="Quinn",
        email="nora@example.org",
        profile={},
        care_team=[maya],
    )
    plan = make_active_plan(
        invitation.user, cleared_on=dt.date(2026, 11, 15), recorded_by=maya
    )  # planned before they joined
    plan.starts_on = dt.date(2026, 11, 16)
    plan.save()

    with time_machine.travel(at(MONDAY, 7, 5), tick=False):
        digest = weekly_digest(maya, monday=MONDAY)

    listed = [
        row.patient.first_name
        for part in (digest.attention, digest.silent, digest.behind)
        for row in part.rows
    ]
    assert "Nora" not in listed
    assert (digest.kept_up, digest.with_plan) == (2, 3)  # Nora's plan is not counted yet
    assert [row.patient.first_name for row in digest.silent.rows] == ["Ben"]
