"""Reading a GPX, TCX or FIT file into what a session needs: start, moving time, distance,
average and highest heart rate, and the sport.

The device's own summary comes first (a FIT file's session totals, a TCX file's lap totals);
only GPX, which has none, is worked out from its points. A file without GPS (a pool swim, a
treadmill) is read all the same: it simply has no distance, or the distance the device counted.
Every way a file can be wrong ends in `Unreadable`, with words for the patient."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import fitdecode
import gpxpy
from tcxreader.tcxreader import TCXReader

from tracker.integrations.activity_files.sports import catalogue_name
from tracker.models import FileFormat
from tracker.models.sessions import HEART_RATE_MAX, HEART_RATE_MIN

TCX_NS = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
FIT_SIGNATURE = b".FIT"
DAMAGED = "This file could not be read; it may be damaged. Export it again from your watch or app."


class Unreadable(ValueError):
    """The file cannot be imported; the message says why, in plain words."""


@dataclass(frozen=True)
class Reading:
    format: str
    started_at: dt.datetime
    moving_seconds: int
    distance_m: int | None
    average_heart_rate: int | None
    highest_heart_rate: int | None
    sport: str

    def moved_to(self, started_at: dt.datetime) -> Reading:
        """The same recording, started at another moment (the demo's old files)."""
        return replace(self, started_at=started_at)


def format_of(name: str) -> str:
    """The format a file's name claims, or Unreadable for any other suffix."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in FileFormat.values:
        raise Unreadable("Only GPX, TCX and FIT files can be imported. Export the activity as one.")
    return suffix


def read_activity(data: bytes, name: str) -> Reading:
    """Read one uploaded file. Its name's suffix says what it should be; its content must be
    that, or it is refused as mislabelled."""
    claimed = format_of(name)
    if not data:
        raise Unreadable("This file is empty.")
    actual = _sniff(data)
    if actual != claimed:
        label = claimed.upper()
        raise Unreadable(f"This file ends in .{claimed} but is not a {label} file.")
    reader = {FileFormat.GPX: _read_gpx, FileFormat.TCX: _read_tcx, FileFormat.FIT: _read_fit}
    try:
        reading = reader[actual](data)
    except Unreadable:
        raise
    except Exception as error:  # every parser has its own errors; to a patient all are damage
        raise Unreadable(DAMAGED) from error
    if reading.started_at is None:
        raise Unreadable("This file has no start time, so it cannot become a session.")
    if reading.moving_seconds < 1:
        raise Unreadable("This file records no time moving, so it cannot become a session.")
    return reading


def _sniff(data: bytes) -> str | None:
    """What the content is, whatever the name says: FIT by its signature, GPX and TCX by
    their XML root."""
    if len(data) >= 12 and data[8:12] == FIT_SIGNATURE:
        return FileFormat.FIT
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return None
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        return None  # no activity file needs one; entities are how XML bombs work
    if b"<gpx" in head:
        return FileFormat.GPX
    if b"<trainingcenterdatabase" in head:
        return FileFormat.TCX
    return None


def _heart_rate(value: float | None) -> int | None:
    """Beats per minute as a whole number, or None where the strap said nothing sensible."""
    if value is None:
        return None
    bpm = round(value)
    return bpm if HEART_RATE_MIN <= bpm <= HEART_RATE_MAX else None


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A moment in UTC. GPX and TCX times are UTC by their schemas, so one written without a
    zone is read as UTC, never in the server's own zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _metres(value: float | None) -> int | None:
    """Whole metres, or None for no distance (a treadmill, or a watch without GPS)."""
    return round(value) if value and value >= 1 else None


def _read_gpx(data: bytes) -> Reading:
    gpx = gpxpy.parse(data.decode("utf-8-sig"))
    start = gpx.get_time_bounds().start_time
    moving = gpx.get_moving_data()
    rates = [
        float(element.text)
        for track in gpx.tracks
        for segment in track.segments
        for point in segment.points
        for extension in point.extensions
        for element in extension.iter()
        if element.tag.rsplit("}", 1)[-1] == "hr" and element.text
    ]
    return Reading(
        format=FileFormat.GPX,
        started_at=_utc(start),
        moving_seconds=round(moving.moving_time) if moving else 0,
        distance_m=_metres(moving.moving_distance if moving else None),
        average_heart_rate=_heart_rate(sum(rates) / len(rates)) if rates else None,
        highest_heart_rate=_heart_rate(max(rates)) if rates else None,
        sport=next((t.type for t in gpx.tracks if t.type), "") or "",
    )


def _lap_value(lap: ET.Element, path: str) -> float | None:
    element = lap.find(path)
    return float(element.text) if element is not None and element.text else None


def _read_tcx(data: bytes) -> Reading:
    # tcxreader reads the sport and the points; the lap totals the device wrote are read here,
    # since tcxreader works its own out from the points.
    exercise = TCXReader().read(io.BytesIO(data), only_gps=False)
    root = ET.fromstring(data)
    laps = root.findall(f"{TCX_NS}Activities/{TCX_NS}Activity/{TCX_NS}Lap")
    if not laps:
        raise Unreadable("This TCX file holds no activity.")
    seconds = [_lap_value(lap, f"{TCX_NS}TotalTimeSeconds") or 0.0 for lap in laps]
    distances = [_lap_value(lap, f"{TCX_NS}DistanceMeters") or 0.0 for lap in laps]
    averages = [_lap_value(lap, f"{TCX_NS}AverageHeartRateBpm/{TCX_NS}Value") for lap in laps]
    highest = [_lap_value(lap, f"{TCX_NS}MaximumHeartRateBpm/{TCX_NS}Value") for lap in laps]
    timed = [(rate, secs) for rate, secs in zip(averages, seconds, strict=True) if rate and secs]
    average = (
        sum(rate * secs for rate, secs in timed) / sum(secs for _, secs in timed) if timed else None
    )
    start = laps[0].get("StartTime")
    started_at = dt.datetime.fromisoformat(start) if start else exercise.start_time
    return Reading(
        format=FileFormat.TCX,
        started_at=_utc(started_at),
        moving_seconds=round(sum(seconds)),
        distance_m=_metres(sum(distances)),
        average_heart_rate=_heart_rate(average if average is not None else exercise.hr_avg),
        highest_heart_rate=_heart_rate(
            max((h for h in highest if h), default=None) or exercise.hr_max
        ),
        sport=exercise.activity_type or "",
    )


def _read_fit(data: bytes) -> Reading:
    sessions = []
    with fitdecode.FitReader(
        io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE, keep_raw_chunks=False
    ) as fit:
        for frame in fit:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "session":
                sessions.append(frame)
    if not sessions:
        raise Unreadable("This FIT file holds no activity summary. Export the activity itself.")
    # A multisport file has a session per sport: the longest is the one to log.
    session = max(sessions, key=lambda s: _field(s, "total_timer_time") or 0)
    start = _field(session, "start_time")
    # The sub-sport is the finer name ("treadmill", "lap_swimming") where the catalogue knows it.
    named = [
        value
        for value in (_field(session, "sub_sport"), _field(session, "sport"))
        if isinstance(value, str)
    ]
    sport = next((name for name in named if catalogue_name(name)), named[-1] if named else "")
    return Reading(
        format=FileFormat.FIT,
        started_at=_utc(start) if isinstance(start, dt.datetime) else None,
        moving_seconds=round(_field(session, "total_timer_time") or 0),
        distance_m=_metres(_field(session, "total_distance")),
        average_heart_rate=_heart_rate(_field(session, "avg_heart_rate")),
        highest_heart_rate=_heart_rate(_field(session, "max_heart_rate")),
        sport=sport,
    )


def _field(message: fitdecode.FitDataMessage, name: str):
    return message.get_value(name, fallback=None)
