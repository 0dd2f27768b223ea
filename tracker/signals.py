"""Signal receivers, connected in TrackerConfig.ready()."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tracker.models import User

IDLE_SPELL = "idle_spell"
LAST_SEEN = "last_seen"


def expire_idle_session_by_role(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """A clinician's or admin's session opens many patients' records, so it ends after a shorter
    idle spell than a patient's own. IdleSessionMiddleware restarts the spell as they go on."""
    if request is None or not hasattr(request, "session"):
        return
    spell = (
        settings.SESSION_IDLE_SECONDS_PATIENT
        if user.is_patient
        else settings.SESSION_IDLE_SECONDS_CLINICIAN
    )
    request.session.set_expiry(spell)
    request.session[IDLE_SPELL] = spell
    request.session[LAST_SEEN] = int(time.time())


def file_danger_signs_sent_signed_out(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """Danger signs sent after the sign-in had expired are filed as soon as the patient is
    back, whichever page they signed in from."""
    from tracker.views.danger import file_pending_report

    file_pending_report(request, user)


def sign_in_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username django-axes counts failed sign-ins against, cut to the longest a username
    can be: an overlong one typed at the sign-in page must not break the count."""
    source = credentials if credentials else getattr(request, "POST", {})
    limit = User._meta.get_field("username").max_length
    return str(source.get("username", "") or "")[:limit]
