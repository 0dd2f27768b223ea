"""History's badges (sent to the care team, beyond the clearance, changed) looked up for the
page's rows by each session's index, never by reading every alert and revision in the clinic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SessionLogFactory, make_active_plan
from tracker.models import Alert, AlertKind, SessionLog, SessionRevision
from tracker.queries.history import with_flags

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


def alert(session: SessionLog, kind: str) -> Alert:
    return Alert.objects.create(
        patient=session.patient, session=session, kind=kind, message=f"{kind} on {session.date}"
    )


def revise(session: SessionLog) -> SessionRevision:
    return SessionRevision.objects.create(
        session=session,
        action=SessionRevision.Action.EDITED,
        changed_by=session.patient,
        before={"minutes": session.minutes},
    )


def flags(session: SessionLog) -> tuple[bool, bool, bool]:
    return (session.raised_alert, session.beyond_clearance, session.was_edited)


def test_each_session_gets_its_own_flags(plan):
    today = timezone.localdate()
    plain, pain, beyond, edited = (
        SessionLogFactory(plan=plan, date=today - dt.timedelta(days=n)) for n in range(4)
    )
    alert(pain, AlertKind.PAIN)
    alert(beyond, AlertKind.OVER_CLEARANCE)
    alert(beyond, AlertKind.PAIN)  # two alerts on one session: still one row, one badge each
    revise(edited)
    revise(edited)

    got = {s.pk: flags(s) for s in with_flags(SessionLog.objects.filter(patient=plan.patient))}

    assert got == {
        plain.pk: (False, False, False),
        pain.pk: (True, False, False),
        beyond.pk: (True, True, False),
        edited.pk: (False, False, True),
    }


def test_history_page_shows_the_badges_of_its_rows(patient_client, plan):
    today = timezone.localdate()
    sessions = [SessionLogFactory(plan=plan, date=today - dt.timedelta(days=n)) for n in range(25)]
    alert(sessions[0], AlertKind.OVER_CLEARANCE)
    revise(sessions[1])
    alert(sessions[22], AlertKind.PAIN)  # on the second page

    first = patient_client.get("/history/")
    second = patient_client.get("/history/", {"page": 2})

    assert [flags(s) for s in first.context["page"]][:3] == [
        (True, True, False),
        (False, False, True),
        (False, False, False),
    ]
    assert first.text.count("beyond your clearance") == 1
    assert first.text.count("sent to your care team") == 1
    assert first.text.count('<span class="badge badge-muted">changed</span>') == 1
    assert [s.pk for s in second.context["page"] if s.raised_alert] == [sessions[22].pk]
    assert second.text.count("sent to your care team") == 1
    assert "beyond your clearance" not in second.text


def test_history_reads_no_alert_or_revision_with_exists(patient_client, plan):
    """PostgreSQL turns an EXISTS in the select list into a hash of the whole alert and
    revision tables, built before the page's 20 rows are cut (10 ms at 1,000 patients, more
    with every patient); each badge is a scalar subquery by the session's index instead."""
    session = SessionLogFactory(plan=plan)
    alert(session, AlertKind.PAIN)

    with CaptureQueriesContext(connection) as queries:
        response = patient_client.get("/history/")

    assert response.status_code == 200
    reading = [
        q["sql"]
        for q in queries.captured_queries
        if "tracker_alert" in q["sql"] or "tracker_sessionrevision" in q["sql"]
    ]
    assert len(reading) == 1  # the page's own query
    assert "EXISTS" not in reading[0].upper()
    assert reading[0].upper().count("LIMIT 1)") == 3
