"""The Django admin's list of the audit trail: it opens with the same queries however long the
trail, and its search and filters find the events asked for, without reading the whole trail
to offer their choices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tracker.admin.paginator import EstimatedCountPaginator
from tracker.models import AuditAction, AuditEvent, Role, User

pytestmark = pytest.mark.django_db

URL = reverse("admin:tracker_auditevent_changelist")


def event(patient: User, *, what: str = "record", **fields) -> AuditEvent:
    values = {
        "actor_name": "Sam Physio",
        "actor_role": Role.PHYSIOTHERAPIST,
        "action": AuditAction.READ,
        "path": "/records/",
        **fields,
    }
    return AuditEvent.objects.create(patient=patient, what=what, **values)


def listed(response) -> list[str]:
    return [e.what for e in response.context["cl"].result_list]


@pytest.mark.parametrize("events", [1, 30])
def test_audit_list_opens_with_the_same_queries_for_one_event_and_many(
    admin_client, patient, django_assert_num_queries, events
):
    for number in range(events):
        event(patient, what=f"record {number}")

    # The session, the admin, the count and the page; PostgreSQL reads the table's estimated
    # size first (tracker/admin/paginator.py).
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        response = admin_client.get(URL)

    assert response.status_code == 200
    assert len(listed(response)) == min(events, 100)


def test_audit_list_has_no_date_hierarchy_and_no_full_count(admin_client, patient):
    event(patient)

    response = admin_client.get(URL + "?action=read")

    changelist = response.context["cl"]
    assert changelist.date_hierarchy is None
    assert changelist.show_full_result_count is False
    assert changelist.full_result_count is None


def test_audit_list_search_finds_by_patient_name(admin_client, patient, other_patient):
    event(patient, what="about the patient")
    event(other_patient, what="about the other")

    response = admin_client.get(URL, {"q": patient.last_name})

    assert listed(response) == ["about the patient"]


def test_audit_list_filters_by_action(admin_client, patient):
    event(patient, what="read it", action=AuditAction.READ)
    event(patient, what="exported it", action=AuditAction.EXPORT)

    response = admin_client.get(URL, {"action": AuditAction.EXPORT})

    assert listed(response) == ["exported it"]


def test_audit_list_filters_by_actor_role_from_fixed_choices(admin_client, patient):
    event(patient, what="by the physio", actor_role=Role.PHYSIOTHERAPIST)
    event(patient, what="by the admin", actor_role=Role.ADMIN)

    response = admin_client.get(URL, {"actor_role": Role.ADMIN})

    assert listed(response) == ["by the admin"]
    role_filter = response.context["cl"].filter_specs[1]
    assert [choice["display"] for choice in role_filter.choices(response.context["cl"])] == [
        "All",
        "Patient",
        "Physiotherapist",
        "Admin",
    ]


def test_audit_list_filters_by_date(admin_client, patient):
    old = event(patient, what="long ago")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=60))
    event(patient, what="today")
    changelist = admin_client.get(URL).context["cl"]
    date_filter = changelist.filter_specs[2]
    today = next(c for c in date_filter.choices(changelist) if c["display"] == "Today")

    response = admin_client.get(URL + today["query_string"])

    assert listed(response) == ["today"]


def test_estimated_paginator_counts_exactly_when_filtered(patient):
    event(patient, action=AuditAction.READ)
    event(patient, action=AuditAction.EXPORT)

    paginator = EstimatedCountPaginator(AuditEvent.objects.filter(action=AuditAction.READ), 10)

    assert paginator.count == 1


def test_estimated_paginator_counts_exactly_below_its_threshold(patient):
    event(patient)
    event(patient)

    assert EstimatedCountPaginator(AuditEvent.objects.all(), 10).count == 2


def test_estimated_paginator_reads_the_planners_estimate_for_a_large_unfiltered_table(
    patient, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; this run uses " + connection.vendor)
    for _ in range(3):
        event(patient)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {AuditEvent._meta.db_table}")
    monkeypatch.setattr("tracker.admin.paginator.EXACT_BELOW", 0)
    AuditEvent.objects.all().delete()  # the estimate still says 3: no count was made

    assert EstimatedCountPaginator(AuditEvent.objects.all(), 10).count == 3
