"""access.session_of: the session a comment sits beside, one of this patient's, seen by
someone who may open their record; 404 for anything else."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.factories import SessionLogFactory, make_active_plan
from tracker.access import session_of

pytestmark = pytest.mark.django_db


def test_session_of_the_patient_is_found_with_its_plan(physio, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))

    found = session_of(physio, patient, str(session.pk))

    assert (found, found.plan) == (session, session.plan)


def test_session_of_another_patient_is_404(physio, patient, other_patient):
    theirs = SessionLogFactory(plan=make_active_plan(other_patient))

    with pytest.raises(Http404):
        session_of(physio, patient, theirs.pk)


def test_session_of_a_patient_off_my_care_team_is_404(other_physio, patient):
    session = SessionLogFactory(plan=make_active_plan(patient))

    with pytest.raises(Http404):
        session_of(other_physio, patient, session.pk)


@pytest.mark.parametrize("pk", [None, "", "abc", "999999"])
def test_session_of_no_such_session_is_404(physio, patient, pk):
    with pytest.raises(Http404):
        session_of(physio, patient, pk)
