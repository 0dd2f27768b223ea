from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.demo.clinic import DEFAULT_PASSWORD, PEOPLE, DemoRefused, load_demo
from tracker.demo.two_factor import authenticator_secrets


class Command(BaseCommand):
    help = (
        "Migrate the database, fill it with a demo clinic, print the accounts and serve the app "
        "(default http://127.0.0.1:8000). Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="Address and port to serve on, as for runserver (default 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Only fill the database; do not serve."
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default {DEFAULT_PASSWORD!r}).",
        )

    def handle(self, *args, addrport: str, no_serve: bool, password: str, **options) -> None:
        if not password:
            raise CommandError("--password cannot be empty.")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            created = load_demo(password=password)
        except DemoRefused as refusal:
            raise CommandError(f"Refusing to add demo data: {refusal}.") from None

        if created:
            self.stdout.write(self.style.SUCCESS("Demo clinic created."))
            shown_password = password
        else:
            self.stdout.write("Demo clinic already in place; nothing changed.")
            shown_password = f"as when the demo was created (default {DEFAULT_PASSWORD!r})"
        self.stdout.write("")
        self.stdout.write("Accounts (all share one password):")
        secrets = authenticator_secrets()
        for person in PEOPLE:
            secret = (
                f"  authenticator secret {secrets[person.username]}"
                if person.username in secrets
                else ""
            )
            self.stdout.write(
                f"  {person.username:<10} {person.role.label:<16} "
                f"{person.first_name} {person.last_name}{secret}"
            )
        self.stdout.write(f"Password: {shown_password}")
        self.stdout.write(
            "Staff sign in with a code too: add the authenticator secret (base32, time-based, "
            "6 digits, 30 seconds) to an authenticator app, or compute the code from it."
        )
        self.stdout.write("")

        if not no_serve:
            serve_links_here(addrport)
            self.stdout.write(
                "A task worker runs beside the server: the e-mails it sends (danger alerts, "
                "invitations, reminders, digests) are printed here, their links pointing to "
                f"{settings.SITE_URL}. `manage.py tick` (cron's job in production) queues the "
                "reminders and digests that are due."
            )
            worker = start_worker()
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)


def site_url_for(addrport: str) -> str:
    """The address a browser on this machine reaches `runserver addrport` at."""
    host, _, port = addrport.rpartition(":")
    if not host:  # a port alone, as runserver takes it
        host, port = "127.0.0.1", addrport
    if host in {"0.0.0.0", "[::]"}:
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def serve_links_here(addrport: str) -> None:
    """Unless SITE_URL is set, links in e-mails and the calendar address point to the address
    the demo serves on, in this process and in the worker it starts."""
    if os.environ.get("SITE_URL"):
        return
    os.environ["SITE_URL"] = settings.SITE_URL = site_url_for(addrport)


def start_worker() -> subprocess.Popen:
    """`manage.py db_worker` in its own process, as production runs it beside the web server,
    with this process's settings; its output (the console's e-mails) comes to this terminal."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    return subprocess.Popen(
        [sys.executable, str(manage), "db_worker", "--no-reload", "--interval", "1"]
    )
