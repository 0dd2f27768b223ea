"""The report for the referring physician as a PDF (issue 17, item 3), read back with pypdf:
the patient and the period on every page, page numbers, the clearance it was measured against,
the weekly figures with exact values, the charts as vector drawings; who may download it, and
the audit row; WeasyPrint fetching nothing but the app's own static files."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from tests.conftest import client_for
from tests.factories import ClearanceFactory, PlanFactory, PrescriptionFactory, SessionLogFactory
from tracker.domain.logbook import report_danger
from tracker.integrations.pdf.render import BASE_URL, StaticFilesOnly, pdf_of, static_path
from tracker.models import Alert, AuditAction, AuditEvent, PlanStatus, User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # a Wednesday


def url(patient: User, query: str = "") -> str:
    return f"/patients/{patient.pk}/report.pdf{query}"


def pages_of(response) -> list[str]:
    """The text of each page of the PDF the response carries."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [page.extract_text() for page in reader.pages]


def lines_of(pages: list[str]) -> list[str]:
    return [" ".join(line.split()) for page in pages for line in page.splitlines()]


@pytest.fixture
def cleared(patient, physio):
    """Anna's plan since Monday 9 November: walking 3 times a week from 10 minutes, 10% more
    each week up to 30, on Dr Ines Duarte's clearance of 2 November, valid until 1 March."""
    with time_machine.travel(NOW, tick=False):
        clearance = ClearanceFactory(
            patient=patient,
            recorded_by=physio,
            cleared_on=dt.date(2026, 11, 2),
            valid_until=dt.date(2027, 3, 1),
            max_session_minutes=30,
            max_heart_rate=130,
            restrictions="Flat ground only for now.",
        )
        clearance.activities.set(clearance.activities.model.objects.filter(name="Walking"))
        plan = PlanFactory(
            clearance=clearance,
            status=PlanStatus.ACTIVE,
            starts_on=dt.date(2026, 11, 9),
            title="Walking back after a cast",
        )
        PrescriptionFactory(plan=plan)
    return plan


def log(plan, day: dt.date, minutes: int, effort: int, pain_after: int) -> None:
    SessionLogFactory(
        plan=plan, date=day, minutes=minutes, effort=effort, pain_before=0, pain_after=pain_after
    )


@pytest.fixture
def four_weeks(cleared):
    """Three weeks done and this one begun: 3, 3 and 2 sessions, then 1 on Tuesday."""
    with time_machine.travel(NOW, tick=False):
        for day, minutes, effort, pain in [
            (dt.date(2026, 11, 9), 10, 11, 2),
            (dt.date(2026, 11, 11), 10, 11, 2),
            (dt.date(2026, 11, 13), 10, 11, 2),
            (dt.date(2026, 11, 16), 11, 11, 1),
            (dt.date(2026, 11, 18), 11, 12, 1),
            (dt.date(2026, 11, 20), 12, 13, 2),
            (dt.date(2026, 11, 24), 15, 12, 3),
            (dt.date(2026, 11, 26), 13, 12, 2),
            (dt.date(2026, 12, 1), 11, 12, 1),
        ]:
            log(cleared, day, minutes, effort, pain)
    return cleared


# What the PDF says --------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_every_page_names_the_patient_and_the_period_and_counts_the_pages(
    physio_client, patient, four_weeks
):
    pages = pages_of(physio_client.get(url(patient)))

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "Anna Novak, born 1 May 1970" in text, number
        assert "Progress report, 14 Sep 2026 to 2 Dec 2026" in text, number
        assert f"Page {number} of {len(pages)}" in text, number
    assert "Page 1 of " in pages[0]


@time_machine.travel(NOW, tick=False)
def test_the_report_names_the_clearance_it_was_measured_against(physio_client, patient, four_weeks):
    lines = lines_of(pages_of(physio_client.get(url(patient, "?range=4"))))

    assert (
        "Period: 9 Nov 2026 to 2 Dec 2026 (4 weeks: 3 finished weeks with sessions planned, "
        "and this week, under way)."
    ) in " ".join(lines)
    assert "Plan: Walking back after a cast, since 9 Nov 2026." in lines
    assert "Physician Dr Ines Duarte" in lines
    assert "Registration number GMC 7012345" in lines
    assert "Cleared on 2 November 2026" in lines
    assert "Valid until 1 March 2027" in lines
    assert "Sessions of at most 30 minutes." in lines
    assert "Heart rate no higher than 130 beats a minute." in lines
    assert "No high-impact exercise (no jogging or jumping)." in lines
    assert "Cleared activities: Walking." in lines
    assert "The physician adds: “Flat ground only for now.”" in lines
    assert "Prepared on 2 December 2026 by Maya Lindqvist, physiotherapist." in lines


