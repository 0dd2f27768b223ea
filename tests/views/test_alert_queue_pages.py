"""The alert queue a page at a time: most urgent first, the counts of all that is open in the
heading, the same number of queries however many are open, and acknowledging from a later
page coming back to that page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tracker.models import Alert, AlertKind

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def open_alerts(patient, count: int, *, kind: str = AlertKind.PAIN) -> list[Alert]:
    """`count` open alerts, the first the oldest, an hour apart."""
    alerts = Alert.objects.bulk_create(
        Alert(patient=patient, kind=kind, message=f"Alert {n}.") for n in range(count)
    )
    start = timezone.now() - dt.timedelta(days=10)
    for n, alert in enumerate(alerts):
        Alert.objects.filter(pk=alert.pk).update(opened_at=start + dt.timedelta(hours=n))
    return alerts


def ack_url(alert: Alert) -> str:
    return f"/alerts/{alert.pk}/acknowledge/"


def test_alert_queue_shows_danger_signs_first_then_the_oldest(physio_client, patient):
    pain_old, effort_newer = open_alerts(patient, 1) + open_alerts(
        patient, 1, kind=AlertKind.EFFORT
    )
    Alert.objects.filter(pk=effort_newer.pk).update(opened_at=timezone.now() - dt.timedelta(days=1))
    danger = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Chest.")

    response = physio_client.get("/alerts/")

    assert response.context["alerts"] == [danger, pain_old, effort_newer]


def test_alert_queue_shows_25_a_page_with_the_pager(physio_client, patient):
    alerts = open_alerts(patient, 30)

    first = physio_client.get("/alerts/")
    second = physio_client.get("/alerts/?page=2")

    assert first.context["alerts"] == alerts[:25]
    assert second.context["alerts"] == alerts[25:]
    assert '<a href="/alerts/?page=2">Next</a>' in first.text
    assert "<span>Page 2 of 2</span>" in second.text
    assert "Showing 26 to 30, page 2 of 2." in second.text


def test_alert_queue_heading_counts_all_open_alerts_and_each_kind(physio_client, patient):
    open_alerts(patient, 30)
    open_alerts(patient, 2, kind=AlertKind.DANGER_SIGN)

    response = physio_client.get("/alerts/")

    assert (
        '<span id="open-count">32 open</span><span id="open-kinds"> (danger sign 2, pain 30)</span>'
        in response.text
    )


@pytest.mark.parametrize("count", [3, 60])
def test_alert_queue_queries_stay_the_same_however_many_are_open(
    physio_client, patient, count, django_assert_num_queries
):
    open_alerts(patient, count)
    open_alerts(patient, 2, kind=AlertKind.DANGER_SIGN)
    physio_client.get("/alerts/")  # the session's first read out of the way

    # session, user, the counts, the page, its e-mails, its call attempts
    with django_assert_num_queries(7):
        response = physio_client.get("/alerts/")

    assert response.status_code == 200


def test_acknowledging_with_htmx_updates_the_total_and_each_kind(physio_client, patient):
    pain, *_ = open_alerts(patient, 3)
    open_alerts(patient, 1, kind=AlertKind.DANGER_SIGN)
    data = {"outcome": "done", "note": "Called her.", "show_patient": "1"}

    response = physio_client.post(ack_url(pain), data, headers=HTMX)

    assert '<span id="open-count" hx-swap-oob="true">3 open</span>' in response.text
    assert '<span id="open-kinds" hx-swap-oob="true"> (danger sign 1, pain 2)</span>' in (
        response.text
    )


def test_the_queue_on_a_later_page_sends_its_page_with_each_form(physio_client, patient):
    alerts = open_alerts(patient, 30)

    response = physio_client.get("/alerts/?page=2")

    assert response.text.count('<input type="hidden" name="page" value="2">') == 5
    assert f'id="alert-{alerts[29].pk}"' in response.text


def test_acknowledging_without_htmx_goes_back_to_the_page_it_was_sent_from(physio_client, patient):
    alerts = open_alerts(patient, 30)
    data = {"outcome": "done", "note": "Called her.", "show_patient": "1", "page": "2"}

    response = physio_client.post(ack_url(alerts[27]), data)

    assert response.status_code == 302
    assert response["Location"] == "/alerts/?page=2"


def test_a_refused_acknowledgement_without_htmx_shows_its_own_page_of_the_queue(
    physio_client, patient
):
    dangers = open_alerts(patient, 30, kind=AlertKind.DANGER_SIGN)
    data = {"outcome": "done", "note": "", "show_patient": "1", "page": "2"}

    response = physio_client.post(ack_url(dangers[27]), data)

    # The page it was sent from, the error at its alert, and the pager's links at the queue's
    # own address (the page is shown at the acknowledge address).
    assert response.status_code == 200
    assert response.context["alerts"] == dangers[25:]
    assert f'id="ack-note-{dangers[27].pk}" rows="2" data-limit="2000" aria-invalid="true"' in (
        response.text
    )
    assert '<a href="/alerts/?page=1">Previous</a>' in response.text
