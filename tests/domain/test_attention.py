"""The kept triage: every write that changes who needs attention moves the patient on the
caseload at once, a new day works the rows out again, and a refresh that read a patient before
a write does not overwrite what the write cleared."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.clock import TODAY
from tests.conftest import client_for
from tests.factories import SessionLogFactory, log_form, make_active_plan, make_patient
from tracker.domain.alerts import acknowledge_alert
from tracker.domain.attention import TIER_LABELS, mark_stale, refresh, refresh_everyone
from tracker.domain.checks import run_checks
from tracker.domain.invitations import (
    accept_invitation,
    invite_patient,
    resend_invitation,
    revoke_invitation,
)
from tracker.domain.plans import change_status
from tracker.models import Alert, AlertKind, Attention, PlanStatus, User
from tracker.rules.thresholds import SILENCE_DAYS

pytestmark = pytest.mark.django_db


def reasons(physio) -> dict[str, str]:
    """What the physiotherapist's caseload says of each patient, as they see it now."""
    response = client_for(physio).get("/caseload/")
    assert response.status_code == 200
    return {row.patient.first_name: row.reason for row in response.context["rows"]}


SILENT = TIER_LABELS[3]


def steady_patient(physio, first_name: str, *, today_too: bool = True) -> User:
    """On a plan for six weeks, three walks a week until nine days ago, and one today."""
    patient = make_patient(care_team=[physio], user__first_name=first_name)
    plan = make_active_plan(patient)
    plan.starts_on = TODAY - dt.timedelta(weeks=6)
    plan.save()
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    for back in (7, 9, 11, 12, 13, 14):
        SessionLogFactory(plan=plan, date=monday - dt.timedelta(days=back))
    if today_too:
        SessionLogFactory(plan=plan, date=TODAY)
    return patient


def test_a_new_patient_has_a_row_at_once_and_is_on_the_caseload(physio):
    patient = make_patient(care_team=[physio], user__first_name="New")

    assert Attention.objects.get(patient=patient).as_of is None  # made stale, to be worked out
    assert reasons(physio) == {"New": SILENT}
    assert Attention.objects.get(patient=patient).as_of == TODAY


def test_a_patient_without_a_row_is_given_one_by_the_daily_checks(physio):
    patient = steady_patient(physio, "Made")
    Attention.objects.filter(patient=patient).delete()  # an account made by other means

    run_checks(today=TODAY)

    assert Attention.objects.get(patient=patient).as_of == TODAY
    assert reasons(physio) == {"Made": "On track"}


def test_a_session_logged_after_the_caseload_was_read_moves_the_patient(physio):
    patient = steady_patient(physio, "Quiet", today_too=False)
    assert reasons(physio) == {"Quiet": SILENT}

    response = client_for(patient).post("/log/", log_form())
    assert response.status_code == 302

    assert reasons(physio) == {"Quiet": "On track"}


def test_pain_reported_with_a_session_raises_the_patient_at_once(physio):
    patient = steady_patient(physio, "Sore")
    assert reasons(physio) == {"Sore": "On track"}

    client_for(patient).post("/log/", log_form(pain_after="7"))

    assert Alert.objects.open().filter(patient=patient, kind=AlertKind.PAIN).exists()
    assert reasons(physio) == {"Sore": "Pain or effort"}


def test_closing_the_only_alert_lowers_the_patient_at_once(physio):
    patient = steady_patient(physio, "Dan")
    alert = Alert.objects.create(patient=patient, kind=AlertKind.DANGER_SIGN, message="Faint.")
    assert reasons(physio) == {"Dan": "Danger sign"}

    assert acknowledge_alert(alert=alert, by=physio, note="Called; seen by GP.")

    assert reasons(physio) == {"Dan": "On track"}


def test_pausing_the_plan_moves_the_patient_at_once(physio):
    patient = steady_patient(physio, "Paula")
    assert reasons(physio) == {"Paula": "On track"}

    change_status(
        plan=patient.plans.get(), to=PlanStatus.PAUSED, today=TODAY, by=physio, reason="Flu."
    )

    assert reasons(physio) == {"Paula": "Plan paused"}


def test_an_alert_closed_in_the_django_admin_lowers_the_patient(physio, admin_user):
    patient = steady_patient(physio, "Adam")
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 6/10.")
    assert reasons(physio) == {"Adam": "Pain or effort"}

    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = admin_user
    alert.save()  # as the admin's change form saves it

    assert reasons(physio) == {"Adam": "On track"}


