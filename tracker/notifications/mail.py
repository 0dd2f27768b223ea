"""E-mails from templates: each one `templates/tracker/emails/<name>_subject.txt`, `.txt`
and `.html`."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string


def build(name: str, context: dict, *, to: list[str]) -> EmailMultiAlternatives:
    subject = render_to_string(f"tracker/emails/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        body=render_to_string(f"tracker/emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.attach_alternative(
        render_to_string(f"tracker/emails/{name}.html", context), "text/html"
    )
    return message


def send(message: EmailMultiAlternatives) -> None:
    """Hand the message to the mail server; raises whatever the server or network did."""
    mailers.default.send_messages([message])
