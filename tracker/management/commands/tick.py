"""The one cron line: enqueue the scheduled work that is due (tracker/notifications/schedule.py);
the worker, `manage.py db_worker`, runs it."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.notifications.schedule import tick

CRON_LINE = "*/5 * * * * cd /srv/rehab && uv run python manage.py tick"


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled work that is due now, each piece once per slot however often "
        "this runs or on how many machines: the daily checks (after CHECKS_HOUR), the daily "
        "digest (after DIGEST_HOUR), the weekly caseload digest (Mondays after DIGEST_HOUR) and "
        "the patients' reminders (every run). The worker, manage.py db_worker, runs them. Run "
        "it every five minutes from cron, with the same environment as the web server, for "
        f"example: {CRON_LINE}"
    )

    def handle(self, *args, **options) -> None:
        started = tick(timezone.now())
        self.stdout.write(f"Started: {', '.join(started)}." if started else "Nothing due.")
