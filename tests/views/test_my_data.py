"""A patient's own data: the page, and the downloads a spreadsheet user opens."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.factories import SessionLogFactory, make_active_plan
from tracker.domain.logbook import report_danger
from tracker.models import Alert, AlertKind, AuditEvent, Measurement, MeasurementKind, Site
from tracker.queries.export import spreadsheet_cell

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def raw_lines(response) -> list[str]:
    return response.content.decode().splitlines()


# Cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("", ""),
        (None, None),
        (12, 12),
        (-3, -3),
        ("-3.5", "-3.5"),
        ("2026-12-01", "2026-12-01"),
        ("walked well", "walked well"),
        ('=HYPERLINK("evil")', '\'=HYPERLINK("evil")'),
        ("+44 20 7946 0000 call", "'+44 20 7946 0000 call"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_only_text_that_starts_like_a_formula_is_neutralised(value, written):
    assert spreadsheet_cell(value) == written


def test_empty_cells_in_the_csv_stay_empty(patient_client, patient):
    SessionLogFactory(plan=make_active_plan(patient), minutes=25, notes="")

    sheet = patient_client.get("/my-data/sessions.csv")

    row = rows(sheet)[0]
    assert (row["start_time"], row["distance_m"], row["symptoms"], row["notes"]) == ("", "", "", "")
    assert "'" not in raw_lines(sheet)[1]


def test_a_negative_result_stays_a_number_in_the_csv(patient_client, patient, physio):
    Measurement.objects.create(
        patient=patient,
        kind=MeasurementKind.CIRCUMFERENCE,
        measured_on=dt.date(2026, 11, 3),
        site=Site.THIGH,
        affected_cm=Decimal("48.5"),
        unaffected_cm=Decimal("52.0"),
        notes="-2 cm since last time",
        recorded_by=physio,
    )

    row = rows(patient_client.get("/my-data/measurements.csv"))[0]

    assert (row["date"], row["affected_cm"], row["notes"]) == (
        "2026-11-03",
        "48.5",
        "'-2 cm since last time",
    )


# What the downloads hold -------------------------------------------------------------------


@pytest.fixture
def handled_record(patient, physio, physio_client):
    """A danger report, its alert acknowledged with a note, an open pain alert, a measurement
    with a note, and the physiotherapist having opened the record."""
    with time_machine.travel(NOW, tick=False):
        plan = make_active_plan(patient)
        report = report_danger(patient=patient, signs=["vision"], notes="Blurred left eye")
        danger = Alert.objects.get(danger_report=report)
        danger.acknowledged_at = timezone.now()
        danger.acknowledged_by = physio
        danger.acknowledgement_note = "Called her; she went to the eye clinic."
        danger.save()
        Alert.objects.create(
            patient=patient,
            kind=AlertKind.PAIN,
            message="Pain rose by 3 points during a session.",
            session=SessionLogFactory(plan=plan),
        )
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.GRIP,
            measured_on=dt.date(2026, 12, 1),
            value=Decimal("31.5"),
            notes="Measured after a rest; right hand.",
            recorded_by=physio,
        )
        physio_client.get(f"/patients/{patient.pk}/", REMOTE_ADDR="10.1.2.3")
    return report


def test_everything_download_holds_danger_reports_alerts_notes_and_who_opened(
    patient_client, handled_record
):
    everything = json.loads(patient_client.get("/my-data/all.json").content)

    assert sorted(everything) == [
        "access",
        "alerts",
        "comments",
        "danger_reports",
        "measurements",
        "plans",
        "sessions",
    ]
    assert [(d["signs"], d["notes"]) for d in everything["danger_reports"]] == [
        ("Eye pain with blurred vision, or sudden loss of sight", "Blurred left eye")
    ]
    assert [(a["kind"], a["handled_by"], a["note"]) for a in everything["alerts"]] == [
        ("Danger sign", "Maya Lindqvist", "Called her; she went to the eye clinic."),
        ("Pain", None, None),
    ]
    assert [a["status"] for a in everything["alerts"]] == ["acknowledged", "open"]
    assert [m["notes"] for m in everything["measurements"]] == [
        "Measured after a rest; right hand."
    ]
    assert [(e["who"], e["role"], e["action"], e["what"]) for e in everything["access"]] == [
        ("Maya Lindqvist", "physiotherapist", "read", "record")
    ]


@pytest.mark.parametrize("table", ["danger_reports", "alerts", "access"])
def test_each_new_table_downloads_as_a_spreadsheet(patient_client, handled_record, table):
    sheet = patient_client.get(f"/my-data/{table}.csv")

    assert sheet.status_code == 200
    assert sheet["Content-Disposition"].startswith(f'attachment; filename="my-{table}-')
    assert len(rows(sheet)) >= 1


def test_the_page_lists_danger_reports_alerts_and_measurement_notes(patient_client, handled_record):
    page = patient_client.get("/my-data/").text

    assert "Eye pain with blurred vision, or sudden loss of sight" in page
    assert "Blurred left eye" in page
    assert "Acknowledged by Maya Lindqvist" in page
    assert "Called her; she went to the eye clinic." in page
    assert "Pain rose by 3 points during a session." in page
    assert "Still open" in page
    assert "Measured after a rest; right hand." in page
    assert "Maya Lindqvist</strong> (physiotherapist) read your record" in page
    assert "Your danger reports as a spreadsheet (CSV)" in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_query_count_does_not_grow(
    patient_client, patient, physio, django_assert_num_queries, count
):
    plan = make_active_plan(patient)
    for i in range(count):
        report = report_danger(patient=patient, signs=["vision"], request_key=uuid.uuid4())
        alert = Alert.objects.get(danger_report=report)
        alert.acknowledged_at, alert.acknowledged_by = timezone.now(), physio
        alert.save()
        Alert.objects.create(
            patient=patient,
            kind=AlertKind.PAIN,
            message="Pain",
            session=SessionLogFactory(plan=plan),
        )
        Measurement.objects.create(
            patient=patient,
            kind=MeasurementKind.GRIP,
            measured_on=dt.date(2026, 11, 1) + dt.timedelta(days=i),
            value=Decimal(30 + i),
            notes=f"note {i}",
            recorded_by=physio,
        )
        AuditEvent.objects.create(
            actor=physio,
            actor_name="Maya Lindqvist",
            actor_role="physiotherapist",
            patient=patient,
            action="read",
            what="record",
            path="/",
        )

    # session, user, the danger reports, the alerts, the measurement notes, the trail's count
    # and its page, a request to close the account.
    with django_assert_num_queries(8):
        response = patient_client.get("/my-data/")

    assert response.status_code == 200


# Measurement dates -------------------------------------------------------------------------


def measurement(**fields) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "kind": "circumference",
        "measured_on": "2026-11-30",
        "site": "thigh",
        "affected_cm": "48.5",
        "unaffected_cm": "52.0",
        "value": "",
        "notes": "",
    }
    data.update(fields)
    return data


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "The date cannot be before 1900."),
        ("1899-12-31", "The date cannot be before 1900."),
        ("1969-04-30", "The date cannot be before the date of birth, 1 May 1970."),
        ("2026-12-03", "The date cannot be in the future."),
    ],
)
def test_implausible_measurement_dates_are_refused_with_the_values_kept(
    physio_client, patient, day, message
):
    response = physio_client.post(
        f"/patients/{patient.pk}/measurements/", measurement(measured_on=day, notes="Left thigh")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["measured_on"] == [message]
    assert response.context["form"]["notes"].value() == "Left thigh"
    assert Measurement.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_patient_is_told_of_their_own_date_of_birth(patient_client):
    response = patient_client.post("/progress/measurements/", measurement(measured_on="1960-01-01"))

    assert response.context["form"].errors["measured_on"] == [
        "The date cannot be before your date of birth, 1 May 1970."
    ]


@time_machine.travel(NOW, tick=False)
def test_a_measurement_today_is_accepted(physio_client, patient):
    physio_client.post(
        f"/patients/{patient.pk}/measurements/", measurement(measured_on="2026-12-02")
    )

    assert Measurement.objects.get().measured_on == dt.date(2026, 12, 2)


# Measurement notes shown -------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_measurement_notes_are_shown_to_the_clinician_and_the_patient(
    physio_client, patient_client, patient, physio
):
    Measurement.objects.create(
        patient=patient,
        kind=MeasurementKind.CIRCUMFERENCE,
        measured_on=dt.date(2026, 11, 3),
        site=Site.THIGH,
        affected_cm=Decimal("48.5"),
        unaffected_cm=Decimal("52.0"),
        notes="Measured 15 cm above the kneecap, standing.",
        recorded_by=physio,
    )

    clinician = physio_client.get(f"/patients/{patient.pk}/progress/").text
    own = patient_client.get("/progress/").text

    for page in (clinician, own):
        assert "Measured 15 cm above the kneecap, standing." in page


# Every table downloads with its header; JSON carries numbers and null -----------------------


@pytest.mark.parametrize(
    ("table", "header"),
    [
        ("danger_reports", "reported,signs,notes"),
        ("alerts", "opened,kind,message,session,status,handled_by,handled_at,note"),
        ("comments", "date,from,about,text"),
    ],
)
def test_an_empty_table_downloads_with_its_header_row(patient_client, table, header):
    sheet = patient_client.get(f"/my-data/{table}.csv")

    assert raw_lines(sheet) == [header]


def test_the_next_morning_pain_is_in_both_downloads(patient_client, patient):
    SessionLogFactory(plan=make_active_plan(patient), pain_after=2, pain_next_morning=4)

    row = rows(patient_client.get("/my-data/sessions.csv"))[0]
    everything = json.loads(patient_client.get("/my-data/all.json").content)

    assert (row["pain_after"], row["pain_next_morning"]) == ("2", "4")
    assert everything["sessions"][0]["pain_next_morning"] == 4


@time_machine.travel(NOW, tick=False)
def test_json_carries_numbers_as_numbers_and_nothing_as_null(patient_client, patient, physio):
    SessionLogFactory(plan=make_active_plan(patient), minutes=25, notes="")
    Measurement.objects.create(
        patient=patient,
        kind=MeasurementKind.SIX_MINUTE_WALK,
        measured_on=dt.date(2026, 12, 1),
        value=Decimal("402.0"),
        recorded_by=physio,
    )

    everything = json.loads(patient_client.get("/my-data/all.json").content)
    sheet = rows(patient_client.get("/my-data/measurements.csv"))

    session, walk = everything["sessions"][0], everything["measurements"][0]
    assert (session["minutes"], session["start_time"], session["distance_m"]) == (25, None, None)
    assert (session["pain_next_morning"], session["notes"]) == (None, None)
    assert (walk["result"], walk["site"], walk["affected_cm"], walk["unit"]) == (
        402,
        None,
        None,
        "m",
    )
    assert isinstance(walk["result"], int | float)
    assert (sheet[0]["result"], sheet[0]["site"], sheet[0]["affected_cm"]) == ("402.0", "", "")


@time_machine.travel(NOW, tick=False)
def test_a_measurement_the_physio_adds_reads_added_not_changed(
    physio_client, patient_client, patient
):
    physio_client.post(f"/patients/{patient.pk}/measurements/", measurement())

    page = patient_client.get("/my-data/")

    assert "Maya Lindqvist</strong> (physiotherapist) added your measurement" in page.text
    assert "changed your measurement" not in page.text
