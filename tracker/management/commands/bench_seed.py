"""`manage.py bench_seed`: an empty database filled with the bench clinic (tracker/bench/)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.bench import seed as bench
from tracker.bench.seed import DEFAULT_PATIENTS, DEFAULT_SEED, Scale, SeedRefused


class Command(BaseCommand):
    help = (
        "Migrate an empty database and fill it with a bench clinic for `manage.py bench`: "
        f"{DEFAULT_PATIENTS:,} patients by default, 200 physiotherapists (one with 500 patients), "
        "about 2 million sessions, 116,000 alerts and 2.3 million audit events, all in proportion "
        "to --patients. Use PostgreSQL; a database with other accounts is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients",
            type=int,
            default=DEFAULT_PATIENTS,
            help=f"How many patients (default {DEFAULT_PATIENTS:,}); the rest follows.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the random generator (default {DEFAULT_SEED}): same seed, same clinic.",
        )

    def handle(self, *args, patients: int, seed: int, **options) -> None:
        if patients < 1:
            raise CommandError("--patients must be 1 or more.")
        call_command("migrate", interactive=False, verbosity=0)
        scale = Scale(patients)
        self.stdout.write(
            f"Seeding {scale.patients:,} patients, {scale.physios:,} physiotherapists "
            f"(the busiest with {scale.busy_caseload:,} patients)..."
        )
        try:
            seeded = bench.seed(patients=patients, random_seed=seed)
        except SeedRefused as refusal:
            raise CommandError(f"Refusing to seed: {refusal}.") from None
        if seeded is None:
            self.stdout.write("The bench clinic is already in place; nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(seeded.summary()))
