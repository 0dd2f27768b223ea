"""Reminders and calendar, the patient's page: reminders on or off, the days and a time,
refused input sent back with what was typed; the stop link in the e-mail (signed out, one
click, no CSRF token) and its refusals; making, replacing and revoking the calendar address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import make_active_plan
from tracker.access import reminder_stop_token
from tracker.models import AuditAction, AuditEvent, CalendarFeed, Reminder

pytestmark = pytest.mark.django_db

PAGE = "/reminders/"
QUERIES = 4  # the session, the user, the reminder, the calendar address


def form(**fields) -> dict:
    data = {"is_on": "on", "weekdays": ["0", "2", "4"], "at": "08:30"} | fields
    return {key: value for key, value in data.items() if value is not None}


def stop_path(patient_id: int, token: str) -> str:
    return reverse("reminders_stop", args=[patient_id, token])


# The page ---------------------------------------------------------------------------------


def test_page_shows_the_form_and_the_link_is_in_the_patients_footer(patient_client):
    response = patient_client.get(PAGE)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Reminders and calendar</h1>" in body
    assert f'<a href="{PAGE}">Reminders and calendar</a>' in body
    assert 'type="time"' in body
    assert "Make my calendar address" in body


def test_saving_keeps_the_days_and_time(patient_client, patient):
    response = patient_client.post(PAGE, form())

    assert response.status_code == 302
    reminder = Reminder.objects.get(patient=patient)
    assert (reminder.is_on, reminder.weekdays, reminder.at) == (True, 1 | 4 | 16, dt.time(8, 30))
    page = patient_client.get(PAGE).content.decode()
    assert "Reminders saved." in page
    assert 'value="08:30"' in page
    assert 'value="2" id="id_weekdays_2" checked' in page
    assert 'value="1" id="id_weekdays_1">' in page


def test_saving_twice_keeps_one_reminder(patient_client, patient):
    patient_client.post(PAGE, form())
    patient_client.post(PAGE, form())

    assert Reminder.objects.filter(patient=patient).count() == 1


def test_a_newcomer_sees_reminders_off_and_can_save_them_off_with_no_days(patient_client, patient):
    page = patient_client.get(PAGE).content.decode()

    assert 'name="is_on"' in page
    assert 'name="is_on" id="id_is_on" checked' not in page
    assert 'value="08:00"' in page
    response = patient_client.post(PAGE, {"at": "08:00"})

    assert response.status_code == 302
    assert Reminder.objects.get(patient=patient).is_on is False


def test_turning_reminders_off_needs_no_days(patient_client, patient):
    patient_client.post(PAGE, form())
    response = patient_client.post(PAGE, form(is_on=None, weekdays=[]))

    assert response.status_code == 302
    assert Reminder.objects.get(patient=patient).is_on is False


def test_on_without_a_day_is_refused_at_the_field_with_the_time_kept(patient_client):
    response = patient_client.post(PAGE, form(weekdays=[], at="07:15"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "weekdays": ["Choose at least one day, or turn reminders off."]
    }
    assert 'value="07:15"' in response.content.decode()
    assert Reminder.objects.count() == 0


@pytest.mark.parametrize("typed", ["25:00", "8 o'clock", "<script>", "12:61"])
def test_a_malformed_time_is_refused_at_the_field_with_the_days_kept(patient_client, typed):
    response = patient_client.post(PAGE, form(at=typed))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "at": ["Enter a time as hours and minutes, such as 08:30."]
    }
    assert 'value="4" id="id_weekdays_4" checked' in response.content.decode()
    assert Reminder.objects.count() == 0


def test_a_missing_time_is_refused_in_words(patient_client):
    response = patient_client.post(PAGE, form(at=""))

    assert response.context["form"].errors == {"at": ["Enter a time, such as 08:30."]}


@pytest.mark.parametrize("day", ["7", "-1", "64", "x", "1; DROP TABLE"])
def test_a_day_not_in_the_list_is_refused(patient_client, day):
    response = patient_client.post(PAGE, form(weekdays=["1", day]))

    assert response.status_code == 200
    assert response.context["form"].errors == {"weekdays": ["Choose days from the list."]}
    assert Reminder.objects.count() == 0


def test_saving_reminders_is_not_in_the_audit_trail(patient_client):
    patient_client.post(PAGE, form())

    assert AuditEvent.objects.count() == 0


# The stop link ----------------------------------------------------------------------------


@pytest.fixture
def reminder(patient) -> Reminder:
    return Reminder.objects.create(patient=patient, weekdays=4, at=dt.time(8, 0))


def test_stop_link_shows_one_button_signed_out(patient, reminder):
    response = Client().get(stop_path(patient.pk, reminder_stop_token(patient.pk)))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<button") == 1
    assert '<button type="submit">Stop reminders</button>' in body
    assert patient.last_name not in body
    reminder.refresh_from_db()
    assert reminder.is_on is True  # a link checker's GET stops nothing


def test_one_click_post_without_a_csrf_token_stops_reminders(patient, reminder):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        stop_path(patient.pk, reminder_stop_token(patient.pk)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Reminders are off." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.is_on is False


def test_stop_link_opened_when_reminders_are_off_says_so_with_a_way_to_turn_them_on(
    patient, reminder
):
    Reminder.objects.filter(pk=reminder.pk).update(is_on=False)

    body = Client().get(stop_path(patient.pk, reminder_stop_token(patient.pk))).content.decode()

    assert "Reminders are already off." in body
    assert "<button" not in body
    assert f'href="{PAGE}"' in body


def test_stop_twice_says_so_again(patient, reminder):
    path = stop_path(patient.pk, reminder_stop_token(patient.pk))
    Client().post(path)
    response = Client().post(path)

    assert response.status_code == 200
    assert "Reminders are off." in response.content.decode()


def test_a_tampered_stop_link_is_refused_in_words(patient, reminder):
    token = reminder_stop_token(patient.pk)
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    for method in ("get", "post"):
        response = getattr(Client(), method)(stop_path(patient.pk, tampered))
        assert response.status_code == 400
        assert "This link does not work." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.is_on is True


def test_a_stop_link_for_another_person_is_refused(patient, other_patient, reminder):
    # Ben's own token put on Anna's link: it stops nobody's reminders.
    response = Client().post(stop_path(patient.pk, reminder_stop_token(other_patient.pk)))

    assert response.status_code == 400
    assert "This link does not work." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.is_on is True


def test_a_signed_in_patient_cannot_stop_another_persons_reminders_with_their_link(
    patient, other_patient, reminder
):
    response = client_for(other_patient).post(
        stop_path(patient.pk, reminder_stop_token(other_patient.pk))
    )

    assert response.status_code == 400
    reminder.refresh_from_db()
    assert reminder.is_on is True


# The calendar address ---------------------------------------------------------------------


def test_making_the_calendar_address_is_a_disclosure_and_shows_both_links(
    patient_client, patient, settings
):
    response = patient_client.post(reverse("calendar_new"))

    assert response.status_code == 302
    # Not scrolled to the calendar: on a phone the confirmation at the top must show.
    assert response["Location"] == PAGE
    feed = CalendarFeed.objects.get(patient=patient)
    assert len(feed.token) >= 40
    event = AuditEvent.objects.get()
    assert (event.actor, event.patient, event.action, event.what) == (
        patient,
        patient,
        AuditAction.EXPORT,
        "plan as a calendar address",
    )
    body = patient_client.get(PAGE).content.decode()
    https = f"{settings.SITE_URL}/calendar/{feed.token}.ics"
    assert f'href="webcal://{https.split("://", 1)[1]}"' in body
    assert f'value="{https}"' in body
    assert "On an iPhone" in body
    assert "On Android, with Google Calendar" in body
    assert "On an Android phone only" in body
    assert body.count(f'href="webcal://{https.split("://", 1)[1]}"') == 2


def test_a_new_address_replaces_the_old_one(patient_client, patient):
    patient_client.post(reverse("calendar_new"))
    old = CalendarFeed.objects.get(patient=patient).token

    patient_client.post(reverse("calendar_new"))

    new = CalendarFeed.objects.get(patient=patient).token
    assert new != old
    assert patient_client.get(f"/calendar/{old}.ics").status_code == 404
    assert patient_client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_revoked_address_answers_404_and_a_new_one_can_be_made(patient_client, patient):
    patient_client.post(reverse("calendar_new"))
    token = CalendarFeed.objects.get(patient=patient).token

    page = patient_client.get(PAGE).content.decode()
    assert f'<a href="{reverse("calendar_revoke")}"' in page  # a link to a confirm step
    confirm = patient_client.get(reverse("calendar_revoke"))
    assert confirm.status_code == 200
    assert CalendarFeed.objects.filter(patient=patient).count() == 1  # the page stops nothing
    assert '<button type="submit">Stop this address</button>' in confirm.content.decode()

    response = patient_client.post(reverse("calendar_revoke"))

    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert CalendarFeed.objects.filter(patient=patient).count() == 0
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    assert AuditEvent.objects.order_by("pk").last().what == "deleted calendar address"
    patient_client.post(reverse("calendar_new"))
    assert CalendarFeed.objects.filter(patient=patient).count() == 1


def test_the_stop_address_confirm_page_without_an_address_leads_back(patient_client):
    response = patient_client.get(reverse("calendar_revoke"))

    assert (response.status_code, response["Location"]) == (302, PAGE)


def test_the_page_says_reminder_days_only_while_reminders_are_on(patient_client, patient):
    CalendarFeed.objects.create(patient=patient, token="a-token-for-the-wording")
    reminder = Reminder.objects.create(patient=patient, weekdays=16, at=dt.time(8, 0))
    assert "on your reminder days" in patient_client.get(PAGE).content.decode()

    Reminder.objects.filter(pk=reminder.pk).update(is_on=False)

    assert "reminder days" not in patient_client.get(PAGE).content.decode()


def test_my_plan_links_to_reminders_and_calendar(patient_client, patient):
    make_active_plan(patient)

    body = patient_client.get(reverse("my_plan")).content.decode()

    assert (
        f'<a href="{PAGE}" class="go-link">Get reminders, or put your plan in your calendar</a>'
        in body
    )


def test_page_reads_the_same_queries_with_or_without_a_reminder_and_address(
    patient_client, patient, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        patient_client.get(PAGE)
    Reminder.objects.create(patient=patient, weekdays=127, at=dt.time(7, 0))
    CalendarFeed.objects.create(patient=patient, token="a-token-for-the-count")
    with django_assert_num_queries(QUERIES):
        patient_client.get(PAGE)
