"""Factories for the tests: the one place that knows how to make test records."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from tracker.models import (
    Activity,
    AtrophyKind,
    Clearance,
    PatientProfile,
    Plan,
    PlanStatus,
    PlanTemplate,
    Prescription,
    Role,
    SessionLog,
    TemplatePrescription,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.PATIENT
    password = factory.django.Password(PASSWORD)


class PhysiotherapistFactory(UserFactory):
    username = factory.Sequence(lambda n: f"physio{n}")
    role = Role.PHYSIOTHERAPIST


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.ADMIN
    is_superuser = True


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.PATIENT)
    date_of_birth = dt.date(1970, 5, 1)
    atrophy_kind = AtrophyKind.DISUSE

    @factory.post_generation
    def care_team(self, create: bool, physios: list[User] | None, **kwargs) -> None:
        if create and physios:
            self.care_team.add(*physios)


def make_patient(*, care_team: list[User] | None = None, **profile_fields) -> User:
    """A patient with a profile, on the given care team."""
    profile = PatientProfileFactory(care_team=care_team or [], **profile_fields)
    return profile.user


def activity(name: str) -> Activity:
    """One of the activities the migrations seed: Walking, Swimming or Jogging."""
    return Activity.objects.get(name=name)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    name = factory.Sequence(lambda n: f"Cycling {n}")
    impact = "low"
    weight_bearing = False
    met = "6.8"


class ClearanceFactory(factory.django.DjangoModelFactory):
    """A current clearance for walking and swimming, 30-minute sessions, no high impact.
    Pass `activities=[...]` to choose what it allows."""

    class Meta:
        model = Clearance
        skip_postgeneration_save = True

    patient = factory.SubFactory(UserFactory, role=Role.PATIENT)
    physician_name = "Dr Ines Duarte"
    physician_registration = "GMC 7012345"
    cleared_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    max_session_minutes = 30
    high_impact_allowed = False
    weight_bearing_allowed = True
    recorded_by = factory.SubFactory(PhysiotherapistFactory)

    @factory.post_generation
    def activities(self, create: bool, chosen: list[Activity] | None, **kwargs) -> None:
        if create:
            self.activities.set(
                chosen if chosen is not None else [activity("Walking"), activity("Swimming")]
            )


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    clearance = factory.SubFactory(ClearanceFactory)
    patient = factory.SelfAttribute("clearance.patient")
    title = "Walking back to strength"
    status = PlanStatus.DRAFT
    starts_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SelfAttribute("clearance.recorded_by")


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    plan = factory.SubFactory(PlanFactory)
    activity = factory.LazyFunction(lambda: activity("Walking"))
    sessions_per_week = 3
    start_minutes = 10
    max_minutes = 30
    weekly_progression_percent = 10
    effort_min = 9
    effort_max = 13


class PlanTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class TemplatePrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplatePrescription

    template = factory.SubFactory(PlanTemplateFactory)
    activity = factory.LazyFunction(lambda: activity("Walking"))
    sessions_per_week = 3
    start_minutes = 10
    max_minutes = 30


def make_active_plan(patient: User, **clearance_fields) -> Plan:
    """An active plan for `patient`: walking 3 a week from 10 minutes, on a current clearance."""
    clearance = ClearanceFactory(patient=patient, **clearance_fields)
    plan = PlanFactory(clearance=clearance, status=PlanStatus.ACTIVE)
    PrescriptionFactory(plan=plan)
    return plan


class SessionLogFactory(factory.django.DjangoModelFactory):
    """A logged session, written straight to the table: no rules run. To test the rules, go
    through tracker.domain.logbook.log_session instead."""

    class Meta:
        model = SessionLog

    plan = factory.SubFactory(PlanFactory, status=PlanStatus.ACTIVE)
    patient = factory.SelfAttribute("plan.patient")
    activity = factory.LazyFunction(lambda: activity("Walking"))
    date = factory.LazyFunction(timezone.localdate)
    minutes = 20
    effort = 11
    pain_before = 1
    pain_after = 2


def log_week(plan: Plan, week: int, sessions: int, **fields) -> list[SessionLog]:
    """`sessions` sessions on the first days of the plan's week `week` (0 is the first)."""
    start = plan.starts_on + dt.timedelta(weeks=week)
    return [
        SessionLogFactory(plan=plan, date=start + dt.timedelta(days=day), **fields)
        for day in range(sessions)
    ]


def prescription_form(name: str, **overrides) -> dict:
    """What the plan editor's add form posts for `name`, 3 sessions a week from 10 minutes
    growing to 30 by 10% a week, effort 9 to 13, with `overrides` put over it."""
    data = {
        "activity": activity(name).pk,
        "sessions_per_week": "3",
        "start_minutes": "10",
        "max_minutes": "30",
        "weekly_progression_percent": "10",
        "effort_min": "9",
        "effort_max": "13",
    }
    return data | overrides


def log_form(**fields) -> dict:
    """What the log form posts for a plain 20-minute walk today, a fresh save-once key and
    no danger signs, with `fields` put over it; a field given as None is left out."""
    data = {
        "request_key": str(uuid.uuid4()),
        "activity": activity("Walking").pk,
        "date": timezone.localdate().isoformat(),
        "minutes": "20",
        "distance_unit": "km",
        "effort": "12",
        "pain_before": "1",
        "pain_after": "2",
        "no_danger_signs": "on",
    } | fields
    return {key: value for key, value in data.items() if value is not None}
