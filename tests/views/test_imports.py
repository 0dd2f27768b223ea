"""Importing sessions from a watch or phone: the upload, every refusal in words with nothing
half-saved, the answers through the log form's own checks, and the original file kept."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.data.recordings import moved, upload
from tests.factories import SessionLogFactory, activity, make_active_plan
from tracker.models import (
    AuditAction,
    AuditEvent,
    DangerReport,
    ImportedFile,
    PlanStatus,
    SessionLog,
    Source,
)

pytestmark = pytest.mark.django_db

# The recordings moved to yesterday morning (UTC): inside the log form's seven days.
YESTERDAY_8AM = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
WALK = "walk-cerknicko-jezero.gpx"
RIDE_GPX, RIDE_TCX = "ride-5039744860.gpx", "ride-5039744860.tcx"
RUN_TCX = "run-3173437224-thinned.tcx"
REFUSED = "not imported"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(patient):
    plan = make_active_plan(patient)
    plan.starts_on = timezone.localdate() - dt.timedelta(days=10)
    plan.save()
    return plan


def walk(name: str = WALK, at: dt.datetime = YESTERDAY_8AM, *, as_name: str | None = None):
    return upload(name, moved(name, at), as_name=as_name)


def send(client, *files):
    return client.post("/import/", {"files": list(files)})


def refusals(response) -> list[tuple[str, str]]:
    return [(r.name, r.reason) for r in response.context["refused"]]


def answers(**fields) -> dict:
    data = {
        "request_key": str(uuid.uuid4()),
        "activity": activity("Walking").pk,
        "effort": "12",
        "pain_before": "1",
        "pain_after": "2",
        "no_danger_signs": "on",
    } | fields
    return {key: value for key, value in data.items() if value is not None}


# The upload


def test_upload_page_shows_the_form_with_its_limits(patient_client, plan):
    response = patient_client.get("/import/")

    assert response.status_code == 200
    assert response.context["form"].fields["files"].help_text == (
        "GPX, TCX or FIT files, up to 5 MB each, at most 10 at a time."
    )


def test_upload_without_an_active_plan_offers_no_form(patient_client):
    response = patient_client.get("/import/")

    assert response.context["form"] is None
    assert "nothing to import yet" in response.content.decode()


def test_upload_of_a_good_file_waits_for_its_answers(patient_client, plan):
    response = send(patient_client, walk())

    imported = ImportedFile.objects.get()
    assert response.status_code == 302
    assert response.url == f"/import/{imported.pk}/"
    assert (
        imported.original_name,
        imported.format,
        imported.started_at,
        imported.moving_seconds,
        imported.distance_m,
        imported.activity,
        imported.session,
    ) == (WALK, "gpx", YESTERDAY_8AM, 2425, 4415, None, None)
    assert imported.file.read() == moved(WALK, YESTERDAY_8AM)
    assert SessionLog.objects.count() == 0


def test_upload_of_a_mix_keeps_the_good_and_lists_the_bad(patient_client, plan):
    response = send(patient_client, walk(), upload("truncated.fit"))

    assert response.status_code == 200
    assert refusals(response) == [
        (
            "truncated.fit",
            "This file could not be read; it may be damaged. "
            "Export it again from your watch or app.",
        )
    ]
    assert [f.original_name for f in response.context["waiting"]] == [WALK]
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize(
    ("name", "as_name", "reason"),
    [
        ("empty.gpx", None, "This file is empty."),
        (
            "truncated.tcx",
            None,
            "This file could not be read; it may be damaged. "
            "Export it again from your watch or app.",
        ),
        ("not-really.gpx", None, "This file ends in .gpx but is not a GPX file."),
        ("walk-cerknicko-jezero.gpx", "walk.fit", "This file ends in .fit but is not a FIT file."),
        (
            "track.csv",
            None,
            "Only GPX, TCX and FIT files can be imported. Export the activity as one.",
        ),
    ],
)
def test_upload_refuses_a_file_it_cannot_read(patient_client, plan, name, as_name, reason):
    response = send(patient_client, upload(name, as_name=as_name))

    assert refusals(response) == [(as_name or name, reason)]
    assert ImportedFile.objects.count() == 0


def test_upload_refuses_a_tcx_named_gpx(patient_client, plan):
    response = send(patient_client, walk(RIDE_TCX, as_name="ride.gpx"))

    assert refusals(response) == [("ride.gpx", "This file ends in .gpx but is not a GPX file.")]


def test_upload_refuses_an_oversized_file(patient_client, plan, settings):
    settings.IMPORT_FILE_MAX_BYTES = 1024 * 1024
    big = upload(WALK, moved(WALK, YESTERDAY_8AM) + b" " * (1024 * 1024))

    response = send(patient_client, big)

    assert refusals(response) == [
        (
            WALK,
            "This file is larger than 1 MB, more than any one session needs. "
            "Export only the activity itself.",
        )
    ]
    assert ImportedFile.objects.count() == 0


def test_an_oversized_file_is_not_read_past_the_limit(rf, settings):
    from django.core.files.uploadhandler import SkipFile

    from tracker.integrations.activity_files.uploads import cap_file_sizes

    settings.IMPORT_FILE_MAX_BYTES = 100
    request = rf.post("/import/")
    cap = cap_file_sizes(request)
    cap.new_file("files", "big.gpx", "application/gpx+xml", None)

    assert cap.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        cap.receive_data_chunk(b"x" * 60, 60)
    assert cap.too_large == ["big.gpx"]
    assert request.upload_handlers[0] is cap


def test_upload_past_the_limits_together_keeps_the_files_within_them(
    patient_client, plan, settings
):
    # Three files, each within the limit, where only two fit in what the upload may hold.
    settings.IMPORT_FILE_MAX_BYTES = len(moved(WALK, YESTERDAY_8AM)) + 10
    settings.IMPORT_FILES_AT_ONCE = 2
    files = [
        walk(at=YESTERDAY_8AM + dt.timedelta(hours=n), as_name=name)
        for n, name in enumerate(["0.gpx", "1.gpx", "third.gpx"])
    ]

    response = send(patient_client, *files)

    assert [name for name, _ in refusals(response)] == ["third.gpx"]
    assert ImportedFile.objects.count() == 2


def test_only_an_oversized_file_is_refused_by_name(patient_client, plan, settings):
    settings.IMPORT_FILE_MAX_BYTES = 1024 * 1024

    response = send(patient_client, upload(WALK, b" " * (1024 * 1024 + 1)))

    assert refusals(response) == [
        (
            WALK,
            "This file is larger than 1 MB, more than any one session needs. "
            "Export only the activity itself.",
        )
    ]


def test_upload_still_needs_the_form_s_token(patient, plan):
    from django.test import Client

    from tests.conftest import sign_in_verified

    client = sign_in_verified(Client(enforce_csrf_checks=True), patient)

    assert client.post("/import/", {"files": [walk()]}).status_code == 403


def test_upload_of_too_many_files_imports_none(patient_client, plan, settings):
    settings.IMPORT_FILES_AT_ONCE = 2
    files = [walk(at=YESTERDAY_8AM + dt.timedelta(hours=n), as_name=f"{n}.gpx") for n in range(3)]

    response = send(patient_client, *files)

    assert response.context["form"].errors["files"] == [
        "You chose 3 files; import at most 2 at a time. Nothing was imported: choose fewer "
        "and try again."
    ]
    assert ImportedFile.objects.count() == 0


def test_upload_of_nothing_asks_for_a_file(patient_client, plan):
    response = patient_client.post("/import/", {})

    assert response.context["form"].errors["files"] == [
        "Choose one or more files to import: GPX, TCX or FIT."
    ]


def test_upload_refuses_the_same_activity_in_another_format(patient_client, plan):
    send(patient_client, walk(RIDE_GPX))

    response = send(patient_client, walk(RIDE_TCX))

    assert refusals(response) == [
        (
            RIDE_TCX,
            f"This activity was imported already, from “{RIDE_GPX}”: the same recording in "
            "another file.",
        )
    ]
    assert ImportedFile.objects.count() == 1


def test_upload_refuses_the_same_activity_twice_in_one_upload(patient_client, plan):
    response = send(patient_client, walk(RIDE_GPX), walk(RIDE_TCX))

    assert [name for name, _ in refusals(response)] == [RIDE_TCX]
    assert ImportedFile.objects.count() == 1


def test_upload_refuses_a_walk_the_patient_logged_by_hand(patient_client, plan):
    SessionLogFactory(plan=plan, date=dt.date(2026, 12, 1), start_time=dt.time(8, 0))

    response = send(patient_client, walk())

    assert refusals(response) == [
        (WALK, "You logged this session already: walking on 1 December at 08:00.")
    ]
    assert ImportedFile.objects.count() == 0


def test_upload_keeps_a_walk_whose_typed_twin_was_deleted_or_at_another_time(patient_client, plan):
    SessionLogFactory(
        plan=plan, date=dt.date(2026, 12, 1), start_time=dt.time(8, 0), deleted_at=timezone.now()
    )
    SessionLogFactory(plan=plan, date=dt.date(2026, 12, 1), start_time=dt.time(17, 30))
    SessionLogFactory(plan=plan, date=dt.date(2026, 12, 1))  # no start time: cannot tell

    response = send(patient_client, walk())

    assert response.status_code == 302
    assert ImportedFile.objects.count() == 1


def test_a_file_refused_at_the_last_moment_leaves_nothing_on_disk(
    patient_client, plan, tmp_path, monkeypatch
):
    send(patient_client, walk())
    # The same file sent from another tab at the same moment: its row arrives after this
    # request looked for it, so the database refuses the second.
    monkeypatch.setattr("tracker.domain.imports._duplicate", lambda *args: None)

    response = send(patient_client, walk())

    assert refusals(response) == [(WALK, "You imported this file already.")]
    assert ImportedFile.objects.count() == 1
    assert [p.name for p in (tmp_path / "imports").iterdir()] == [
        ImportedFile.objects.get().file.name.removeprefix("imports/")
    ]


def test_upload_refuses_a_day_in_the_future(patient_client, plan):
    response = send(patient_client, walk(at=YESTERDAY_8AM + dt.timedelta(days=3)))

    assert refusals(response) == [(WALK, "The date cannot be in the future.")]


def test_upload_refuses_a_day_more_than_seven_days_back(patient_client, plan):
    response = send(patient_client, walk(at=YESTERDAY_8AM - dt.timedelta(days=8)))

    assert refusals(response) == [
        (
            WALK,
            "Sessions can be logged up to 7 days back. For older ones, tell Maya Lindqvist.",
        )
    ]


def test_upload_refuses_a_day_before_the_plan(patient_client, plan):
    plan.starts_on = timezone.localdate()
    plan.save()

    response = send(patient_client, walk())

    assert refusals(response) == [
        (WALK, "Your plan started on 2 December; sessions before then cannot be logged here.")
    ]


def test_upload_refuses_an_activity_the_clearance_does_not_allow(patient_client, plan):
    response = send(patient_client, walk(RUN_TCX))

    assert refusals(response) == [
        (
            RUN_TCX,
            "Your clearance does not include jogging, so this run can't be saved here. "
            "Please tell Maya Lindqvist about it.",
        )
    ]
    assert ImportedFile.objects.count() == 0


def test_upload_is_for_patients_only(physio_client):
    assert physio_client.get("/import/").status_code == 403


# The answers


@pytest.fixture
def waiting(patient_client, plan) -> ImportedFile:
    send(patient_client, walk())
    return ImportedFile.objects.get()


def test_review_proposes_the_session_the_file_read(patient_client, waiting):
    response = patient_client.get(f"/import/{waiting.pk}/")

    form = response.context["form"]
    assert response.status_code == 200
    assert form.read == {
        "date": dt.date(2026, 12, 1),
        "start_time": dt.time(8, 0),
        "minutes": 40,
        "distance": Decimal("4.42"),
        "distance_unit": "km",
        "average_heart_rate": None,
        "highest_heart_rate": None,
    }
    assert [name for _, name in form.fields["activity"].choices] == [
        "Choose…",
        "Walking",
        "Swimming",
    ]


def test_review_asks_with_the_log_form_s_own_markup(patient_client, waiting):
    response = patient_client.get(f"/import/{waiting.pk}/")

    used = {template.name for template in response.templates}
    assert {
        "tracker/includes/session_answers.html",
        "tracker/includes/danger_question.html",
    } <= used
    page = response.content.decode()
    assert page.count('class="danger-question') == 1
    assert page.count("6 is no effort at all") == 1


def test_saving_the_answers_logs_an_imported_session_linked_to_its_file(
    patient_client, waiting, patient
):
    response = patient_client.post(f"/import/{waiting.pk}/", answers())

    session = SessionLog.objects.get()
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/history/#session-{session.pk}"
    assert waiting.session == session
    assert (
        session.source,
        session.activity.name,
        session.date,
        session.start_time,
        session.minutes,
        session.distance_m,
        session.distance_unit,
        session.effort,
        session.pain_before,
        session.pain_after,
    ) == (Source.IMPORTED, "Walking", dt.date(2026, 12, 1), dt.time(8, 0), 40, 4420, "km", 12, 1, 2)


def test_saving_twice_saves_once(patient_client, waiting):
    sent = answers()
    patient_client.post(f"/import/{waiting.pk}/", sent)

    second = patient_client.post(f"/import/{waiting.pk}/", sent)

    session = SessionLog.objects.get()
    assert second.url == f"/history/#session-{session.pk}"


def test_values_sent_for_what_the_file_read_are_ignored(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/", answers(minutes="300", date="2026-11-30"))

    session = SessionLog.objects.get()
    assert (session.minutes, session.date) == (40, dt.date(2026, 12, 1))


def test_missing_answers_keep_the_file_waiting_with_each_error_at_its_field(
    patient_client, waiting
):
    response = patient_client.post(
        f"/import/{waiting.pk}/", answers(effort=None, no_danger_signs=None, notes="Windy")
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["effort"] == ["Choose how hard it felt, from 6 to 20."]
    assert form.errors["danger_signs"] == [
        "Answer this question: tick what you have right now, or “No, none of these”."
    ]
    assert form["notes"].value() == "Windy"
    assert SessionLog.objects.count() == 0


def test_an_activity_the_clearance_does_not_allow_is_refused_at_the_field(patient_client, waiting):
    response = patient_client.post(
        f"/import/{waiting.pk}/", answers(activity=activity("Jogging").pk)
    )

    assert response.context["form"].errors["activity"] == [
        "Your clearance does not include jogging, so this run can't be saved here. "
        "Please tell Maya Lindqvist about it."
    ]
    assert SessionLog.objects.count() == 0


def test_a_date_now_outside_the_window_is_shown_and_nothing_saved(patient_client, waiting):
    waiting.started_at = YESTERDAY_8AM - dt.timedelta(days=9)
    waiting.save()

    response = patient_client.post(f"/import/{waiting.pk}/", answers())

    assert response.context["form"].read_errors == [
        "Sessions can be logged up to 7 days back. For older ones, tell Maya Lindqvist."
    ]
    assert SessionLog.objects.count() == 0


def test_a_danger_sign_takes_the_urgent_path_and_the_session_is_saved(patient_client, waiting):
    response = patient_client.post(
        f"/import/{waiting.pk}/",
        answers(no_danger_signs=None, danger_signs=["slurred_speech"]),
    )

    session = SessionLog.objects.get()
    waiting.refresh_from_db()
    report = DangerReport.objects.get()
    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert (report.signs, report.session, waiting.session) == (["slurred_speech"], session, session)
    assert session.source == Source.IMPORTED


def test_a_danger_sign_with_answers_missing_is_still_filed(patient_client, waiting):
    response = patient_client.post(
        f"/import/{waiting.pk}/",
        answers(effort=None, no_danger_signs=None, danger_signs=["severe_headache"]),
    )

    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert DangerReport.objects.get().signs == ["severe_headache"]
    assert SessionLog.objects.count() == 0
    assert ImportedFile.objects.get().session is None


def test_a_danger_sign_on_a_file_already_answered_is_still_filed(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/", answers())

    # Back to the page, then the danger question answered again, and Save.
    response = patient_client.post(
        f"/import/{waiting.pk}/", answers(no_danger_signs=None, danger_signs=["severe_headache"])
    )

    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert DangerReport.objects.get().signs == ["severe_headache"]
    assert SessionLog.objects.count() == 1


def test_a_danger_sign_while_the_plan_is_paused_is_still_filed(patient_client, waiting, plan):
    plan.status = PlanStatus.PAUSED
    plan.save()

    response = patient_client.post(
        f"/import/{waiting.pk}/", answers(no_danger_signs=None, danger_signs=["severe_headache"])
    )

    assert response.templates[0].name == "tracker/patient/urgent.html"
    assert DangerReport.objects.get().signs == ["severe_headache"]
    assert SessionLog.objects.count() == 0
    assert ImportedFile.objects.get().session is None


def test_another_patients_file_is_not_found(client, waiting, other_patient):
    from tests.conftest import sign_in_verified

    other = sign_in_verified(client, other_patient)

    assert other.get(f"/import/{waiting.pk}/").status_code == 404
    other.post(f"/import/{waiting.pk}/discard/")
    assert ImportedFile.objects.get() == waiting


# Discarding


def test_discard_removes_the_file_and_what_was_read(
    patient_client, waiting, tmp_path, django_capture_on_commit_callbacks
):
    stored = tmp_path / waiting.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(f"/import/{waiting.pk}/discard/")

    assert response.status_code == 302
    assert ImportedFile.objects.count() == 0
    assert not stored.exists()


def test_discard_twice_is_calm(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/discard/")

    response = patient_client.post(f"/import/{waiting.pk}/discard/", follow=True)

    assert [str(m) for m in response.context["messages"]][-1] == "That file was already discarded."


def test_a_discarded_file_may_be_imported_again(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/discard/")

    send(patient_client, walk())

    assert ImportedFile.objects.count() == 1


# History and the original


@pytest.fixture
def imported_session(patient_client, waiting) -> SessionLog:
    patient_client.post(f"/import/{waiting.pk}/", answers())
    return SessionLog.objects.get()


def test_history_marks_an_imported_session_and_links_its_file(patient_client, imported_session):
    page = patient_client.get("/history/").content.decode()

    assert '<span class="badge badge-muted">Imported</span>' in page
    assert f'href="/sessions/{imported_session.pk}/original/"' in page
    assert 'href="/import/"' in page


def test_the_record_marks_an_imported_session_and_links_its_file(
    imported_session, physio_client, patient
):
    page = physio_client.get(f"/patients/{patient.pk}/").content.decode()

    assert '<span class="badge badge-muted">Imported</span>' in page
    assert f'href="/sessions/{imported_session.pk}/original/"' in page


def test_the_original_is_a_download_audited(patient_client, imported_session, patient):
    response = patient_client.get(f"/sessions/{imported_session.pk}/original/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == moved(WALK, YESTERDAY_8AM)
    assert response["Content-Disposition"] == (f'attachment; filename="{WALK}"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).get()
    assert (event.actor, event.patient_id, event.what) == (patient, patient.pk, "imported file")


def test_the_original_for_the_care_team_and_no_one_else(
    imported_session, physio_client, client, other_physio
):
    from tests.conftest import sign_in_verified

    url = f"/sessions/{imported_session.pk}/original/"
    assert physio_client.get(url).status_code == 200
    assert sign_in_verified(client, other_physio).get(url).status_code == 404


def test_a_typed_session_has_no_original(patient_client, plan):
    from tests.factories import SessionLogFactory

    session = SessionLogFactory(plan=plan)

    assert patient_client.get(f"/sessions/{session.pk}/original/").status_code == 404


def test_a_fit_file_from_before_the_plan_is_refused_in_words(patient_client, plan):
    # The recording is from 2021; tests/domain/test_imports.py travels to its day and walks
    # the same file through the upload and the answers to a saved session.
    response = send(patient_client, upload("multisport-run-6471559601.fit"))

    assert refusals(response) == [
        (
            "multisport-run-6471559601.fit",
            "Your plan started on 22 November; sessions before then cannot be logged here.",
        )
    ]
    assert ImportedFile.objects.count() == 0


def test_discarding_a_file_that_is_a_session_keeps_it(patient_client, imported_session):
    imported = ImportedFile.objects.get()

    response = patient_client.post(f"/import/{imported.pk}/discard/", follow=True)

    assert [str(m) for m in response.context["messages"]][-1] == (
        "That file is a session now, so it stays with it."
    )
    assert ImportedFile.objects.get().session == imported_session


# Review findings (B2)


@pytest.mark.parametrize(("name", "says"), [(RIDE_GPX, "cycling"), (RIDE_TCX, "biking")])
def test_a_ride_starts_with_no_activity_chosen_and_says_what_the_file_says(
    patient_client, plan, name, says
):
    send(patient_client, walk(name))
    imported = ImportedFile.objects.get()

    response = patient_client.get(f"/import/{imported.pk}/")

    field = response.context["form"]["activity"]
    assert field.value() is None
    assert field.field.choices[0] == ("", "Choose…")
    assert '<option value="" selected>Choose…</option>' in response.text
    assert field.help_text == (
        f"Your file says {says}, which is not an activity in your plan. If it was one of "
        "them, choose it; if not, discard the file and tell Maya Lindqvist."
    )
    missing = patient_client.post(f"/import/{imported.pk}/", answers(activity=""))
    assert missing.context["form"].errors["activity"] == ["Choose the activity you did."]
    assert SessionLog.objects.count() == 0


def test_a_file_naming_no_sport_starts_with_no_activity_chosen(patient_client, waiting):
    response = patient_client.get(f"/import/{waiting.pk}/")

    field = response.context["form"]["activity"]
    assert field.value() is None
    assert field.help_text == (
        "Your file does not say which activity this was. If it was one of those in your "
        "plan, choose it; if not, discard the file and tell Maya Lindqvist."
    )


def test_a_walk_starts_with_walking_chosen_and_no_empty_choice(patient_client, plan):
    # The walk as GPX 1.1, whose tracks name their sport (1.0 has no <type>).
    named = (
        moved(WALK, YESTERDAY_8AM)
        .replace(b'  version="1.0"', b'  version="1.1"', 1)
        .replace(b"<name>ACTIVE LOG</name>", b"<name>ACTIVE LOG</name><type>walking</type>", 1)
    )
    send(patient_client, upload(WALK, named))
    imported = ImportedFile.objects.get()

    response = patient_client.get(f"/import/{imported.pk}/")

    field = response.context["form"]["activity"]
    assert int(field.value()) == activity("Walking").pk
    assert [name for _, name in field.field.choices] == ["Walking", "Swimming"]


def test_the_same_file_twice_in_one_upload_is_named_as_such(patient_client, plan):
    response = send(patient_client, walk(), walk(as_name="copy.gpx"))

    assert refusals(response) == [
        ("copy.gpx", f"This is the same file as “{WALK}” in this upload.")
    ]
    assert ImportedFile.objects.count() == 1


def test_the_same_file_again_while_the_first_waits_says_it_waits(patient_client, plan):
    send(patient_client, walk())

    response = send(patient_client, walk())

    assert refusals(response) == [
        (
            WALK,
            "You imported this file already, on 2 December: it is waiting for your answers below.",
        )
    ]
    assert ImportedFile.objects.count() == 1


def test_the_same_file_again_after_it_was_saved_says_when_it_was_imported(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/", answers())

    response = send(patient_client, walk())

    assert refusals(response) == [(WALK, "You imported this file already, on 2 December.")]


def test_a_second_tab_s_different_answers_are_not_dropped_silently(patient_client, waiting):
    patient_client.post(f"/import/{waiting.pk}/", answers())

    other_tab = patient_client.post(
        f"/import/{waiting.pk}/", answers(effort="15", pain_after="5"), follow=True
    )

    session = SessionLog.objects.get()
    assert (session.effort, session.pain_after) == (12, 2)
    assert [str(m) for m in other_tab.context["messages"]][-1:] == [
        "The answers on this page were not saved: this session had already been saved from "
        "another page. To change it, choose Change beside it in your history."
    ]
    assert other_tab.redirect_chain[-1][0] == f"/history/#session-{session.pk}"


def test_the_original_downloads_under_the_patient_s_own_file_name(patient_client, plan):
    send(patient_client, walk(as_name="Morning walk (lake).gpx"))
    imported = ImportedFile.objects.get()
    patient_client.post(f"/import/{imported.pk}/", answers())
    session = SessionLog.objects.get()

    response = patient_client.get(f"/sessions/{session.pk}/original/")

    assert response["Content-Disposition"] == 'attachment; filename="Morning_walk_lake.gpx"'


def test_the_original_keeps_the_suffix_of_its_real_format(patient_client, plan):
    send(patient_client, walk(as_name="Lake.GPX"))
    imported = ImportedFile.objects.get()
    patient_client.post(f"/import/{imported.pk}/", answers())
    session = SessionLog.objects.get()

    response = patient_client.get(f"/sessions/{session.pk}/original/")

    assert response["Content-Disposition"] == 'attachment; filename="Lake.gpx"'
