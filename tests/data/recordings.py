"""The activity files the tests upload (tests/data/activity_files/, sources in its README;
the three the demo imports are read from the demo's own copies in tracker/demo/files/), and
the same recordings moved to another day: a real file's dates are years old, and the log
form accepts only the last seven days."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

FILES = Path(__file__).parent / "activity_files"
DEMO_FILES = Path(__file__).parents[2] / "tracker" / "demo" / "files"
# An ISO 8601 moment as GPX and TCX write them: 2020-06-01T14:52:40.000Z
MOMENT = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z")


def data(name: str) -> bytes:
    """A recording's bytes: the tests' own, or one of the demo's (kept once, there)."""
    path = FILES / name
    return (path if path.exists() else DEMO_FILES / name).read_bytes()


def upload(name: str, content: bytes | None = None, *, as_name: str | None = None):
    """The file as a browser sends it."""
    return SimpleUploadedFile(as_name or name, data(name) if content is None else content)


def moved(name: str, first: dt.datetime) -> bytes:
    """A GPX or TCX file with every moment moved by the same amount, so that its earliest
    moment is `first` (UTC): the same recording, on another day."""
    content = data(name)
    start = min(
        dt.datetime.fromisoformat(match.group(1).decode() + "+00:00")
        for match in MOMENT.finditer(content)
    )
    offset = first - start

    def shift(match: re.Match) -> bytes:
        moment = dt.datetime.fromisoformat(match.group(1).decode() + "+00:00") + offset
        return moment.strftime("%Y-%m-%dT%H:%M:%S").encode() + (match.group(2) or b"") + b"Z"

    return MOMENT.sub(shift, content)
