"""The record's twenty comment forms written out once as HTML, read as Django's widgets draw
them; its alerts, open and latest acknowledged, in one query; and its sessions' badges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SessionLogFactory, make_active_plan
from tracker.forms import CommentForm
from tracker.models import Alert, AlertKind, SessionRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(patient):
    return make_active_plan(patient)


@pytest.fixture
def sessions(plan):
    today = timezone.localdate()
    return [SessionLogFactory(plan=plan, date=today - dt.timedelta(days=n)) for n in range(20)]


def record(client, patient):
    return client.get(f"/patients/{patient.pk}/")


def test_a_fresh_comment_form_reads_as_djangos_widgets_draw_it(rf, physio, patient, plan):
    session = SessionLogFactory(plan=plan, date=timezone.localdate())
    session.feedback = []
    form = CommentForm(session=session)
    request = rf.get("/")
    request.user = physio

    html = render_to_string(
        "tracker/includes/session_comments.html",
        {"session": session, "form": form, "patient": patient},
        request=request,
    )

    assert str(form["request_key"]) in html
    for radio in form["about"]:
        label = f'<label for="{radio.id_for_label}">{radio.tag()} {radio.choice_label}</label>'
        assert label in html
    assert f'<label for="{form["text"].auto_id}">Comment for {patient.display_name}</label>' in html
    assert f'<small id="{form["text"].auto_id}_helptext">Up to 2,000 characters.</small>' in html
    assert str(form["text"]) in html
    assert "<details>" in html


def test_the_record_draws_no_widget_template_for_its_comment_forms(
    physio_client, patient, sessions
):
    drawn = []

    def seen(sender, template, **kwargs):
        drawn.append(template.name)

    template_rendered.connect(seen)
    try:
        response = record(physio_client, patient)
    finally:
        template_rendered.disconnect(seen)

    assert response.status_code == 200
    assert response.text.count("Send comment") == 20
    assert [name for name in drawn if name and name.startswith("django/forms/")] == []


def test_a_refused_comment_is_still_drawn_by_its_widgets_with_its_error(
    physio_client, patient, sessions
):
    session = sessions[3]

    response = physio_client.post(
        f"/patients/{patient.pk}/comments/",
        {"session": session.pk, "about": "week", "text": ""},
    )

    assert response.status_code == 200
    text = response.text
    assert text.count("<details open>") == 1
    assert "Write the comment first." in text
    assert f'id="comment-{session.pk}-about_1" required checked' in text
    assert f'id="comment-{sessions[4].pk}-about_0" required checked' in text
    assert text.count("Send comment") == 20


def test_record_shows_open_alerts_oldest_first_and_the_ten_latest_acknowledged(
    physio, physio_client, patient, plan
):
    now = timezone.now()

    def alert(hours_ago: int, *, closed: bool = False) -> Alert:
        made = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message=f"{hours_ago}h")
        Alert.objects.filter(pk=made.pk).update(
            opened_at=now - dt.timedelta(hours=hours_ago),
            acknowledged_at=now if closed else None,
            acknowledged_by=physio if closed else None,
        )
        return made

    open_new, open_old = alert(1), alert(30)
    closed = [alert(2 + n, closed=True) for n in range(12)]

    with CaptureQueriesContext(connection) as queries:
        response = record(physio_client, patient)

    assert [a.pk for a in response.context["open_alerts"]] == [open_old.pk, open_new.pk]
    assert [a.pk for a in response.context["closed_alerts"]] == [a.pk for a in closed[:10]]
    reading_alerts = [q for q in queries.captured_queries if 'FROM "tracker_alert"' in q["sql"]]
    # the page's open and acknowledged alerts together; this week's alert days
    assert len(reading_alerts) == 2
    assert "2 open" in response.text
    assert "Acknowledged alerts (10 most recent)" in response.text


def test_record_shows_each_sessions_alerts_and_revisions(physio_client, patient, sessions):
    Alert.objects.create(
        patient=patient, session=sessions[0], kind=AlertKind.DANGER_SIGN, message="Sign"
    )
    Alert.objects.create(patient=patient, session=sessions[0], kind=AlertKind.PAIN, message="7")
    SessionRevision.objects.create(
        session=sessions[1], action="edited", changed_by=patient, before={"minutes": 10}
    )

    response = record(physio_client, patient)

    shown = {s.pk: s for s in response.context["sessions"]}
    assert [a.kind for a in shown[sessions[0].pk].alert_list] == ["danger_sign", "pain"]
    assert len(shown[sessions[1].pk].revision_list) == 1
    assert response.text.count("changed by patient") == 1
    assert response.text.count("What changed") == 1
    assert '<span class="badge badge-danger">Danger sign</span>' in response.text


def test_the_sessions_share_the_plans_already_read(physio_client, patient, plan, sessions):
    """Each session's plan (for its week's comments) is the one read for the plan list, not
    joined into the sessions' query again."""
    response = record(physio_client, patient)

    (shown_plan,) = response.context["plans"]
    assert all(s.plan is shown_plan for s in response.context["sessions"])
