from __future__ import annotations

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Rehab tracker"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tracker.accounts.signals import (
            expire_idle_session_by_role,
            file_danger_signs_sent_signed_out,
        )
        from tracker.domain.attention import connect_receivers

        user_logged_in.connect(expire_idle_session_by_role, dispatch_uid="tracker.session_expiry")
        user_logged_in.connect(
            file_danger_signs_sent_signed_out, dispatch_uid="tracker.pending_danger_report"
        )
        connect_receivers()
        from tracker.accounts.two_factor import mark_sign_in

        user_logged_in.connect(mark_sign_in, dispatch_uid="tracker.two_factor_asked")