@time_machine.travel(NOW, tick=False)
def test_the_weekly_figures_are_exact(physio_client, patient, four_weeks):
    lines = lines_of(pages_of(physio_client.get(url(patient, "?range=4"))))

    note = lines.index(
        "Effort and pain are the week's averages over its sessions. "
        "“—”: nothing prescribed or nothing logged."
    )
    # Week 1: 3 sessions of 10 minutes, as prescribed. Week 2: 10% more (11 a session, 33), done
    # 11 + 11 + 12, effort (11 + 12 + 13) / 3, pain (1 + 1 + 2) / 3. Week 3: 12 a session
    # (36), 2 of 3 sessions. This week: held at 36, as last week's adherence was under target.
    assert lines[note - 5 : note] == [
        "pain",  # the end of the table's heading
        "9 Nov 2026 30 30 3 of 3 11 2 2",
        "16 Nov 2026 34 33 3 of 3 12 1.3 2",
        "23 Nov 2026 28 36 2 of 3 12 2.5 3",
        "30 Nov 2026 (so far) 11 36 1 of 3 12 1 1",
    ]
    assert "9 sessions, 103 minutes in all since the first session." in " ".join(lines)
    assert "This week so far, Mon 30 Nov to Sun 6 Dec: 11 of 36 minutes · 1 of 3 sessions" in lines


@time_machine.travel(NOW, tick=False)
def test_the_period_alerts_and_how_they_were_handled(physio_client, patient, physio, four_weeks):
    report = report_danger(patient=patient, signs=["severe_headache"], notes="After the walk")
    alert = Alert.objects.get(danger_report=report)
    alert.acknowledged_by, alert.acknowledged_at = physio, NOW
    alert.acknowledgement_note = "Called; sent to A&E."
    alert.save()

    text = " ".join(lines_of(pages_of(physio_client.get(url(patient, "?range=4")))))

    assert (
        "2 Dec 2026, 10:00, danger sign: A severe headache. Anna added: “After the walk”. "
        "Acknowledged by Maya Lindqvist on 2 Dec 2026, 10:00: “Called; sent to A&E.”"
    ) in text


@time_machine.travel(NOW, tick=False)
def test_the_pdf_and_the_print_view_list_the_alerts_from_one_template(
    physio_client, patient, four_weeks
):
    report_danger(patient=patient, signs=["severe_headache"], notes="")
    include = "tracker/includes/report_alerts.html"

    pdf = physio_client.get(url(patient, "?range=4"))
    page = physio_client.get(f"/patients/{patient.pk}/report/?range=4")

    assert [t.name for t in pdf.templates].count(include) == 1
    assert [t.name for t in page.templates].count(include) == 1
    assert "Since 9 Nov 2026, with how each was handled." in page.text


@time_machine.travel(NOW, tick=False)
def test_a_patient_without_a_plan_gets_a_report_that_says_so(physio_client, patient):
    text = " ".join(lines_of(pages_of(physio_client.get(url(patient)))))

    assert "No plan in this period, so no clearance to measure it against." in text
    assert "No sessions logged in this period yet." in text


@time_machine.travel(NOW, tick=False)
def test_a_range_it_does_not_know_gives_the_usual_12_weeks(physio_client, patient, four_weeks):
    response = physio_client.get(url(patient, "?range=%3Cb%3E52"))

    assert response.status_code == 200
    assert (
        "Period: 14 Sep 2026 to 2 Dec 2026 (12 weeks: 3 finished weeks with sessions planned, "
        "8 with none planned, and this week, under way)."
    ) in " ".join(lines_of(pages_of(response)))


# Charts as vector drawings ------------------------------------------------------------------


