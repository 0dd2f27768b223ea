"""The outbox: e-mail not about one alert is a row before it is sent, delivered by the real
worker through a real SMTP server, sent once however often it is posted, and a refusal is
kept and retried."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from tests.conftest import run_worker
from tests.smtp import html_part, smtp_server, text_part
from tracker.models import OutgoingEmail
from tracker.notifications.outbox import post

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates


def send(key="test:1", **extra):
    with transaction.atomic():
        return post(
            key=key,
            kind="test",
            template="outbox_test",
            context={"name": "Anna"},
            address="anna@example.org",
            **extra,
        )


def test_post_writes_the_row_and_sends_nothing_in_the_request():
    email, created = send()
    assert created
    assert mail.outbox == []
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.subject == "Hello Anna"


def test_the_worker_delivers_it_with_its_headers(settings):
    send(headers={"List-Unsubscribe": "<https://example.org/u/1>"})
    with smtp_server(settings) as inbox, time_machine.travel(NOW, tick=False):
        run_worker()
    (message,) = inbox.messages
    assert message["Subject"] == "Hello Anna"
    assert message["List-Unsubscribe"] == "<https://example.org/u/1>"
    assert "plain text" in text_part(message)
    assert "<p>Dear Anna</p>" in html_part(message)
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at == NOW


def test_the_same_key_twice_sends_once(settings):
    send()
    _, created = send()
    assert not created
    with smtp_server(settings) as inbox:
        run_worker()
    assert len(inbox.messages) == 1
    assert OutgoingEmail.objects.count() == 1


def test_a_refusal_is_kept_and_tried_again_later(settings):
    send()
    with smtp_server(settings, refuse=True) as inbox, time_machine.travel(NOW):
        run_worker()
    assert inbox.messages == []
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.RETRYING
    assert email.attempts == 1
    assert "Relaying refused" in email.last_error

    with smtp_server(settings) as inbox, time_machine.travel(NOW + dt.timedelta(minutes=2)):
        run_worker()
    assert len(inbox.messages) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
