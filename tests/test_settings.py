"""Settings come from the environment, secure by default, and bad values stop with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.ALLOWED_HOSTS, s.EMERGENCY_NUMBER, s.TIME_ZONE, "
    "s.DATABASES['default']['ENGINE'], s.CSRF_TRUSTED_ORIGINS)"
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "EMERGENCY_NUMBER"}
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "rehab.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_without_secret_key_in_production_stop_with_one_line():
    result = run(["manage.py", "check"])

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set: set SECRET_KEY to a long random string "
        "(or DEBUG=true on a development machine)."
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "DATABASE_URL is not a valid database URL"),
        ("postgres://user@host:notaport/db", "DATABASE_URL is not a valid database URL"),
        ("postgres://localhost", "DATABASE_URL names no database"),
        ("mysql://user@localhost/rehab", "DATABASE_URL must point at PostgreSQL (or SQLite)"),
    ],
)
def test_settings_with_malformed_database_url_stop_with_one_line(url, message):
    result = run(["manage.py", "check"], SECRET_KEY="x" * 50, DATABASE_URL=url)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Configuration error: {message}")
    assert "postgres://user:password@host:5432/name" in lines[0]


def test_settings_debug_is_off_unless_set():
    result = run(["-c", PRINT_SETTINGS], SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_settings_with_invalid_debug_value_stop():
    result = run(["manage.py", "check"], SECRET_KEY="x" * 50, DEBUG="maybe")

    assert result.returncode == 1
    assert result.stderr.strip() == "Configuration error: DEBUG must be true or false, not 'maybe'."


def test_settings_read_hosts_emergency_number_time_zone_and_database_from_environment():
    result = run(
        ["-c", PRINT_SETTINGS],
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="rehab.example.org, www.rehab.example.org",
        CSRF_TRUSTED_ORIGINS="https://rehab.example.org",
        EMERGENCY_NUMBER="911",
        TIME_ZONE="America/Chicago",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/rehab",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False ['rehab.example.org', 'www.rehab.example.org'] 911 America/Chicago "
        "django.db.backends.postgresql ['https://rehab.example.org']"
    )


def test_settings_without_database_url_use_sqlite_tuned_for_a_web_server():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['OPTIONS']['transaction_mode'])"
    )
    result = run(["-c", code], DEBUG="true")

    assert result.returncode == 0, result.stderr
    engine, name, mode = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "var" / "rehab.sqlite3"
    assert mode == "IMMEDIATE"


def test_a_sqlite_database_url_is_tuned_for_a_web_server_too(tmp_path):
    """The demo's server and task worker write at once: without the lock wait an admin adding
    an account met "database is locked"."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.DATABASES['default']['OPTIONS']; print(o['transaction_mode'], o['timeout'])"
    )
    result = run(["-c", code], DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "20"]


@pytest.mark.django_db
def test_sqlite_connection_uses_write_ahead_log(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    assert busy_timeout == 20000


def test_a_postgres_database_url_turns_jit_off():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['OPTIONS'].get('options'))"
    )
    result = run(
        ["-c", code], DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/rehab"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "-c jit=off"


def test_a_postgres_database_url_keeps_its_own_options_beside_jit_off():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "o = s.DATABASES['default']['OPTIONS']; print(o['sslmode'], '|', o['options'])"
    )
    url = "postgres://postgres@127.0.0.1:5432/rehab?sslmode=require&options=-c%20work_mem%3D8MB"
    result = run(["-c", code], DEBUG="true", DATABASE_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "require | -c work_mem=8MB -c jit=off"


def test_a_sqlite_database_url_has_no_jit_option(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print('options' in s.DATABASES['default']['OPTIONS'])"
    )
    result = run(["-c", code], DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.django_db
def test_postgres_connection_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; this run uses " + connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    assert jit == "off"
