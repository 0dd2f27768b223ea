"""E-mail not about one alert: `post` writes the message as a row and queues its delivery
once the transaction commits; `deliver_email` sends it, keeping a refusal on the row and
trying again with a longer wait each time, until MAIL_ATTEMPTS."""

from __future__ import annotations

from email import policy as mail_policy
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string

from tracker.models import OutgoingEmail, User
from tracker.notifications.tasks import attempt, queue


def post(
    *,
    key: str,
    kind: str,
    template: str,
    context: dict,
    address: str,
    recipient: User | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[OutgoingEmail, bool]:
    """Write the e-mail `templates/tracker/emails/<template>_subject.txt`, `.txt` and `.html`
    to `address` under `key`, and queue its delivery. A key already used sends nothing again:
    (the existing row, False)."""
    existing = OutgoingEmail.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    subject = render_to_string(f"tracker/emails/{template}_subject.txt", context)
    email = OutgoingEmail.objects.create(
        key=key,
        kind=kind,
        recipient=recipient,
        address=address.strip(),
        subject=" ".join(subject.split())[:200],
        text=render_to_string(f"tracker/emails/{template}.txt", context),
        html=render_to_string(f"tracker/emails/{template}.html", context),
        headers=headers or {},
    )
    transaction.on_commit(partial(queue, deliver_email, email.pk))
    return email, True


class _Message(EmailMultiAlternatives):
    """Headers folded at RFC 5322's 998 characters, not the SMTP policy's 78: a header with no
    place to fold (a long List-Unsubscribe address) would otherwise go out as RFC 2047 encoded
    words, which mail clients do not decode in a structured field."""

    def message(self, *, policy: mail_policy.Policy = mail_policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = _Message(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.address],
        headers=email.headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


@task
def deliver_email(email_id: int) -> None:
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None or email.status in {OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED}:
        return
    attempt(email, lambda: _message(email), again=deliver_email)
