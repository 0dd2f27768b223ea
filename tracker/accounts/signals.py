"""What happens at sign-in, connected in TrackerConfig.ready(): the idle spell for the
person's role, and danger signs sent while signed out are filed."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from tracker.access import role_setup
from tracker.models import User

IDLE_SPELL = "idle_spell"


LAST_SEEN = "last_seen"


def expire_idle_session_by_role(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """The session ends after the idle spell of the person's role (access.ROLES).
    IdleSessionMiddleware restarts the spell as they go on."""
    if request is None or not hasattr(request, "session"):
        return
    spell = role_setup(user).idle_seconds
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
