"""What happens at sign-in, connected in TrackerConfig.ready(): the idle spell for the
person's role, and danger signs sent while signed out are filed."""

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
