"""The sign-in name that django-axes counts failed attempts against."""

from __future__ import annotations

from django.http import HttpRequest

from tracker.models import User


def sign_in_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username django-axes counts failed sign-ins against, cut to the longest a username
    can be: an overlong one typed at the sign-in page must not break the count."""
    source = credentials if credentials else getattr(request, "POST", {})
    limit = User._meta.get_field("username").max_length
    return str(source.get("username", "") or "")[:limit]
