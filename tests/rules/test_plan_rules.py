"""Plan rules: what a clearance allows, when a plan may be active, and the writes to plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    ActivityFactory,
    ClearanceFactory,
    PhysiotherapistFactory,
    PlanFactory,
    PlanTemplateFactory,
    PrescriptionFactory,
    TemplatePrescriptionFactory,
    activity,
    make_patient,
)
from tracker.domain import plans
from tracker.domain.plans import PlanRefused, change_status, create_plan
from tracker.models import AtrophyKind, Clearance, Plan, PlanStatus, Prescription
from tracker.rules.plans import (
    ALLOWED_MOVES,
    Limits,
    PrescriptionFacts,
    activation_problems,
    activity_problem,
    clearance_problem,
    is_supervised,
    is_suspended,
    prescription_problems,
    this_weeks_target,
    week_of_plan,
)

pytestmark = pytest.mark.django_db

CLEARED_ON = dt.date(2026, 1, 5)
VALID_UNTIL = dt.date(2026, 3, 31)
TODAY = dt.date(2026, 2, 2)

SUPERVISED = (
    "Supervised plan: with nerve-related (neurogenic) atrophy, only your care team raises targets."
)
JOGGING_HIGH_IMPACT = (
    "Jogging is high-impact, and the clearance does not allow high-impact exercise. "
    "Choose a low-impact activity such as walking or swimming."
)


def make_limits(**overrides) -> Limits:
    fields = {
        "physician_name": "Dr Ines Duarte",
        "cleared_on": CLEARED_ON,
        "valid_until": VALID_UNTIL,
        "allowed_activity_ids": frozenset({activity("Walking").pk, activity("Swimming").pk}),
        "max_session_minutes": 30,
        "high_impact_allowed": False,
        "weight_bearing_allowed": True,
    }
    return Limits(**(fields | overrides))


def make_clearance(**fields) -> Clearance:
    return ClearanceFactory(cleared_on=CLEARED_ON, valid_until=VALID_UNTIL, **fields)


def make_plan(
    status: str = PlanStatus.DRAFT, title: str = "Walking back to strength", **clearance_fields
) -> Plan:
    """A plan walking 3 a week from 10 to 30 minutes, on a clearance current on TODAY."""
    plan = PlanFactory(clearance=make_clearance(**clearance_fields), status=status, title=title)
    PrescriptionFactory(plan=plan)
    return plan


def status_in_db(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


# Limits ----------------------------------------------------------------------------------


def test_limits_of_clearance_copies_its_values():
    clearance = make_clearance(
        activities=[activity("Swimming")],
        max_session_minutes=45,
        high_impact_allowed=True,
        weight_bearing_allowed=False,
    )

    limits = Limits.of(clearance)

    assert limits == Limits(
        physician_name="Dr Ines Duarte",
        cleared_on=CLEARED_ON,
        valid_until=VALID_UNTIL,
        allowed_activity_ids=frozenset({activity("Swimming").pk}),
        max_session_minutes=45,
        high_impact_allowed=True,
        weight_bearing_allowed=False,
    )


@pytest.mark.parametrize(
    ("day", "current"),
    [
        (CLEARED_ON - dt.timedelta(days=1), False),
        (CLEARED_ON, True),
        (TODAY, True),
        (VALID_UNTIL, True),
        (VALID_UNTIL + dt.timedelta(days=1), False),
    ],
)
def test_limits_is_current_between_cleared_and_valid_until_inclusive(day, current):
    assert make_limits().is_current(day) is current


# clearance_problem -----------------------------------------------------------------------


@pytest.mark.parametrize("day", [CLEARED_ON, TODAY, VALID_UNTIL])
def test_clearance_problem_none_while_current(day):
    assert clearance_problem(make_limits(), day) is None


def test_clearance_problem_after_valid_until_says_it_ran_out():
    problem = clearance_problem(make_limits(), VALID_UNTIL + dt.timedelta(days=1))

    assert problem == (
        "The physician's clearance ran out on 31 March 2026. "
        "A new clearance must be recorded first."
    )


def test_clearance_problem_before_cleared_on_says_when_it_starts():
    problem = clearance_problem(make_limits(), CLEARED_ON - dt.timedelta(days=1))

    assert problem == "The physician's clearance only starts on 5 January 2026."


# activity_problem ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Walking", "Swimming"])
def test_activity_problem_none_for_cleared_activity(name):
    assert activity_problem(activity(name), make_limits()) is None


def test_activity_problem_jogging_allowed_when_high_impact_allowed():
    limits = make_limits(
        allowed_activity_ids=frozenset({activity("Jogging").pk}), high_impact_allowed=True
    )

    assert activity_problem(activity("Jogging"), limits) is None


def test_activity_problem_not_cleared_names_the_physician():
    problem = activity_problem(activity("Jogging"), make_limits(high_impact_allowed=True))

    assert problem == (
        "Jogging is not among the activities Dr Ines Duarte cleared. "
        "Choose a cleared activity, or record a new clearance that includes it."
    )


def test_activity_problem_high_impact_without_high_impact_clearance():
    limits = make_limits(allowed_activity_ids=frozenset({activity("Jogging").pk}))

    assert activity_problem(activity("Jogging"), limits) == JOGGING_HIGH_IMPACT


def test_activity_problem_weight_bearing_without_weight_bearing_clearance():
    problem = activity_problem(activity("Walking"), make_limits(weight_bearing_allowed=False))

    assert problem == (
        "Walking puts the body's weight on the legs, and the clearance does not allow "
        "weight-bearing exercise. Choose a non-weight-bearing activity such as swimming."
    )


def test_activity_problem_swimming_allowed_without_weight_bearing_clearance():
    assert activity_problem(activity("Swimming"), make_limits(weight_bearing_allowed=False)) is None


def test_activity_problem_retired_activity_is_no_longer_offered():
    rowing = ActivityFactory(name="Rowing", is_active=False)
    limits = make_limits(allowed_activity_ids=frozenset({rowing.pk}))

    assert activity_problem(rowing, limits) == "Rowing is no longer offered by the clinic."


# prescription_problems -------------------------------------------------------------------


def test_prescription_problems_empty_within_clearance():
    problems = prescription_problems(
        activity=activity("Walking"), start_minutes=10, max_minutes=30, limits=make_limits()
    )

    assert problems == {}


def test_prescription_problems_max_over_session_cap():
    problems = prescription_problems(
        activity=activity("Walking"), start_minutes=10, max_minutes=31, limits=make_limits()
    )

    assert problems == {
        "max_minutes": "The clearance allows sessions of at most 30 minutes; this is 31."
    }


def test_prescription_problems_each_field_with_its_reason():
    limits = make_limits(allowed_activity_ids=frozenset({activity("Jogging").pk}))

    problems = prescription_problems(
        activity=activity("Jogging"), start_minutes=35, max_minutes=50, limits=limits
    )

    assert problems == {
        "activity": JOGGING_HIGH_IMPACT,
        "start_minutes": "The clearance allows sessions of at most 30 minutes; this is 35.",
        "max_minutes": "The clearance allows sessions of at most 30 minutes; this is 50.",
    }


def test_prescription_problems_missing_minutes_are_not_checked():
    problems = prescription_problems(
        activity=activity("Swimming"), start_minutes=None, max_minutes=None, limits=make_limits()
    )

    assert problems == {}


# activation_problems ---------------------------------------------------------------------


def test_activation_problems_empty_when_plan_may_be_active():
    problems = activation_problems(
        limits=make_limits(),
        prescriptions=[PrescriptionFacts(activity("Walking"), 10, 30)],
        today=TODAY,
        other_active_plan=None,
    )

    assert problems == []


def test_activation_problems_lists_every_reason_in_order():
    limits = make_limits(
        allowed_activity_ids=frozenset({activity("Walking").pk, activity("Jogging").pk})
    )

    problems = activation_problems(
        limits=limits,
        prescriptions=[
            PrescriptionFacts(activity("Walking"), 10, 45),
            PrescriptionFacts(activity("Jogging"), 10, 20),
        ],
        today=VALID_UNTIL + dt.timedelta(days=1),
        other_active_plan="Swimming for the shoulder",
    )

    assert problems == [
        "The physician's clearance ran out on 31 March 2026. "
        "A new clearance must be recorded first.",
        "Walking: The clearance allows sessions of at most 30 minutes; this is 45.",
        JOGGING_HIGH_IMPACT,
        "The patient already has an active plan (Swimming for the shoulder). "
        "Pause or complete it first: only one plan can be active at a time.",
    ]


def test_activation_problems_without_prescriptions():
    problems = activation_problems(
        limits=make_limits(), prescriptions=[], today=TODAY, other_active_plan=None
    )

    assert problems == ["Add at least one activity to the plan first."]


# Reading a plan --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "day", "suspended"),
    [
        (PlanStatus.ACTIVE, TODAY, False),
        (PlanStatus.ACTIVE, VALID_UNTIL + dt.timedelta(days=1), True),
        (PlanStatus.ACTIVE, CLEARED_ON - dt.timedelta(days=1), True),
        (PlanStatus.DRAFT, TODAY, False),
        (PlanStatus.PAUSED, TODAY, False),
        (PlanStatus.PAUSED, VALID_UNTIL + dt.timedelta(days=1), False),
        (PlanStatus.COMPLETED, TODAY, False),
    ],
)
def test_is_suspended_by_status_and_day(status, day, suspended):
    plan = PlanFactory.build(status=status)

    assert is_suspended(plan, make_limits(), day) == suspended


@pytest.mark.parametrize(
    ("kind", "supervised"),
    [
        (AtrophyKind.NEUROGENIC, True),
        (AtrophyKind.DISUSE, False),
        (AtrophyKind.UNKNOWN, False),
    ],
)
def test_is_supervised_only_for_neurogenic_atrophy(kind, supervised):
    patient = make_patient(atrophy_kind=kind)

    assert is_supervised(patient.profile) is supervised


def test_is_supervised_false_without_profile():
    assert is_supervised(None) is False


@pytest.mark.parametrize(
    ("days", "week"),
    [(-10, 0), (-1, 0), (0, 0), (6, 0), (7, 1), (13, 1), (14, 2), (70, 10)],
)
def test_week_of_plan_counts_whole_weeks_from_start(days, week):
    plan = PlanFactory.build(starts_on=TODAY)

    assert week_of_plan(plan, TODAY + dt.timedelta(days=days)) == week


def test_this_weeks_target_grows_for_unsupervised_plan():
    prescription = PrescriptionFactory(start_minutes=10, max_minutes=30)

    target = this_weeks_target(prescription, limits=make_limits(), week=4, supervised=False)

    assert (target.minutes, target.steps, target.held_reasons) == (14, 4, ())


def test_this_weeks_target_neurogenic_patient_stays_flat_with_supervised_reason():
    patient = make_patient(atrophy_kind=AtrophyKind.NEUROGENIC)
    plan = PlanFactory(clearance=make_clearance(patient=patient))
    prescription = PrescriptionFactory(plan=plan, start_minutes=10, max_minutes=30)

    target = this_weeks_target(
        prescription, limits=make_limits(), week=8, supervised=is_supervised(patient.profile)
    )

    assert (target.minutes, target.steps, target.is_held, target.held_reasons) == (
        10,
        0,
        True,
        (SUPERVISED,),
    )


def test_this_weeks_target_capped_by_clearance_session_cap():
    prescription = PrescriptionFactory(start_minutes=10, max_minutes=30)

    target = this_weeks_target(
        prescription, limits=make_limits(max_session_minutes=20), week=12, supervised=False
    )

    assert (target.minutes, target.at_ceiling, target.capped_by_clearance) == (20, True, True)


# change_status ---------------------------------------------------------------------------

ALLOWED = [
    (PlanStatus.DRAFT, PlanStatus.ACTIVE),
    (PlanStatus.ACTIVE, PlanStatus.PAUSED),
    (PlanStatus.ACTIVE, PlanStatus.COMPLETED),
    (PlanStatus.PAUSED, PlanStatus.ACTIVE),
    (PlanStatus.PAUSED, PlanStatus.COMPLETED),
]
REFUSED = [
    (start, to)
    for start in PlanStatus.values
    for to in PlanStatus.values
    if (start, to) not in ALLOWED
]


def test_allowed_moves_are_the_documented_life_of_a_plan():
    assert {(start, to) for start, tos in ALLOWED_MOVES.items() for to in tos} == set(ALLOWED)


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_change_status_allowed_move_is_saved(start, to):
    plan = make_plan(status=start)

    changed = change_status(plan=plan, to=to, today=TODAY)

    assert (changed.status, status_in_db(plan)) == (to, to)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_change_status_refused_move_leaves_plan_unchanged(start, to):
    plan = make_plan(status=start)

    with pytest.raises(PlanRefused):
        change_status(plan=plan, to=to, today=TODAY)

    assert status_in_db(plan) == start


def _refusal(start: str, to: str, message: str):
    return pytest.param(start, to, message, id=f"{start}-{to}")


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        _refusal("draft", "draft", "A draft plan cannot be made draft."),
        _refusal("draft", "paused", "A draft plan cannot be made paused."),
        _refusal("draft", "completed", "A draft plan cannot be made completed."),
        _refusal("active", "draft", "An active plan cannot be made draft."),
        _refusal("active", "active", "An active plan cannot be made active."),
        _refusal("paused", "draft", "A paused plan cannot be made draft."),
        _refusal("paused", "paused", "A paused plan cannot be made paused."),
        _refusal("completed", "draft", "A completed plan cannot be made draft."),
        _refusal("completed", "active", "A completed plan cannot be made active."),
        _refusal("completed", "paused", "A completed plan cannot be made paused."),
        _refusal("completed", "completed", "A completed plan cannot be made completed."),
    ],
)
def test_change_status_refused_move_says_why(start, to, message):
    plan = make_plan(status=start)

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=to, today=TODAY)

    assert refused.value.problems == [message]


def test_change_status_activation_refused_with_expired_clearance():
    plan = make_plan()

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=VALID_UNTIL + dt.timedelta(days=1))

    assert refused.value.problems == [
        "The physician's clearance ran out on 31 March 2026. "
        "A new clearance must be recorded first."
    ]
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_activation_refused_without_prescriptions():
    plan = PlanFactory(clearance=make_clearance())

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == ["Add at least one activity to the plan first."]
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_activation_refused_for_jogging_without_high_impact():
    clearance = make_clearance(
        activities=[activity("Walking"), activity("Jogging")], high_impact_allowed=False
    )
    plan = PlanFactory(clearance=clearance)
    PrescriptionFactory(plan=plan, activity=activity("Jogging"))

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == [JOGGING_HIGH_IMPACT]
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_activation_allowed_for_jogging_with_high_impact():
    clearance = make_clearance(activities=[activity("Jogging")], high_impact_allowed=True)
    plan = PlanFactory(clearance=clearance)
    PrescriptionFactory(plan=plan, activity=activity("Jogging"))

    change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert status_in_db(plan) == PlanStatus.ACTIVE


def test_change_status_activation_refused_for_session_longer_than_clearance():
    plan = PlanFactory(clearance=make_clearance(max_session_minutes=30))
    PrescriptionFactory(plan=plan, start_minutes=10, max_minutes=45)

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == [
        "Walking: The clearance allows sessions of at most 30 minutes; this is 45."
    ]
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_activation_refused_while_another_plan_is_active():
    active = make_plan(status=PlanStatus.ACTIVE, title="Swimming for the shoulder")
    plan = PlanFactory(clearance=make_clearance(patient=active.patient))
    PrescriptionFactory(plan=plan)

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == [
        "The patient already has an active plan (Swimming for the shoulder). "
        "Pause or complete it first: only one plan can be active at a time."
    ]
    assert (status_in_db(plan), status_in_db(active)) == (PlanStatus.DRAFT, PlanStatus.ACTIVE)


def test_change_status_resuming_refused_while_another_plan_is_active():
    active = make_plan(status=PlanStatus.ACTIVE)
    paused = PlanFactory(
        clearance=make_clearance(patient=active.patient), status=PlanStatus.PAUSED, title="Older"
    )
    PrescriptionFactory(plan=paused)

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=paused, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == [
        "The patient already has an active plan (Walking back to strength). "
        "Pause or complete it first: only one plan can be active at a time."
    ]
    assert status_in_db(paused) == PlanStatus.PAUSED


def test_change_status_activation_another_patients_active_plan_does_not_count():
    make_plan(status=PlanStatus.ACTIVE)
    plan = make_plan()

    change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert status_in_db(plan) == PlanStatus.ACTIVE


def test_change_status_refusal_lists_every_reason():
    active = make_plan(status=PlanStatus.ACTIVE)
    plan = PlanFactory(clearance=make_clearance(patient=active.patient))

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=VALID_UNTIL + dt.timedelta(days=1))

    assert refused.value.problems == [
        "The physician's clearance ran out on 31 March 2026. "
        "A new clearance must be recorded first.",
        "Add at least one activity to the plan first.",
        "The patient already has an active plan (Walking back to strength). "
        "Pause or complete it first: only one plan can be active at a time.",
    ]
    assert str(refused.value) == "; ".join(refused.value.problems)
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_pausing_allowed_with_expired_clearance():
    plan = make_plan(status=PlanStatus.ACTIVE)

    change_status(plan=plan, to=PlanStatus.PAUSED, today=VALID_UNTIL + dt.timedelta(days=1))

    assert status_in_db(plan) == PlanStatus.PAUSED


def test_change_status_simultaneous_activation_refused_by_database(monkeypatch):
    # Two requests both see no other active plan; the database constraint decides.
    active = make_plan(status=PlanStatus.ACTIVE)
    plan = PlanFactory(clearance=make_clearance(patient=active.patient))
    PrescriptionFactory(plan=plan)
    monkeypatch.setattr(plans, "_other_active_plan", lambda plan: None)

    with pytest.raises(PlanRefused) as refused:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refused.value.problems == [
        "The patient already has an active plan. Pause or complete it first."
    ]
    assert status_in_db(plan) == PlanStatus.DRAFT


def test_change_status_activation_refused_on_another_patients_clearance():
    someone_else = make_patient()
    plan = PlanFactory(clearance=make_clearance(), patient=someone_else)
    PrescriptionFactory(plan=plan)

    with pytest.raises(PlanRefused) as refusal:
        change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert refusal.value.problems == ["This clearance was given for another patient."]
    assert status_in_db(plan) == PlanStatus.DRAFT


# create_plan -----------------------------------------------------------------------------


def test_create_plan_refuses_another_patients_clearance():
    with pytest.raises(PlanRefused) as refusal:
        create_plan(
            patient=make_patient(),
            clearance=make_clearance(),
            title="Mixed up",
            starts_on=TODAY,
            created_by=PhysiotherapistFactory(),
        )

    assert refusal.value.problems == ["This clearance was given for another patient."]
    assert Plan.objects.count() == 0


def test_create_plan_without_template_is_an_empty_draft():
    clearance = make_clearance()
    physio = PhysiotherapistFactory()

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Back on my feet",
        starts_on=TODAY,
        created_by=physio,
        notes="Start gently.",
    )

    plan.refresh_from_db()
    assert (
        plan.patient,
        plan.clearance,
        plan.title,
        plan.status,
        plan.starts_on,
        plan.created_by,
        plan.notes,
        plan.prescriptions.count(),
        notes,
    ) == (
        clearance.patient,
        clearance,
        "Back on my feet",
        PlanStatus.DRAFT,
        TODAY,
        physio,
        "Start gently.",
        0,
        [],
    )


def test_create_plan_copies_template_prescriptions_the_clearance_allows():
    clearance = make_clearance()
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(
        template=template,
        activity=activity("Walking"),
        sessions_per_week=4,
        start_minutes=12,
        max_minutes=30,
        weekly_progression_percent=5,
        effort_min=10,
        effort_max=12,
    )
    TemplatePrescriptionFactory(
        template=template,
        activity=activity("Swimming"),
        sessions_per_week=2,
        start_minutes=15,
        max_minutes=25,
        weekly_progression_percent=10,
        effort_min=9,
        effort_max=13,
    )

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Walk and swim",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    copied = list(
        plan.prescriptions.order_by("activity__name").values_list(
            "activity__name",
            "sessions_per_week",
            "start_minutes",
            "max_minutes",
            "weekly_progression_percent",
            "effort_min",
            "effort_max",
        )
    )
    assert copied == [
        ("Swimming", 2, 15, 25, 10, 9, 13),
        ("Walking", 4, 12, 30, 5, 10, 12),
    ]
    assert notes == []


def test_create_plan_leaves_out_jogging_without_high_impact_and_says_why():
    clearance = make_clearance(
        activities=[activity("Walking"), activity("Jogging")], high_impact_allowed=False
    )
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, activity=activity("Walking"))
    TemplatePrescriptionFactory(template=template, activity=activity("Jogging"))

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Walk, then jog",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    assert list(plan.prescriptions.values_list("activity__name", flat=True)) == ["Walking"]
    assert notes == [f"Jogging was left out: {JOGGING_HIGH_IMPACT}"]


def test_create_plan_leaves_out_activity_the_clearance_does_not_list():
    clearance = make_clearance(activities=[activity("Walking")])
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, activity=activity("Swimming"))

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Swim",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    assert plan.prescriptions.count() == 0
    assert notes == [
        "Swimming was left out: Swimming is not among the activities Dr Ines Duarte cleared. "
        "Choose a cleared activity, or record a new clearance that includes it."
    ]


def test_create_plan_lowers_maximum_above_clearance_cap_and_says_so():
    clearance = make_clearance(max_session_minutes=30)
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, start_minutes=10, max_minutes=60)

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Longer walks",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    assert list(plan.prescriptions.values_list("start_minutes", "max_minutes")) == [(10, 30)]
    assert notes == [
        "Walking: the most minutes per session was lowered from 60 to 30, "
        "the clearance's longest session."
    ]


def test_create_plan_leaves_out_start_above_clearance_cap():
    clearance = make_clearance(max_session_minutes=30)
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, start_minutes=40, max_minutes=60)

    plan, notes, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Long walks",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    assert plan.prescriptions.count() == 0
    assert notes == [
        "Walking was left out: The clearance allows sessions of at most 30 minutes; this is 40."
    ]


def test_create_plan_from_template_can_then_be_activated():
    clearance = make_clearance(max_session_minutes=30)
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template, start_minutes=10, max_minutes=60)
    plan, _, _ = create_plan(
        patient=clearance.patient,
        clearance=clearance,
        title="Longer walks",
        starts_on=TODAY,
        created_by=clearance.recorded_by,
        template=template,
    )

    change_status(plan=plan, to=PlanStatus.ACTIVE, today=TODAY)

    assert status_in_db(plan) == PlanStatus.ACTIVE


# Database constraints --------------------------------------------------------------------


def test_database_refuses_two_active_plans_for_one_patient():
    active = make_plan(status=PlanStatus.ACTIVE)

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(clearance=active.clearance, status=PlanStatus.ACTIVE)

    assert Plan.objects.filter(patient=active.patient).count() == 1


def test_database_allows_one_active_plan_beside_paused_and_completed():
    active = make_plan(status=PlanStatus.ACTIVE)

    PlanFactory(clearance=active.clearance, status=PlanStatus.PAUSED)
    PlanFactory(clearance=active.clearance, status=PlanStatus.COMPLETED)

    assert Plan.objects.filter(patient=active.patient).count() == 3


def test_database_allows_active_plans_for_different_patients():
    make_plan(status=PlanStatus.ACTIVE)
    make_plan(status=PlanStatus.ACTIVE)

    assert Plan.objects.filter(status=PlanStatus.ACTIVE).count() == 2


def test_database_refuses_unknown_plan_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(clearance=make_clearance(), status="archived")


def test_database_refuses_clearance_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClearanceFactory(cleared_on=VALID_UNTIL, valid_until=CLEARED_ON)


@pytest.mark.parametrize("minutes", [4, 241])
def test_database_refuses_clearance_session_out_of_range(minutes):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClearanceFactory(max_session_minutes=minutes)


@pytest.mark.parametrize(
    "fields",
    [
        {"effort_min": 13, "effort_max": 12},
        {"effort_min": 5, "effort_max": 12},
        {"effort_min": 9, "effort_max": 21},
        {"start_minutes": 20, "max_minutes": 19},
        {"start_minutes": 10, "max_minutes": 241},
        {"weekly_progression_percent": 26},
        {"sessions_per_week": 0},
        {"sessions_per_week": 15},
    ],
    ids=lambda fields: "-".join(f"{key}={value}" for key, value in fields.items()),
)
def test_database_refuses_prescription_out_of_range(fields):
    plan = PlanFactory(clearance=make_clearance())

    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriptionFactory(plan=plan, **fields)

    assert Prescription.objects.filter(plan=plan).count() == 0


def test_database_refuses_template_prescription_effort_max_below_min():
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplatePrescriptionFactory(effort_min=13, effort_max=12)


def test_database_refuses_second_prescription_of_one_activity():
    plan = make_plan()

    with pytest.raises(IntegrityError), transaction.atomic():
        PrescriptionFactory(plan=plan, activity=activity("Walking"))
