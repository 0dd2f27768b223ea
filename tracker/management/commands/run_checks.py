"""The daily checks, run from cron: tracker/rules/checks.py holds the rules,
tracker/domain/checks.py runs them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tracker.domain.checks import run_checks
from tracker.rules.thresholds import SILENCE_DAYS

CRON_LINE = "15 6 * * * cd /srv/rehab && uv run python manage.py run_checks"


class Command(BaseCommand):
    help = (
        "Open the daily alerts for every patient with an active plan: no session logged for "
        f"N days (default {SILENCE_DAYS}), adherence under target in the plan's last completed "
        "week, and a clearance running out within 14 days or already expired. Safe to run "
        "more than once a day: an alert already open is not opened again. "
        "Run it every morning from cron, with the same environment as the web server "
        f"(SECRET_KEY, DATABASE_URL, TIME_ZONE), for example: {CRON_LINE}"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--silence-days",
            type=int,
            default=SILENCE_DAYS,
            help=f"Days without a session before an alert opens (default {SILENCE_DAYS}).",
        )

    def handle(self, *args, silence_days: int, **options) -> None:
        if silence_days < 1:
            raise CommandError("--silence-days must be 1 or more.")
        result = run_checks(today=timezone.localdate(), silence_days=silence_days)
        self.stdout.write(result.summary())
