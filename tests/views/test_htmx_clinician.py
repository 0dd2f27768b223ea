"""The clinician's comment and alert forms through the one htmx path (tracker/views/htmx.py):
a plain form and a boosted one get a redirect with the message, a region swap gets the region
alone, a history restore gets the whole page, and every answer says `Vary: HX-Request`."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages

from tests.factories import SessionLogFactory, make_active_plan
from tests.htmx import BOOSTED, HISTORY_RESTORE, HTMX, varies_on_htmx
from tracker.models import Alert, AlertKind

pytestmark = pytest.mark.django_db

WHOLE_PAGE = "<!doctype html>"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def session(patient):
    return SessionLogFactory(plan=make_active_plan(patient))


@pytest.fixture
def alert(patient):
    return Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain rose.")


def comment(session) -> dict:
    return {
        "request_key": str(uuid.uuid4()),
        "session": session.pk,
        "about": "session",
        "text": "Good pacing.",
    }


def comments_url(patient) -> str:
    return f"/patients/{patient.pk}/comments/"


def ack_url(alert) -> str:
    return f"/alerts/{alert.pk}/acknowledge/"


# The comment form --------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["plain", "boosted"])
def test_comment_plain_or_boosted_post_redirects_to_the_comments_with_the_message(
    physio_client, patient, session, headers
):
    response = physio_client.post(comments_url(patient), comment(session), headers=headers)

    assert response.status_code == 302
    assert response["Location"] == f"/patients/{patient.pk}/#comments-{session.pk}"
    assert messages_of(response) == [f"Comment sent to {patient.display_name}."]
    assert varies_on_htmx(response)


def test_comment_htmx_post_gets_the_comments_region_announced(physio_client, patient, session):
    response = physio_client.post(comments_url(patient), comment(session), headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<div class="session-comments" id="comments-{session.pk}">'
    )
    assert WHOLE_PAGE not in response.text.lower()
    assert (
        f'<div id="announcer" hx-swap-oob="innerHTML">Comment sent to {patient.display_name}.</div>'
        in response.text
    )
    assert varies_on_htmx(response)


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["plain", "boosted"])
def test_comment_refused_plain_or_boosted_gets_the_whole_record(
    physio_client, patient, session, headers
):
    response = physio_client.post(
        comments_url(patient), comment(session) | {"text": ""}, headers=headers
    )

    assert response.status_code == 200
    assert response.text.lower().startswith(WHOLE_PAGE)
    assert "Write the comment first." in response.text
    assert varies_on_htmx(response)


def test_comment_refused_with_htmx_gets_the_region_with_the_cursor_at_the_field(
    physio_client, patient, session
):
    response = physio_client.post(
        comments_url(patient), comment(session) | {"text": ""}, headers=HTMX
    )

    assert response.status_code == 200
    assert WHOLE_PAGE not in response.text.lower()
    assert "Write the comment first." in response.text
    assert "The comment was not sent: see the message at the field." in response.text
    assert varies_on_htmx(response)


def test_record_history_restore_gets_the_whole_page(physio_client, patient, session):
    response = physio_client.get(f"/patients/{patient.pk}/", headers=HISTORY_RESTORE)

    assert response.status_code == 200
    assert response.text.lower().startswith(WHOLE_PAGE)
    assert f'id="comments-{session.pk}"' in response.text
    assert varies_on_htmx(response)


# The alert acknowledge form ----------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["plain", "boosted"])
@pytest.mark.parametrize(
    ("show_patient", "back_to"),
    [("1", "/alerts/"), ("", "/patients/{patient}/")],
    ids=["from the queue", "from the record"],
)
def test_acknowledge_plain_or_boosted_post_redirects_back_with_the_message(
    physio_client, patient, alert, headers, show_patient, back_to
):
    data = {"outcome": "done", "note": "Called her.", "show_patient": show_patient}

    response = physio_client.post(ack_url(alert), data, headers=headers)

    assert response.status_code == 302
    assert response["Location"] == back_to.format(patient=patient.pk)
    assert messages_of(response) == ["Alert acknowledged."]
    assert varies_on_htmx(response)


def test_acknowledge_htmx_post_from_the_queue_gets_the_alert_announced(
    physio_client, patient, alert
):
    data = {"outcome": "done", "note": "Called her.", "show_patient": "1"}

    response = physio_client.post(ack_url(alert), data, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li ")
    assert f'id="alert-{alert.pk}" tabindex="-1" autofocus' in response.text
    assert '<div id="announcer" hx-swap-oob="innerHTML">Alert acknowledged.</div>' in response.text
    assert WHOLE_PAGE not in response.text.lower()
    assert varies_on_htmx(response)


def test_acknowledge_htmx_post_from_the_record_updates_its_open_count(
    physio_client, patient, alert
):
    """The record's heading said "2 open"; after one is acknowledged in place it says 1, and
    after the last, nothing."""
    other = Alert.objects.create(patient=patient, kind=AlertKind.EFFORT, message="Effort 17.")
    data = {"outcome": "done", "note": "Called her.", "show_patient": ""}
    record = physio_client.get(f"/patients/{patient.pk}/")
    assert '<span id="record-open-count" class="badge badge-warning">2 open</span>' in record.text

    first = physio_client.post(ack_url(alert), data, headers=HTMX)
    last = physio_client.post(ack_url(other), data, headers=HTMX)

    assert (
        '<span id="record-open-count" hx-swap-oob="true" class="badge badge-warning">1 open</span>'
        in first.text
    )
    assert '<span id="record-open-count" hx-swap-oob="true"></span>' in last.text


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["plain", "boosted"])
def test_acknowledge_refused_plain_or_boosted_gets_the_whole_queue(physio_client, patient, headers):
    danger = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Chest.")
    data = {"outcome": "done", "note": "", "show_patient": "1"}

    response = physio_client.post(ack_url(danger), data, headers=headers)

    assert response.status_code == 200
    assert response.text.lower().startswith(WHOLE_PAGE)
    assert "<h1>Open alerts</h1>" in response.text
    assert varies_on_htmx(response)


def test_acknowledge_refused_with_htmx_gets_the_alert_with_the_note_kept(physio_client, patient):
    danger = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Chest.")
    data = {"outcome": "done", "note": "   ", "show_patient": "1"}

    response = physio_client.post(ack_url(danger), data, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li ")
    assert 'aria-invalid="true"' in response.text
    assert WHOLE_PAGE not in response.text.lower()
    assert varies_on_htmx(response)
    assert Alert.objects.get(pk=danger.pk).acknowledged_at is None


def test_alert_queue_history_restore_gets_the_whole_page(physio_client, alert):
    response = physio_client.get("/alerts/", headers=HISTORY_RESTORE)

    assert response.status_code == 200
    assert response.text.lower().startswith(WHOLE_PAGE)
    assert f'id="alert-{alert.pk}"' in response.text
    assert varies_on_htmx(response)