def _streams_and_images(reader: PdfReader) -> tuple[bytes, list[str]]:
    """Every drawing instruction of every page, forms included, and the subtype of every
    XObject that is an image."""
    data, images, seen = b"", [], set()

    def walk(resources) -> None:
        nonlocal data
        xobjects = (resources or {}).get("/XObject") or {}
        for ref in xobjects.values():
            key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
            if key in seen:
                continue
            seen.add(key)
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                images.append(str(xobject.get("/Name", "image")))
                continue
            data += xobject.get_data()
            walk(xobject.get("/Resources"))

    for page in reader.pages:
        data += page.get_contents().get_data()
        walk(page.get("/Resources"))
    return data, images


@time_machine.travel(NOW, tick=False)
def test_the_charts_are_vector_drawings_without_any_image(physio_client, patient, four_weeks):
    reader = PdfReader(io.BytesIO(physio_client.get(url(patient)).content))

    drawing, images = _streams_and_images(reader)

    assert images == []
    # The bars as rectangles, the lines and grid as line segments, stroked: many of each.
    assert len(re.findall(rb"\sre\s", drawing)) > 20
    assert len(re.findall(rb"\sl\s", drawing)) > 50
    assert len(re.findall(rb"\sS\s", drawing)) > 20


# Who may download it, and the trail --------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_care_team_and_admins_download_it_and_each_download_is_audited(
    physio, admin_user, patient, four_weeks
):
    for user in (physio, admin_user):
        response = client_for(user).get(url(patient))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="progress-report-anna-novak-2026-12-02.pdf"'
        )
        assert {part.strip() for part in response["Cache-Control"].split(",")} == {
            "private",
            "no-store",
        }
        assert response.content.startswith(b"%PDF-")
    events = AuditEvent.objects.filter(patient=patient).order_by("pk")
    assert list(events.values_list("actor", "action", "what", "path")) == [
        (physio.pk, AuditAction.EXPORT, "progress report, PDF", url(patient)),
        (admin_user.pk, AuditAction.EXPORT, "progress report, PDF", url(patient)),
    ]


@time_machine.travel(NOW, tick=False)
def test_the_patient_sees_who_downloaded_their_report(physio_client, patient_client, patient):
    physio_client.get(url(patient))

    page = patient_client.get("/my-data/").text

    assert (
        "<strong>Maya Lindqvist</strong> (physiotherapist) exported your progress report, PDF"
        in page
    )


@time_machine.travel(NOW, tick=False)
def test_nobody_else_gets_it_and_nothing_is_written_to_the_trail(
    patient, other_patient, other_physio, four_weeks
):
    anonymous = Client().get(url(patient))
    own = client_for(patient).get(url(patient))
    other = client_for(other_patient).get(url(patient))
    off_the_team = client_for(other_physio).get(url(patient))

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/account/login/?next={url(patient)}"
    assert (own.status_code, other.status_code, off_the_team.status_code) == (403, 403, 404)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_only_get_is_answered(physio_client, patient):
    assert physio_client.post(url(patient)).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_report_page_links_to_the_pdf_of_its_weeks(physio_client, patient, four_weeks):
    page = physio_client.get(f"/patients/{patient.pk}/report/?range=4").text

    assert (
        f'<a href="/patients/{patient.pk}/report.pdf?range=4" role="button" class="secondary"'
        " download>Download as PDF</a> A4, to send to the referring physician."
    ) in page


# Queries flat in the number of sessions ----------------------------------------------------


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("sessions", [3, 60])
def test_the_query_count_does_not_grow_with_sessions(
    physio_client, patient, cleared, sessions, django_assert_num_queries
):
    for number in range(sessions):
        log(cleared, dt.date(2026, 11, 9) + dt.timedelta(days=number % 23), 10, 11, 1)
    physio_client.get(url(patient))  # the session's first request settles its sign-in

    with django_assert_num_queries(QUERIES):
        response = physio_client.get(url(patient, "?range=all"))

    assert response.status_code == 200


# Signing in (the session, the user, the two-factor device), the patient, the plans with
# their clearances' activities, prescriptions and holds (4), the measurements, the profile,
# the week sums, the holds' alerts and sessions (2), the functional scale's ratings, the
# period's alerts, and the audit row.
QUERIES = 16


# The demo ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_demo_patients_report_with_exact_values():
    call_command("demo", "--no-serve")
    physio = User.objects.get(username="physio")
    anna = User.objects.get(username="patient")

    lines = lines_of(pages_of(client_for(physio).get(url(anna, "?range=4"))))

    assert sorted(DEMO_LINES - set(lines)) == []
    text = " ".join(lines)  # what wraps in a narrow column, read across its lines
    for words in DEMO_WORDS:
        assert words in text