def test_a_new_day_works_the_rows_out_again(physio):
    patient = make_patient(care_team=[physio], user__first_name="Fading")
    plan = make_active_plan(patient)
    SessionLogFactory(plan=plan, date=TODAY - dt.timedelta(days=SILENCE_DAYS - 1))
    plan.status = PlanStatus.COMPLETED  # nothing planned now: only silence can raise them
    plan.save()
    assert reasons(physio) == {"Fading": "On track"}  # a day short of silent

    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        assert reasons(physio) == {"Fading": SILENT}
        assert Attention.objects.get(patient=patient).as_of == TODAY + dt.timedelta(days=2)


def test_the_daily_checks_leave_every_row_worked_out_for_the_day(physio, other_physio):
    mine = steady_patient(physio, "Mine")
    theirs = steady_patient(other_physio, "Theirs")
    mark_stale([mine.pk, theirs.pk])

    run_checks(today=TODAY)

    assert set(Attention.objects.values_list("patient_id", "as_of")) == {
        (mine.pk, TODAY),
        (theirs.pk, TODAY),
    }


def test_a_fresh_row_is_not_worked_out_again_the_same_day(physio, django_assert_num_queries):
    steady_patient(physio, "Still")
    refresh_everyone(today=TODAY)
    version = Attention.objects.get().version

    with django_assert_num_queries(1):
        refresh(User.objects.filter(role="patient"), today=TODAY)

    assert Attention.objects.get().version == version


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time: no race"
)
@pytest.mark.django_db(transaction=True)
def test_a_refresh_that_read_the_patient_before_a_write_does_not_hide_the_write(physio):
    """A caseload works the stale row out while the patient's session is being saved: its
    update waits for the save and then finds the row cleared again, so it leaves it stale,
    and the next caseload shows the session."""
    patient = steady_patient(physio, "Racing", today_too=False)
    plan = patient.plans.get()
    refresh_everyone(today=TODAY)
    mark_stale([patient.pk])  # stale before either begins
    saved, done = threading.Event(), threading.Event()

    def refresh_meanwhile() -> None:
        saved.wait()
        try:
            refresh(User.objects.filter(pk=patient.pk), today=TODAY)
        finally:
            connections.close_all()
            done.set()

    other = threading.Thread(target=refresh_meanwhile)
    other.start()
    with transaction.atomic():
        SessionLogFactory(plan=plan, date=TODAY)  # clears the row, holding its lock
        saved.set()
        time.sleep(0.5)  # the refresh has read the patient without the session and now waits
    done.wait(10)
    other.join()

    assert Attention.objects.get(patient=patient).as_of is None
    assert reasons(physio) == {"Racing": "On track"}


# Invited patients who have not joined yet (issue 16's review) ------------------------------

INVITED = "Invited, not joined yet"


def invited(physio, first_name: str):
    invitation, _ = invite_patient(
        by=physio,
        first_name=first_name,
        last_name="Quinn",
        email=f"{first_name.lower()}@example.org",
        profile={},
        care_team=[physio],
    )
    return invitation


def test_a_patient_invited_and_not_joined_is_not_silent_and_sorts_below_those_on_track(physio):
    make_patient(care_team=[physio], user__first_name="Quiet")
    steady_patient(physio, "Steady")
    invitation = invited(physio, "Nora")
    make_active_plan(invitation.user)  # a plan made before they joined: not "behind" either

    seen = reasons(physio)

    assert seen == {"Quiet": SILENT, "Steady": "On track", "Nora": INVITED}
    assert list(seen) == ["Quiet", "Steady", "Nora"]
    row = Attention.objects.get(patient=invitation.user)
    assert (row.silent, row.behind) == (False, False)


def test_accepting_the_invitation_counts_the_patient_from_then(physio):
    invitation = invited(physio, "Nora")
    assert reasons(physio) == {"Nora": INVITED}

    accept_invitation(invitation=invitation, password="a long pass phrase 93")

    assert Attention.objects.get(patient=invitation.user).as_of is None
    assert reasons(physio) == {"Nora": SILENT}


def test_revoking_or_resending_the_invitation_marks_the_row_stale(physio):
    invitation = invited(physio, "Nora")
    reasons(physio)

    resend_invitation(by=physio, invitation=invitation)
    assert Attention.objects.get(patient=invitation.user).as_of is None
    reasons(physio)
    revoke_invitation(by=physio, invitation=invitation)
    assert Attention.objects.get(patient=invitation.user).as_of is None

    # Withdrawn before they ever joined: still not silent, in the calm part of the list.
    assert reasons(physio) == {"Nora": "Invitation withdrawn, not joined"}
    assert not Attention.objects.get(patient=invitation.user).silent
