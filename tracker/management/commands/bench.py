"""`manage.py bench`: the key pages timed against the bench clinic (tracker/bench/)."""

from __future__ import annotations

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.bench.measure import (
    DEFAULT_REPEAT,
    DEFAULT_WARMUP,
    PAGE_NAMES,
    BenchError,
    markdown,
    measure,
)


class Command(BaseCommand):
    help = (
        "Time the key pages against the clinic `manage.py bench_seed` made: per page its query "
        "count, median and 95th percentile server time, and its throughput against a bare view "
        "through the same middleware, as a Markdown table (or JSON). Pages: "
        + ", ".join(PAGE_NAMES)
        + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pages",
            default="",
            help="Comma-separated page names (default: all), such as caseload,history.",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=DEFAULT_REPEAT,
            help=f"Timed requests per page (default {DEFAULT_REPEAT}).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=DEFAULT_WARMUP,
            help=f"Untimed requests before them (default {DEFAULT_WARMUP}).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, pages: str, repeat: int, warmup: int, json: bool, **options) -> None:
        names = [name.strip() for name in pages.split(",") if name.strip()] or None
        unknown = sorted(set(names or []) - set(PAGE_NAMES))
        if unknown:
            raise CommandError(
                f"No such page: {', '.join(unknown)}. Pages: {', '.join(PAGE_NAMES)}."
            )
        if repeat < 1 or warmup < 0:
            raise CommandError("--repeat must be 1 or more and --warmup 0 or more.")
        try:
            clinic, timings = measure(pages=names, repeat=repeat, warmup=warmup)
        except BenchError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(_json(clinic, timings))
        else:
            self.stdout.write(markdown(clinic, timings, repeat=repeat))


def _json(clinic, timings) -> str:
    rows = [{**asdict(t), "queries": t.queries} for t in timings]
    return json.dumps({"clinic": clinic, "pages": rows}, indent=2)
