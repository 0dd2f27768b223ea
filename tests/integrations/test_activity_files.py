"""Reading GPX, TCX and FIT files: exact values from real recordings, and every way a file is
refused, in words."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.data.recordings import data
from tracker.integrations.activity_files.read import DAMAGED, Reading, Unreadable, read_activity
from tracker.integrations.activity_files.sports import catalogue_name

UTC = dt.UTC


def read(name: str, *, as_name: str | None = None) -> Reading:
    return read_activity(data(name), as_name or name)


def test_gpx_walk_is_worked_out_from_its_points():
    assert read("walk-cerknicko-jezero.gpx") == Reading(
        format="gpx",
        started_at=dt.datetime(2010, 8, 5, 14, 23, 59, tzinfo=UTC),
        moving_seconds=2425,
        distance_m=4415,
        average_heart_rate=None,
        highest_heart_rate=None,
        sport="",
    )


def test_gpx_heart_rate_comes_from_the_garmin_extension():
    assert read("ride-5039744860.gpx") == Reading(
        format="gpx",
        started_at=dt.datetime(2020, 6, 1, 14, 52, 40, tzinfo=UTC),
        moving_seconds=126,
        distance_m=900,
        average_heart_rate=150,
        highest_heart_rate=156,
        sport="cycling",
    )


def test_tcx_run_takes_the_lap_totals():
    assert read("run-3173437224-thinned.tcx") == Reading(
        format="tcx",
        started_at=dt.datetime(2019, 1, 29, 10, 25, 13, tzinfo=UTC),
        moving_seconds=3510,
        distance_m=4509,
        average_heart_rate=130,
        highest_heart_rate=168,
        sport="Running",
    )


def test_tcx_ride_sums_its_five_laps():
    assert read("ride-5039744860.tcx") == Reading(
        format="tcx",
        started_at=dt.datetime(2020, 6, 1, 14, 52, 40, tzinfo=UTC),
        moving_seconds=126,
        distance_m=668,
        average_heart_rate=151,
        highest_heart_rate=156,
        sport="Biking",
    )


def test_fit_takes_the_session_totals():
    assert read("ride-2020-06-01.fit") == Reading(
        format="fit",
        started_at=dt.datetime(2020, 6, 1, 14, 52, 40, tzinfo=UTC),
        moving_seconds=94,
        distance_m=668,
        average_heart_rate=150,
        highest_heart_rate=156,
        sport="cycling",
    )


def test_fit_without_gps_has_no_distance_and_a_multisport_file_logs_its_longest_part():
    assert read("multisport-run-6471559601.fit") == Reading(
        format="fit",
        started_at=dt.datetime(2021, 3, 22, 10, 48, 16, tzinfo=UTC),
        moving_seconds=25,
        distance_m=None,
        average_heart_rate=54,
        highest_heart_rate=63,
        sport="running",
    )


def test_fit_indoor_ride_without_gps_is_read():
    reading = read("indoor-ride-6449921903.fit")
    assert (reading.moving_seconds, reading.distance_m, reading.sport) == (196, None, "cycling")


@pytest.mark.parametrize(
    ("sport", "activity"),
    [
        ("walking", "Walking"),
        ("hiking", "Walking"),
        ("Running", "Jogging"),
        ("treadmill", "Jogging"),
        ("lap_swimming", "Swimming"),
        ("9", "Jogging"),
        ("Biking", None),
        ("cycling", None),
        ("", None),
    ],
)
def test_sport_names_of_every_format_match_the_catalogue(sport, activity):
    assert catalogue_name(sport) == activity


@pytest.mark.parametrize(
    ("name", "as_name", "reason"),
    [
        ("empty.gpx", None, "This file is empty."),
        ("truncated.fit", None, DAMAGED),
        ("truncated.tcx", None, DAMAGED),
        ("not-really.gpx", None, "This file ends in .gpx but is not a GPX file."),
        ("ride-5039744860.tcx", "ride.gpx", "This file ends in .gpx but is not a GPX file."),
        ("walk-cerknicko-jezero.gpx", "walk.fit", "This file ends in .fit but is not a FIT file."),
        ("ride-2020-06-01.fit", "ride.tcx", "This file ends in .tcx but is not a TCX file."),
        (
            "track.csv",
            None,
            "Only GPX, TCX and FIT files can be imported. Export the activity as one.",
        ),
        (
            "walk-without-times.gpx",
            None,
            "This file has no start time, so it cannot become a session.",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_words(name, as_name, reason):
    with pytest.raises(Unreadable) as refused:
        read(name, as_name=as_name)
    assert str(refused.value) == reason


def test_xml_with_an_entity_declaration_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>'
    with pytest.raises(Unreadable) as refused:
        read_activity(bomb, "bomb.gpx")
    assert str(refused.value) == "This file ends in .gpx but is not a GPX file."


@pytest.fixture
def server_in_tokyo(monkeypatch):
    """The server's own clock set to a zone far from UTC, as some hosts are."""
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("name", "started_at"),
    [
        ("walk-cerknicko-jezero.gpx", dt.datetime(2010, 8, 5, 14, 23, 59, tzinfo=UTC)),
        ("run-3173437224-thinned.tcx", None),
    ],
)
def test_times_without_a_zone_are_read_as_utc_whatever_the_server_s_zone(
    server_in_tokyo, name, started_at
):
    # GPX and TCX say their times are UTC; a device that leaves off the "Z" still means UTC.
    # (For TCX, the lap's StartTime, which gives the start: tcxreader refuses naive points.)
    with_zone = read(name).started_at
    naive = data(name).replace(b'Z"', b'"') if name.endswith(".tcx") else data(name)
    without = read_activity(naive.replace(b"Z<", b"<") if name.endswith(".gpx") else naive, name)

    assert without.started_at == with_zone
    assert started_at is None or with_zone == started_at
