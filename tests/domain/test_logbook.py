"""The logbook: saving sessions, symptoms and danger reports, the alerts they open, edits and
deletions kept on record, and clinicians acknowledging alerts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import (
    PhysiotherapistFactory,
    PrescriptionFactory,
    SessionLogFactory,
    activity,
    make_active_plan,
)
from tracker.domain.alerts import acknowledge_alert
from tracker.domain.logbook import (
    SessionInput,
    delete_session,
    edit_session,
    log_session,
    report_danger,
)
from tracker.models import (
    Alert,
    AlertKind,
    DangerReport,
    ReportedSymptom,
    SessionLog,
    SessionRevision,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 12)

CALM = {"effort": 11, "pain_before": 1, "pain_after": 2}


@pytest.fixture
def plan(patient):
    """Walking 3 a week, effort 9-13."""
    return make_active_plan(patient)


def entry(**fields) -> SessionInput:
    values = {
        "activity_id": activity("Walking").pk,
        "date": DAY,
        "minutes": 20,
        "effort": 11,
        "pain_before": 1,
        "pain_after": 2,
    }
    return SessionInput(**(values | fields))


def log(patient, plan, **fields):
    """Log one session through the rules; `danger_signs` and `request_key` pass through."""
    options = {k: fields.pop(k) for k in ("danger_signs", "request_key") if k in fields}
    return log_session(patient=patient, plan=plan, entry=entry(**fields), **options)


def alerts_of(patient) -> list[tuple[str, str]]:
    return list(Alert.objects.filter(patient=patient).order_by("pk").values_list("kind", "message"))


# log_session: what is saved ---------------------------------------------------------------


def test_log_session_saves_every_field(patient, plan):
    result = log_session(
        patient=patient,
        plan=plan,
        entry=entry(
            start_time=dt.time(7, 30),
            minutes=25,
            distance_m=2100,
            effort=12,
            pain_before=2,
            pain_after=3,
            symptoms=["tiring_easily"],
            notes="Felt steady.",
        ),
    )

    session = SessionLog.objects.get()
    assert result.created is True
    assert result.danger_report is None
    assert result.session == session
    assert (
        session.patient,
        session.plan,
        session.activity,
        session.date,
        session.start_time,
        session.minutes,
        session.distance_m,
        session.effort,
        session.pain_before,
        session.pain_after,
        session.symptoms,
        session.notes,
        session.deleted_at,
    ) == (
        patient,
        plan,
        activity("Walking"),
        DAY,
        dt.time(7, 30),
        25,
        2100,
        12,
        2,
        3,
        ["tiring_easily"],
        "Felt steady.",
        None,
    )


def test_log_session_saves_one_reported_symptom_row_each(patient, plan):
    result = log(patient, plan, symptoms=["balance", "numbness"])

    rows = ReportedSymptom.objects.order_by("code").values_list("session", "patient", "code")
    assert list(rows) == [
        (result.session.pk, patient.pk, "balance"),
        (result.session.pk, patient.pk, "numbness"),
    ]


def test_log_session_without_symptoms_saves_no_symptom_rows(patient, plan):
    log(patient, plan)

    assert ReportedSymptom.objects.count() == 0


def test_log_session_keeps_request_key(patient, plan):
    key = uuid.uuid4()

    result = log(patient, plan, request_key=key)

    assert SessionLog.objects.get(pk=result.session.pk).request_key == key


# log_session: alerts ----------------------------------------------------------------------


def test_log_session_calm_session_opens_nothing(patient, plan):
    log(patient, plan, **CALM)
    log(patient, plan, **CALM)

    assert alerts_of(patient) == []


def test_log_session_pain_above_5_opens_pain_alert(patient, plan):
    result = log(patient, plan, pain_before=4, pain_after=6)

    alert = Alert.objects.get()
    assert (alert.patient, alert.kind, alert.message, alert.session, alert.is_open) == (
        patient,
        AlertKind.PAIN,
        "Pain after the session was 6/10, above 5.",
        result.session,
        True,
    )


def test_log_session_pain_rise_of_3_opens_pain_alert(patient, plan):
    log(patient, plan, pain_before=1, pain_after=4)

    assert alerts_of(patient) == [("pain", "Pain rose from 1 to 4 during the session.")]


def test_log_session_pain_rising_three_sessions_opens_pain_alert(patient, plan):
    log(patient, plan, date=DAY, pain_before=2, pain_after=2)
    log(patient, plan, date=DAY + dt.timedelta(days=1), pain_before=3, pain_after=3)
    third = log(patient, plan, date=DAY + dt.timedelta(days=2), pain_before=4, pain_after=4)

    assert alerts_of(patient) == [
        ("pain", "Pain after has risen over 3 sessions in a row (2 → 3 → 4).")
    ]
    assert Alert.objects.get().session == third.session


def test_log_session_pain_trend_follows_dates_not_order_of_logging(patient, plan):
    # Logged 11th, then the 10th (filled in late), then the 12th: by date 2 → 3 → 4.
    log(patient, plan, date=dt.date(2026, 1, 11), pain_before=3, pain_after=3)
    log(patient, plan, date=dt.date(2026, 1, 10), pain_before=2, pain_after=2)
    log(patient, plan, date=dt.date(2026, 1, 12), pain_before=4, pain_after=4)

    assert alerts_of(patient) == [
        ("pain", "Pain after has risen over 3 sessions in a row (2 → 3 → 4).")
    ]


def test_log_session_pain_trend_of_another_patient_not_counted(patient, other_patient, plan):
    other_plan = make_active_plan(other_patient)
    log(other_patient, other_plan, date=DAY, pain_before=2, pain_after=2)
    log(other_patient, other_plan, date=DAY + dt.timedelta(days=1), pain_before=3, pain_after=3)

    log(patient, plan, date=DAY + dt.timedelta(days=2), pain_before=4, pain_after=4)

    assert alerts_of(patient) == []


def test_log_session_effort_above_range_once_opens_nothing(patient, plan):
    log(patient, plan, effort=14)

    assert alerts_of(patient) == []


def test_log_session_effort_above_range_twice_in_a_row_opens_effort_alert(patient, plan):
    log(patient, plan, date=DAY, effort=14)

    second = log(patient, plan, date=DAY + dt.timedelta(days=1), effort=15)

    assert alerts_of(patient) == [
        (
            "effort",
            "Effort above the prescribed range 2 sessions in a row (14, 15; top of range 13).",
        )
    ]
    assert Alert.objects.get().session == second.session


def test_log_session_effort_at_top_of_range_twice_opens_nothing(patient, plan):
    log(patient, plan, date=DAY, effort=13)
    log(patient, plan, date=DAY + dt.timedelta(days=1), effort=13)

    assert alerts_of(patient) == []


def test_log_session_effort_above_range_with_calm_session_between_opens_nothing(patient, plan):
    log(patient, plan, date=DAY, effort=14)
    log(patient, plan, date=DAY + dt.timedelta(days=1), effort=12)
    log(patient, plan, date=DAY + dt.timedelta(days=2), effort=14)

    assert alerts_of(patient) == []


def test_log_session_effort_uses_the_plans_prescription_effort_max(patient, plan):
    plan.prescriptions.update(effort_max=15)
    log(patient, plan, date=DAY, effort=15)
    log(patient, plan, date=DAY + dt.timedelta(days=1), effort=15)
    assert alerts_of(patient) == []

    log(patient, plan, date=DAY + dt.timedelta(days=2), effort=16)
    log(patient, plan, date=DAY + dt.timedelta(days=3), effort=17)

    assert alerts_of(patient) == [
        (
            "effort",
            "Effort above the prescribed range 2 sessions in a row (16, 17; top of range 15).",
        )
    ]


def test_log_session_effort_for_unprescribed_activity_opens_nothing(patient, plan):
    swimming = activity("Swimming").pk  # cleared, but not prescribed in this plan

    log(patient, plan, date=DAY, activity_id=swimming, effort=19)
    log(patient, plan, date=DAY + dt.timedelta(days=1), activity_id=swimming, effort=19)

    assert alerts_of(patient) == []


def test_log_session_effort_uses_each_activitys_own_prescription(patient, plan):
    PrescriptionFactory(plan=plan, activity=activity("Swimming"), effort_max=16)
    log(patient, plan, date=DAY, activity_id=activity("Swimming").pk, effort=15)

    log(patient, plan, date=DAY + dt.timedelta(days=1), effort=15)

    assert alerts_of(patient) == []


def test_log_session_new_symptom_opens_alert_first_time_only(patient, plan):
    first = log(patient, plan, date=DAY, symptoms=["balance"])
    log(patient, plan, date=DAY + dt.timedelta(days=1), symptoms=["balance"])

    assert alerts_of(patient) == [
        ("new_symptom", "New symptom reported: problems with balance or walking.")
    ]
    assert Alert.objects.get().session == first.session


def test_log_session_new_symptom_names_only_the_new_one(patient, plan):
    log(patient, plan, date=DAY, symptoms=["balance"])
    Alert.objects.all().delete()

    log(patient, plan, date=DAY + dt.timedelta(days=1), symptoms=["balance", "tiring_easily"])

    assert alerts_of(patient) == [("new_symptom", "New symptom reported: tiring easily.")]


def test_log_session_symptom_of_another_patient_is_still_new(patient, other_patient, plan):
    log(other_patient, make_active_plan(other_patient), symptoms=["balance"])

    log(patient, plan, symptoms=["balance"])

    assert alerts_of(patient) == [
        ("new_symptom", "New symptom reported: problems with balance or walking.")
    ]


def test_log_session_opens_pain_effort_and_symptom_alerts_together(patient, plan):
    log(patient, plan, date=DAY, effort=14)

    result = log(
        patient,
        plan,
        date=DAY + dt.timedelta(days=1),
        effort=14,
        pain_before=1,
        pain_after=7,
        symptoms=["coordination"],
    )

    assert alerts_of(patient) == [
        (
            "pain",
            "Pain after the session was 7/10, above 5; pain rose from 1 to 7 during the session.",
        ),
        (
            "effort",
            "Effort above the prescribed range 2 sessions in a row (14, 14; top of range 13).",
        ),
        ("new_symptom", "New symptom reported: loss of coordination."),
    ]
    assert set(Alert.objects.values_list("session", flat=True)) == {result.session.pk}


def test_log_session_filled_in_late_still_checked_against_the_next_session(patient, plan):
    log(patient, plan, date=DAY, effort=15)

    log(patient, plan, date=DAY - dt.timedelta(days=1), effort=15)

    assert [kind for kind, _ in alerts_of(patient)] == ["effort"]


# log_session and report_danger: danger signs ----------------------------------------------


def test_log_session_with_danger_signs_links_report_and_alert_to_session(patient, plan):
    result = log(patient, plan, danger_signs=["slurred_speech", "severe_headache"])

    report = DangerReport.objects.get()
    alert = Alert.objects.get(kind=AlertKind.DANGER_SIGN)
    assert result.danger_report == report
    assert (report.patient, report.signs, report.session) == (
        patient,
        ["slurred_speech", "severe_headache"],
        result.session,
    )
    assert (alert.patient, alert.message, alert.session, alert.danger_report, alert.is_open) == (
        patient,
        "Reported danger signs: slurred speech; a severe headache.",
        result.session,
        report,
        True,
    )


def test_log_session_with_danger_signs_also_runs_the_other_rules(patient, plan):
    log(patient, plan, danger_signs=["vision"], pain_before=4, pain_after=6)

    assert alerts_of(patient) == [
        (
            "danger_sign",
            "Reported danger signs: eye pain with blurred vision, or sudden loss of sight.",
        ),
        ("pain", "Pain after the session was 6/10, above 5."),
    ]


def test_log_session_danger_report_kept_when_session_refused(patient, plan):
    with pytest.raises(IntegrityError):
        log(patient, plan, danger_signs=["paralysis"], minutes=0)

    report = DangerReport.objects.get()
    assert (report.signs, report.session, SessionLog.objects.count()) == (["paralysis"], None, 0)
    assert alerts_of(patient) == [
        ("danger_sign", "Reported danger signs: cannot move part or all of the body (paralysis).")
    ]


def test_log_session_refused_with_request_key_raises_integrity_error(patient, plan):
    with pytest.raises(IntegrityError):
        log(patient, plan, minutes=0, request_key=uuid.uuid4())


def test_log_session_same_request_key_twice_saves_once(patient, plan):
    key = uuid.uuid4()
    first = log(patient, plan, request_key=key, pain_after=7, symptoms=["balance"])

    second = log(patient, plan, request_key=key, pain_after=7, symptoms=["balance"])

    assert (second.created, second.session.pk) == (False, first.session.pk)
    assert SessionLog.objects.count() == 1
    assert ReportedSymptom.objects.count() == 1
    assert [kind for kind, _ in alerts_of(patient)] == ["pain", "new_symptom"]


def test_log_session_same_request_key_twice_with_danger_signs_one_report(patient, plan):
    key = uuid.uuid4()
    first = log(patient, plan, request_key=key, danger_signs=["alertness"], pain_after=7)

    second = log(patient, plan, request_key=key, danger_signs=["alertness"], pain_after=7)

    assert (second.created, second.session, second.danger_report) == (
        False,
        first.session,
        first.danger_report,
    )
    assert (SessionLog.objects.count(), DangerReport.objects.count()) == (1, 1)
    assert [kind for kind, _ in alerts_of(patient)] == ["danger_sign", "pain"]


def test_log_session_second_submission_returns_first_session_unchanged(patient, plan):
    key = uuid.uuid4()
    first = log(patient, plan, request_key=key, minutes=20)

    second = log(patient, plan, request_key=key, minutes=45)

    assert (second.session.pk, SessionLog.objects.get().minutes) == (first.session.pk, 20)


def test_log_session_without_request_key_saves_each_submission(patient, plan):
    log(patient, plan)
    log(patient, plan)

    assert SessionLog.objects.count() == 2


def test_log_session_twin_that_missed_the_first_row_saves_no_second(patient, plan, monkeypatch):
    # Two submissions at once: the twin looks for the key before the first one's row is
    # visible, so only the unique key stands between them and a second row.
    key = uuid.uuid4()
    first = log(patient, plan, request_key=key, pain_after=7, symptoms=["balance"])

    class RacingManager:
        def filter(self, **lookups):
            return SessionLog.objects.none()

        def get(self, **lookups):
            return SessionLog.objects.get(**lookups)

    monkeypatch.setattr(SessionLog._meta, "default_manager", RacingManager())
    second = log(patient, plan, request_key=key, pain_after=7, symptoms=["balance"])

    assert (second.created, second.session.pk) == (False, first.session.pk)
    assert SessionLog.objects.count() == 1
    assert ReportedSymptom.objects.count() == 1
    assert [kind for kind, _ in alerts_of(patient)] == ["pain", "new_symptom"]


def test_log_session_after_report_danger_with_same_key_links_that_report(patient, plan):
    key = uuid.uuid4()
    report = report_danger(patient=patient, signs=["paralysis"], request_key=key)

    result = log(patient, plan, request_key=key, danger_signs=["paralysis"])

    assert result.danger_report == report
    assert DangerReport.objects.count() == 1
    report.refresh_from_db()
    alert = Alert.objects.get()
    assert (report.session, alert.kind, alert.session, alert.danger_report) == (
        result.session,
        AlertKind.DANGER_SIGN,
        result.session,
        report,
    )


def test_report_danger_alone_opens_alert_without_session(patient):
    report = report_danger(patient=patient, signs=["alertness"], notes="Fainted on the stairs.")

    alert = Alert.objects.get()
    assert (report.patient, report.signs, report.notes, report.session) == (
        patient,
        ["alertness"],
        "Fainted on the stairs.",
        None,
    )
    assert (alert.kind, alert.message, alert.danger_report, alert.session, alert.is_open) == (
        AlertKind.DANGER_SIGN,
        "Reported danger signs: feeling confused, less alert, or having fainted.",
        report,
        None,
        True,
    )


def test_report_danger_same_key_twice_saves_once(patient):
    key = uuid.uuid4()
    first = report_danger(patient=patient, signs=["vision"], request_key=key)

    second = report_danger(patient=patient, signs=["vision"], request_key=key)

    assert second == first
    assert (DangerReport.objects.count(), Alert.objects.count()) == (1, 1)


def test_report_danger_every_sign_fits_alert_message(patient):
    signs = ["alertness", "slurred_speech", "paralysis", "vision", "severe_headache"]

    report_danger(patient=patient, signs=signs)

    alert = Alert.objects.get()
    assert len(alert.message) == 210


def test_log_session_every_symptom_fits_alert_message(patient, plan):
    symptoms = [
        "balance",
        "facial_weakness",
        "speech_memory",
        "hands_feet",
        "coordination",
        "numbness",
        "losing_movement",
        "worsening_weakness",
        "tiring_easily",
    ]

    log(patient, plan, symptoms=symptoms)

    assert len(Alert.objects.get(kind=AlertKind.NEW_SYMPTOM).message) == 288


# edit_session -----------------------------------------------------------------------------


def test_edit_session_keeps_exact_before_snapshot(patient, plan):
    session = log(
        patient,
        plan,
        start_time=dt.time(7, 30),
        distance_m=1500,
        symptoms=["tiring_easily"],
        notes="Windy.",
    ).session

    edit_session(session=session, by=patient, entry=entry(minutes=30, notes="Very windy."))

    revision = SessionRevision.objects.get()
    assert (revision.session, revision.action, revision.changed_by) == (
        session,
        SessionRevision.Action.EDITED,
        patient,
    )
    assert revision.before == {
        "activity": activity("Walking").pk,
        "date": "2026-01-12",
        "start_time": "07:30:00",
        "minutes": 20,
        "distance_m": 1500,
        "distance_unit": "m",
        "average_heart_rate": None,
        "highest_heart_rate": None,
        "effort": 11,
        "pain_before": 1,
        "pain_after": 2,
        "symptoms": ["tiring_easily"],
        "notes": "Windy.",
    }


def test_edit_session_saves_new_values(patient, plan):
    session = log(patient, plan, symptoms=["balance"]).session

    edit_session(
        session=session,
        by=patient,
        entry=entry(
            activity_id=activity("Swimming").pk,
            date=DAY - dt.timedelta(days=1),
            start_time=dt.time(18, 0),
            minutes=15,
            distance_m=800,
            effort=10,
            pain_before=0,
            pain_after=1,
            symptoms=["numbness"],
            notes="Pool.",
        ),
    )

    session.refresh_from_db()
    assert (
        session.activity,
        session.date,
        session.start_time,
        session.minutes,
        session.distance_m,
        session.effort,
        session.pain_before,
        session.pain_after,
        session.symptoms,
        session.notes,
    ) == (
        activity("Swimming"),
        DAY - dt.timedelta(days=1),
        dt.time(18, 0),
        15,
        800,
        10,
        0,
        1,
        ["numbness"],
        "Pool.",
    )
    assert list(ReportedSymptom.objects.values_list("session", "code")) == [
        (session.pk, "numbness")
    ]


def test_edit_session_each_edit_keeps_its_own_revision(patient, plan):
    session = log(patient, plan, minutes=20).session

    edit_session(session=session, by=patient, entry=entry(minutes=25))
    edit_session(session=session, by=patient, entry=entry(minutes=30))

    befores = SessionRevision.objects.order_by("pk").values_list("before__minutes", flat=True)
    assert list(befores) == [20, 25]


def test_edit_session_pain_after_8_opens_pain_alert(patient, plan):
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(pain_after=8))

    alert = Alert.objects.get()
    assert (alert.kind, alert.message, alert.session) == (
        AlertKind.PAIN,
        "Pain after the session was 8/10, above 5; pain rose from 1 to 8 during the session.",
        session,
    )


def test_edit_session_twice_keeps_one_open_pain_alert_per_session(patient, plan):
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(pain_after=8))
    edit_session(session=session, by=patient, entry=entry(pain_after=9))

    assert alerts_of(patient) == [
        (
            "pain",
            "Pain after the session was 8/10, above 5; pain rose from 1 to 8 during the session.",
        )
    ]


def test_edit_session_already_alerted_by_logging_opens_no_second_alert(patient, plan):
    session = log(patient, plan, pain_after=7).session

    edit_session(session=session, by=patient, entry=entry(pain_after=8))

    assert [kind for kind, _ in alerts_of(patient)] == ["pain"]


def test_edit_session_pain_alert_of_another_session_does_not_stop_this_one(patient, plan):
    log(patient, plan, date=DAY - dt.timedelta(days=1), pain_after=7)
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(pain_after=8))

    assert Alert.objects.filter(kind=AlertKind.PAIN, session=session).count() == 1
    assert Alert.objects.filter(kind=AlertKind.PAIN).count() == 2


def test_edit_session_calm_edit_opens_nothing(patient, plan):
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(minutes=25, notes="Fine."))

    assert alerts_of(patient) == []


def test_edit_session_adding_a_new_symptom_opens_alert(patient, plan):
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(symptoms=["hands_feet"]))

    assert alerts_of(patient) == [
        ("new_symptom", "New symptom reported: tingling or weakness in the hands or feet.")
    ]


def test_edit_session_symptom_known_from_another_session_not_new(patient, plan):
    log(patient, plan, date=DAY - dt.timedelta(days=1), symptoms=["balance"])
    Alert.objects.all().delete()
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(symptoms=["balance"]))

    assert alerts_of(patient) == []


def test_edit_session_effort_compared_with_earlier_session(patient, plan):
    log(patient, plan, date=DAY - dt.timedelta(days=1), effort=14)
    session = log(patient, plan, effort=12).session

    edit_session(session=session, by=patient, entry=entry(effort=16))

    assert alerts_of(patient) == [
        (
            "effort",
            "Effort above the prescribed range 2 sessions in a row (14, 16; top of range 13).",
        )
    ]


def test_edit_session_after_symptom_alert_acknowledged_does_not_report_it_again(
    patient, plan, physio
):
    session = log(patient, plan, symptoms=["balance"]).session
    acknowledge_alert(alert=Alert.objects.get(), by=physio)

    edit_session(session=session, by=patient, entry=entry(symptoms=["balance"], notes="Typo."))

    assert list(Alert.objects.open()) == []


def test_edit_session_adding_symptom_after_acknowledgement_names_only_the_added_one(
    patient, plan, physio
):
    session = log(patient, plan, symptoms=["balance"]).session
    acknowledge_alert(alert=Alert.objects.get(), by=physio)

    edit_session(session=session, by=patient, entry=entry(symptoms=["balance", "numbness"]))

    assert list(Alert.objects.open().values_list("message", flat=True)) == [
        "New symptom reported: numbness or tingling in the arms or legs."
    ]


# delete_session ---------------------------------------------------------------------------


def test_delete_session_sets_deleted_at_and_records_revision(patient, plan):
    session = log(patient, plan, symptoms=["balance"]).session
    before = timezone.now()

    delete_session(session=session, by=patient)

    session.refresh_from_db()
    revision = SessionRevision.objects.get()
    assert session.deleted_at is not None
    assert before <= session.deleted_at <= timezone.now()
    assert (revision.session, revision.action, revision.changed_by) == (
        session,
        SessionRevision.Action.DELETED,
        patient,
    )
    assert revision.before == {
        "activity": activity("Walking").pk,
        "date": "2026-01-12",
        "start_time": None,
        "minutes": 20,
        "distance_m": None,
        "distance_unit": "m",
        "average_heart_rate": None,
        "highest_heart_rate": None,
        "effort": 11,
        "pain_before": 1,
        "pain_after": 2,
        "symptoms": ["balance"],
        "notes": "",
    }


def test_delete_session_twice_changes_nothing_more(patient, plan, physio):
    session = log(patient, plan).session
    delete_session(session=session, by=patient)
    session.refresh_from_db()
    deleted_at = session.deleted_at

    delete_session(session=session, by=physio)

    session.refresh_from_db()
    assert session.deleted_at == deleted_at
    assert list(SessionRevision.objects.values_list("action", "changed_by")) == [
        ("deleted", patient.pk)
    ]


def test_delete_session_keeps_the_row(patient, plan):
    session = log(patient, plan).session

    delete_session(session=session, by=patient)

    assert SessionLog.objects.filter(pk=session.pk).count() == 1


def test_session_current_excludes_deleted(patient, plan):
    kept = log(patient, plan, date=DAY).session
    gone = log(patient, plan, date=DAY + dt.timedelta(days=1)).session

    delete_session(session=gone, by=patient)

    assert list(SessionLog.objects.current()) == [kept]


def test_delete_session_not_an_earlier_session_for_effort(patient, plan):
    gone = log(patient, plan, date=DAY, effort=15).session
    delete_session(session=gone, by=patient)

    log(patient, plan, date=DAY + dt.timedelta(days=1), effort=15)

    assert alerts_of(patient) == []


def test_delete_session_not_an_earlier_session_for_pain_trend(patient, plan):
    log(patient, plan, date=DAY, pain_before=2, pain_after=2)
    gone = log(patient, plan, date=DAY + dt.timedelta(days=1), pain_before=3, pain_after=3).session
    delete_session(session=gone, by=patient)

    log(patient, plan, date=DAY + dt.timedelta(days=2), pain_before=4, pain_after=4)

    assert alerts_of(patient) == []


def test_delete_session_earlier_sessions_reach_past_the_deleted_one(patient, plan):
    # With the deleted session skipped, the trend is 1 → 2 → 4 from the sessions that count.
    log(patient, plan, date=DAY, pain_before=1, pain_after=1)
    log(patient, plan, date=DAY + dt.timedelta(days=1), pain_before=2, pain_after=2)
    gone = log(patient, plan, date=DAY + dt.timedelta(days=2), pain_before=0, pain_after=0).session
    delete_session(session=gone, by=patient)

    log(patient, plan, date=DAY + dt.timedelta(days=3), pain_before=4, pain_after=4)

    assert alerts_of(patient) == [
        ("pain", "Pain after has risen over 3 sessions in a row (1 → 2 → 4).")
    ]


def test_edit_session_ignores_deleted_earlier_session(patient, plan):
    gone = log(patient, plan, date=DAY - dt.timedelta(days=1), effort=15).session
    delete_session(session=gone, by=patient)
    session = log(patient, plan).session

    edit_session(session=session, by=patient, entry=entry(effort=15))

    assert alerts_of(patient) == []


# acknowledge_alert ------------------------------------------------------------------------


def test_acknowledge_alert_sets_who_when_and_note(patient, plan, physio):
    log(patient, plan, pain_after=8)
    alert = Alert.objects.get()
    before = timezone.now()

    done = acknowledge_alert(alert=alert, by=physio, note="Called; load reduced.")

    alert.refresh_from_db()
    assert done is True
    assert (alert.acknowledged_by, alert.acknowledgement_note, alert.is_open) == (
        physio,
        "Called; load reduced.",
        False,
    )
    assert before <= alert.acknowledged_at <= timezone.now()
    assert list(Alert.objects.open()) == []


def test_acknowledge_alert_already_acknowledged_changes_nothing(patient, plan, physio):
    log(patient, plan, pain_after=8)
    alert = Alert.objects.get()
    acknowledge_alert(alert=alert, by=physio, note="Called.")
    alert.refresh_from_db()
    first = (alert.acknowledged_at, alert.acknowledged_by, alert.acknowledgement_note)

    done = acknowledge_alert(alert=alert, by=PhysiotherapistFactory(), note="Seen too.")

    alert.refresh_from_db()
    assert done is False
    assert (alert.acknowledged_at, alert.acknowledged_by, alert.acknowledgement_note) == first


def test_acknowledge_alert_closes_only_that_alert(patient, plan, physio):
    log(patient, plan, pain_after=8, symptoms=["balance"])
    pain, symptom = Alert.objects.order_by("pk")

    acknowledge_alert(alert=pain, by=physio)

    assert list(Alert.objects.open()) == [symptom]


def test_acknowledged_pain_alert_lets_an_edit_open_a_new_one(patient, plan, physio):
    session = log(patient, plan, pain_after=7).session
    acknowledge_alert(alert=Alert.objects.get(), by=physio)

    edit_session(session=session, by=patient, entry=entry(pain_after=9))

    assert list(Alert.objects.open().values_list("message", flat=True)) == [
        "Pain after the session was 9/10, above 5; pain rose from 1 to 9 during the session."
    ]


# Database constraints ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minutes", 0),
        ("minutes", 301),
        ("effort", 5),
        ("effort", 21),
        ("pain_before", 11),
        ("pain_after", 11),
        ("pain_before", -1),
        ("pain_after", -1),
        ("distance_m", 100_001),
    ],
)
def test_session_check_constraint_refuses_out_of_range(plan, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionLogFactory(plan=plan, **{field: value})

    assert SessionLog.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minutes", 1),
        ("minutes", 300),
        ("effort", 6),
        ("effort", 20),
        ("pain_before", 0),
        ("pain_after", 10),
        ("distance_m", 100_000),
    ],
)
def test_session_check_constraint_accepts_range_ends(plan, field, value):
    session = SessionLogFactory(plan=plan, **{field: value})

    session.refresh_from_db()
    assert getattr(session, field) == value


def test_reported_symptom_once_per_session(patient, plan):
    session = log(patient, plan, symptoms=["balance"]).session

    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedSymptom.objects.create(session=session, patient=patient, code="balance")


def test_alert_acknowledged_without_who_refused(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            patient=patient, kind=AlertKind.PAIN, message="Pain.", acknowledged_at=timezone.now()
        )