# Anna's last four weeks as the demo tells them (tracker/demo/), built on the pinned day.
DEMO_LINES = {
    "Anna Novak, born 12 Apr 1971 Progress report, 9 Nov 2026 to 2 Dec 2026",
    "Disuse atrophy (Limb immobilised (cast, brace, injury)) · Thigh, right",
    "Plan: Walking back after a cast, since 20 Sep 2026.",
    "Physician Dr Ines Duarte",
    "Registration number GMC 7012345",
    "Cleared on 15 September 2026",
    "Valid until 1 April 2027",
    "Sessions of at most 45 minutes.",
    "Cleared activities: Swimming, Walking.",
    "This week so far, Mon 30 Nov to Sun 6 Dec: 26 of 154 minutes · 1 of 5 sessions",
    "9 Nov 2026 78 128 4 of 5 12.2 0.2 1",
    "16 Nov 2026 123 139 5 of 5 12.6 1 3",
    "23 Nov 2026 112 154 4 of 5 11.8 0.5 1",
    "30 Nov 2026 (so far) 26 154 1 of 5 12 0 0",
    "Mid-thigh: side-to-side difference 4 cm on 21 Sep 2026, 1.4 cm on 30 Nov 2026 (65% closed).",
    "Norms compare the latest result with people of the same age and sex in published studies. "
    "They are not a diagnosis.",
    "Activities Anna finds hard",
    "No danger signs reported and no alerts in this period.",
    "Supports rehabilitation; does not diagnose. Page 4 of 4",
}
DEMO_WORDS = [
    "Period: 9 Nov 2026 to 2 Dec 2026 (4 weeks: 3 finished weeks with sessions planned, "
    "and this week, under way).",
    "6-minute walk 330 m 21 Sep 2026 383 m 16 Nov 2026 (better) "
    "Below the predicted 536 m (71%; Enright and Sherrill 1998).",
    "30-second chair stand 9 repetitions 21 Sep 2026 11 repetitions 16 Nov 2026 (better) "
    "No norm for this age (Rikli and Jones 1999 covers ages 60 to 94).",
    "Timed Up and Go 13.5 s 21 Sep 2026 12.4 s 16 Nov 2026 (better) "
    "No norm for this age (Bohannon 2006 gives averages from age 60).",
    "Average: 3 (20 Sep) to 5.7 (15 Nov). ▲ Up 2.7 points since the first rating: "
    "a meaningful change",
    "Climbing the stairs to the flat 3 (20 Sep) → 5 (18 Oct) → 7 (15 Nov) "
    "▲ Up 4 points since the first rating: a meaningful change",
    "Walking to the shops 4 (20 Sep) → 5 (18 Oct) → 6 (15 Nov) "
    "Up 2 points since the first rating: within the scale's margin",
]


# WeasyPrint fetches nothing from the network -----------------------------------------------


def test_the_fetcher_serves_the_apps_own_static_files_only():
    fetcher = StaticFilesOnly()

    css = fetcher(BASE_URL + "tracker/pdf.css")

    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    for refused in [
        "https://example.org/x.css",
        "http://127.0.0.1/static/tracker/pdf.css",
        "file:///etc/passwd",
        BASE_URL + "../../rehab/settings.py",
        BASE_URL + "tracker/../../../rehab/settings.py",
        BASE_URL + "/etc/passwd",
        BASE_URL + "tracker/no-such-file.css",
        BASE_URL,
    ]:
        assert static_path(refused) is None, refused
        with pytest.raises(ValueError):
            fetcher(refused)


class _Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red; }")

    def log_message(self, *args) -> None:
        pass


def test_a_page_that_names_other_addresses_makes_no_request():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        pdf = pdf_of(
            f'<html><head><link rel="stylesheet" href="{origin}/a.css">'
            f"<style>@import url({origin}/b.css); p {{ background: url({origin}/c.png) }}</style>"
            f'</head><body><p>Hello</p><img src="{origin}/d.png" alt="">'
            '<img src="file:///etc/hostname" alt=""></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()

    assert pdf.startswith(b"%PDF-")
    assert _Counting.hits == []
