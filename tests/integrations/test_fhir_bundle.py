"""The FHIR Bundle of a hand-made record: exact codes, systems, categories, units, values,
and every reference resolving inside the Bundle. No offline HL7 validator can be had here,
so these tests and the library's own models are the validator.

The clock is pinned (tests/conftest.py) to Wednesday 2 December 2026, 10:00: the weeks of
9, 16 and 23 November are complete, the week of 30 November is under way."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.clock import pinned_now
from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PrescriptionFactory,
    SessionLogFactory,
    activity,
    make_patient,
)
from tracker.integrations.fhir import codes
from tracker.integrations.fhir.bundle import build_bundle, bundle_json
from tracker.integrations.fhir.records import patient_record
from tracker.models import Measurement, MeasurementKind, PlanStatus, Site, Source

pytestmark = pytest.mark.django_db

LOINC, UCUM, APP = codes.LOINC, codes.UCUM, codes.APP_CODES
CATEGORY = {"system": codes.OBSERVATION_CATEGORY, "code": "activity", "display": "Activity"}
PA_CATEGORY = {"system": codes.PA_CODES, "code": "PhysicalActivity", "display": "Physical Activity"}
EXERCISE_THERAPY = {"system": codes.SNOMED, "code": "229065009", "display": "Exercise therapy"}
D = dt.date


@pytest.fixture
def record(physio):
    anna = make_patient(
        care_team=[physio],
        user__first_name="Anna",
        user__last_name="Novak",
        sex="female",
        date_of_birth=D(1971, 4, 12),
    )
    clearance = ClearanceFactory(
        patient=anna,
        recorded_by=physio,
        cleared_on=D(2026, 11, 2),
        valid_until=D(2027, 2, 28),
        max_heart_rate=150,
        restrictions="Flat ground only.",
    )
    plan = PlanFactory(
        clearance=clearance,
        status=PlanStatus.ACTIVE,
        starts_on=D(2026, 11, 9),
        title="Walking back to strength",
    )
    PrescriptionFactory(plan=plan, note="At a pace at which you can still talk.")
    PrescriptionFactory(
        plan=plan,
        activity=activity("Swimming"),
        sessions_per_week=2,
        start_minutes=15,
        max_minutes=40,
        effort_max=12,
    )
    walk = SessionLogFactory(
        plan=plan,
        date=D(2026, 11, 10),
        start_time=dt.time(7, 30),
        minutes=20,
        distance_m=1500,
        average_heart_rate=110,
        highest_heart_rate=128,
        effort=11,
        pain_before=1,
        pain_after=2,
        pain_next_morning=1,
        pain_next_morning_at=dt.datetime(2026, 11, 11, 8, 0, tzinfo=dt.UTC),
        notes="Round the park",
    )
    swim = SessionLogFactory(
        plan=plan,
        activity=activity("Swimming"),
        date=D(2026, 11, 12),
        minutes=25,
        effort=12,
        pain_before=0,
        pain_after=1,
    )
    SessionLogFactory(plan=plan, date=D(2026, 11, 12), minutes=16)
    SessionLogFactory(plan=plan, date=D(2026, 11, 24), minutes=30, source=Source.IMPORTED)
    SessionLogFactory(plan=plan, date=D(2026, 11, 25), minutes=41, deleted_at=timezone.now())
    SessionLogFactory(plan=plan, date=D(2026, 12, 1), minutes=22)
    for kind, value in [
        (MeasurementKind.SIX_MINUTE_WALK, "402"),
        (MeasurementKind.CHAIR_STAND, "12"),
        (MeasurementKind.TIMED_UP_AND_GO, "9.8"),
        (MeasurementKind.GRIP, "24.5"),
    ]:
        Measurement.objects.create(
            patient=anna,
            kind=kind,
            measured_on=D(2026, 11, 10),
            value=Decimal(value),
            recorded_by=physio,
        )
    Measurement.objects.create(
        patient=anna,
        kind=MeasurementKind.CIRCUMFERENCE,
        measured_on=D(2026, 11, 11),
        site=Site.THIGH,
        affected_cm=Decimal("44.5"),
        unaffected_cm=Decimal("48.0"),
        self_measured=True,
        recorded_by=anna,
    )
    return dict(anna=anna, plan=plan, walk=walk, swim=swim)


def bundle_of(patient) -> dict:
    bundle = build_bundle(patient_record(patient, today=timezone.localdate()), now=pinned_now())
    return json.loads(bundle_json(bundle))


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_url(bundle: dict) -> dict[str, dict]:
    return {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}


def references(node) -> list[str]:
    """Every reference anywhere in `node`."""
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for value in node.values() for r in references(value)]
    if isinstance(node, list):
        return [r for value in node for r in references(value)]
    return []


def first_code(resource: dict) -> str:
    return resource["code"]["coding"][0]["code"]


def quantities(observation: dict) -> list[dict]:
    found = [observation["valueQuantity"]] if "valueQuantity" in observation else []
    return found + [part["valueQuantity"] for part in observation.get("component", [])]


def ucum(value, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def weekly(bundle: dict, start: str) -> dict[str, dict]:
    return {
        first_code(o): o["valueQuantity"]
        for o in resources(bundle, "Observation")
        if o.get("effectivePeriod", {}).get("start") == start
        and o["code"]["coding"][0]["system"] == LOINC
    }


def panel_of(bundle: dict, date: str) -> dict:
    return next(
        o
        for o in resources(bundle, "Observation")
        if first_code(o) == "PAPanel"
        and (o.get("effectiveDateTime") or o.get("effectivePeriod", {}).get("start", ""))[:10]
        == date
    )


def test_the_bundle_is_a_collection_of_every_resource(record):
    bundle = bundle_of(record["anna"])

    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    assert bundle["timestamp"] == "2026-12-02T10:00:00Z"
    assert kinds[:3] == ["Patient", "Goal", "CarePlan"]
    # 3 weekly figures, 2 for the empty week, 3; sessions of 10, 6, 6, 6 and 6 (the deleted
    # one left out); 5 measurements.
    assert kinds.count("Observation") == 3 + 2 + 3 + 10 + 6 * 4 + 5
    assert len(kinds) == 3 + 47


def test_every_full_url_is_a_unique_uuid_and_every_reference_resolves(record):
    bundle = bundle_of(record["anna"])

    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    for url in urls:
        assert url.startswith("urn:uuid:")
        assert str(uuid.UUID(url.removeprefix("urn:uuid:"))) == url.removeprefix("urn:uuid:")
    found = references(bundle)
    assert len(found) > 47
    assert set(found) <= set(urls)


def test_the_same_record_gets_the_same_full_urls_twice(record):
    first = [e["fullUrl"] for e in bundle_of(record["anna"])["entry"]]

    assert [e["fullUrl"] for e in bundle_of(record["anna"])["entry"]] == first


def test_the_patient(record):
    patient = resources(bundle_of(record["anna"]), "Patient")[0]

    assert patient == {
        "resourceType": "Patient",
        "active": True,
        "name": [{"text": "Anna Novak", "family": "Novak", "given": ["Anna"]}],
        "gender": "female",
        "birthDate": "1971-04-12",
    }


def test_every_observation_is_of_the_activity_category_for_its_patient(record):
    bundle = bundle_of(record["anna"])
    patient_url = bundle["entry"][0]["fullUrl"]

    for observation in resources(bundle, "Observation"):
        assert observation["status"] == "final"
        assert CATEGORY in [coding for cat in observation["category"] for coding in cat["coding"]]
        assert observation["subject"] == {"reference": patient_url}


def test_every_value_is_a_ucum_quantity_but_the_activity_and_the_panels(record):
    observations = resources(bundle_of(record["anna"]), "Observation")

    units = set()
    for observation in observations:
        if first_code(observation) == "73985-4":
            assert observation["valueCodeableConcept"]["text"] in {"Walking", "Swimming"}
            continue
        if first_code(observation) == "PAPanel":
            assert "valueQuantity" not in observation
            continue
        assert quantities(observation), observation
        for quantity in quantities(observation):
            assert quantity["system"] == UCUM
            units.add(quantity["code"])
    assert units == {
        "min/wk",
        "d/wk",
        "min/d",
        "min",
        "/min",
        "m",
        "kg",
        "s",
        "cm",
        "{score}",
        "{#}",
    }


def test_codes_outside_loinc_and_snomed_are_in_one_app_code_system(record):
    bundle = bundle_of(record["anna"])

    def systems(node) -> set[str]:
        if isinstance(node, dict):
            own = {node["system"]} if "system" in node and "code" in node else set()
            return own.union(*(systems(value) for value in node.values()))
        if isinstance(node, list):
            return set().union(*(systems(value) for value in node))
        return set()

    assert systems(bundle) == {
        LOINC,
        codes.SNOMED,
        UCUM,
        codes.OBSERVATION_CATEGORY,
        codes.PA_CODES,
        codes.US_CORE_CAREPLAN_CATEGORY,
        "http://terminology.hl7.org/CodeSystem/goal-achievement",
        APP,
    }
    assert APP == "https://rehab-tracker.example/fhir/CodeSystem/rehab-measures"


def test_the_exercise_vital_sign_for_each_completed_week(record):
    bundle = bundle_of(record["anna"])

    assert weekly(bundle, "2026-11-09") == {
        "82290-8": {"value": 61, "unit": "minutes per week", "system": UCUM, "code": "min/wk"},
        "89555-7": {"value": 2, "unit": "days per week", "system": UCUM, "code": "d/wk"},
        "68516-4": {"value": 30.5, "unit": "minutes per day", "system": UCUM, "code": "min/d"},
    }
    # A week without a session is 0 minutes on 0 days, with no minutes per day to give.
    assert {code: q["value"] for code, q in weekly(bundle, "2026-11-16").items()} == {
        "82290-8": 0,
        "89555-7": 0,
    }
    # The deleted session of 25 November (41 minutes) does not count.
    assert {code: q["value"] for code, q in weekly(bundle, "2026-11-23").items()} == {
        "82290-8": 30,
        "89555-7": 1,
        "68516-4": 30.0,
    }
    # The week under way is not complete: no figures for it.
    assert weekly(bundle, "2026-11-30") == {}


def test_a_weekly_figure_is_the_guides_exercise_vital_sign(record):
    bundle = bundle_of(record["anna"])

    minutes = next(
        o
        for o in resources(bundle, "Observation")
        if first_code(o) == "82290-8" and o["effectivePeriod"]["start"] == "2026-11-09"
    )
    assert minutes["category"] == [
        {"coding": [CATEGORY], "text": "Activity"},
        {"coding": [PA_CATEGORY], "text": "Physical activity"},
    ]
    assert minutes["code"] == {
        "coding": [
            {
                "system": LOINC,
                "code": "82290-8",
                "display": "Frequency of moderate to vigorous aerobic physical activity",
            }
        ],
        "text": "Minutes of exercise in the week",
    }
    assert minutes["effectivePeriod"] == {"start": "2026-11-09", "end": "2026-11-15"}


def test_a_session_is_an_activity_group_with_its_members(record):
    bundle = bundle_of(record["anna"])
    resolve = by_url(bundle)

    panel = panel_of(bundle, "2026-11-10")
    members = [resolve[member["reference"]] for member in panel["hasMember"]]

    assert panel["code"]["coding"] == [
        {"system": codes.PA_CODES, "code": "PAPanel", "display": "Physical Activity Panel"}
    ]
    assert panel["effectivePeriod"] == {
        "start": "2026-11-10T07:30:00Z",
        "end": "2026-11-10T07:50:00Z",
    }
    assert panel["performer"] == [{"reference": bundle["entry"][0]["fullUrl"]}]
    assert panel["method"] == {"text": "Typed in by the patient"}
    assert panel["note"] == [{"text": "Round the park"}]
    assert [
        (
            [(coding["system"], coding["code"]) for coding in m["code"]["coding"]],
            m.get("valueQuantity", {}).get("value", m.get("valueCodeableConcept")),
            m.get("valueQuantity", {}).get("code"),
        )
        for m in members
    ] == [
        ([(LOINC, "73985-4")], {"text": "Walking"}, None),
        ([(LOINC, "55411-3")], 20, "min"),
        ([(LOINC, "55425-3")], 110, "/min"),
        ([(LOINC, "55426-1")], 128, "/min"),
        ([(APP, "distance")], 1500, "m"),
        ([(APP, "effort-borg")], 11, "{score}"),
        ([(LOINC, "72514-3"), (APP, "pain-before-session")], 1, "{score}"),
        ([(LOINC, "72514-3"), (APP, "pain-after-session")], 2, "{score}"),
        ([(LOINC, "72514-3"), (APP, "pain-next-morning")], 1, "{score}"),
    ]
    # The members share the panel's time; the next-morning pain has its own.
    assert [m.get("effectivePeriod") for m in members[:-1]] == [panel["effectivePeriod"]] * 8
    assert members[-1]["effectiveDateTime"] == "2026-11-11T08:00:00Z"


def test_a_session_without_heart_rate_or_time_has_no_such_members(record):
    bundle = bundle_of(record["anna"])
    resolve = by_url(bundle)

    panel = panel_of(bundle, "2026-11-12")
    members = [resolve[member["reference"]] for member in panel["hasMember"]]

    assert panel["effectiveDateTime"] == "2026-11-12"
    assert [m["code"]["coding"][-1]["code"] for m in members] == [
        "73985-4",
        "55411-3",
        "effort-borg",
        "pain-before-session",
        "pain-after-session",
    ]
    assert {m["effectiveDateTime"] for m in members} == {"2026-11-12"}


def test_an_imported_session_says_so_and_a_deleted_one_is_left_out(record):
    bundle = bundle_of(record["anna"])

    assert panel_of(bundle, "2026-11-24")["method"] == {"text": "Imported from a watch or phone"}
    with pytest.raises(StopIteration):
        panel_of(bundle, "2026-11-25")
    durations = [
        o["valueQuantity"]["value"]
        for o in resources(bundle, "Observation")
        if first_code(o) == "55411-3"
    ]
    assert durations == [20, 25, 16, 30, 22]


def test_the_care_plan_with_its_activities_and_goal(record):
    bundle = bundle_of(record["anna"])
    resolve = by_url(bundle)

    care_plan = resources(bundle, "CarePlan")[0]

    assert care_plan["status"] == "active"
    assert care_plan["intent"] == "plan"
    # The Physical Activity guide's CarePlan: its category, and US Core's that it builds on.
    assert care_plan["category"] == [
        {"coding": [PA_CATEGORY], "text": "Physical activity"},
        {
            "coding": [
                {
                    "system": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
                    "code": "assess-plan",
                    "display": "Assessment and Plan of Treatment",
                }
            ],
            "text": "Assessment and plan of treatment",
        },
    ]
    assert care_plan["title"] == "Walking back to strength"
    assert care_plan["period"] == {"start": "2026-11-09"}
    assert care_plan["note"] == [
        {
            "text": "Cleared by Dr Ines Duarte (GMC 7012345) from 2 November 2026 to 28 February "
            "2027; longest session 30 minutes; highest heart rate 150 beats per minute; "
            "high-impact activity not allowed. Flat ground only."
        }
    ]
    walking, swimming = (a["detail"] for a in care_plan["activity"])
    assert walking == {
        "code": {"coding": [EXERCISE_THERAPY], "text": "Walking"},
        "status": "in-progress",
        "description": "Walking, 3 sessions a week, from 10 minutes a session, growing by up "
        "to 10% a week, up to 30 minutes; effort 9 to 13 on the Borg 6-20 scale. At a pace at "
        "which you can still talk.",
        "scheduledTiming": {
            "repeat": {
                "frequency": 3,
                "period": 1,
                "periodUnit": "wk",
                "duration": 10,
                "durationMax": 30,
                "durationUnit": "min",
            }
        },
    }
    assert swimming["code"] == {"coding": [EXERCISE_THERAPY], "text": "Swimming"}
    assert swimming["scheduledTiming"]["repeat"]["frequency"] == 2
    goal = resolve[care_plan["goal"][0]["reference"]]
    assert goal["resourceType"] == "Goal"
    assert goal["lifecycleStatus"] == "active"
    assert goal["category"] == [{"coding": [PA_CATEGORY], "text": "Physical activity"}]
    assert goal["startDate"] == "2026-11-09"
    assert goal["description"] == {"text": "150 minutes of moderate activity a week"}
    assert goal["target"] == [
        {
            "measure": codes.MINUTES_PER_WEEK.concept(),
            "detailQuantity": {
                "value": 150,
                "unit": "minutes per week",
                "system": UCUM,
                "code": "min/wk",
            },
        }
    ]
    # Last complete week: 30 minutes.
    assert goal["achievementStatus"]["coding"][0]["code"] == "in-progress"


def test_the_measurements(record):
    observations = [
        o
        for o in resources(bundle_of(record["anna"]), "Observation")
        if o["category"] == [{"coding": [CATEGORY], "text": "Activity"}]
    ]

    assert [
        (o["code"]["coding"][0]["system"], first_code(o), o["effectiveDateTime"], quantities(o))
        for o in observations
    ] == [
        (LOINC, "64098-7", "2026-11-10", [ucum(402.0, "metres", "m")]),
        (APP, "chair-stand-30s", "2026-11-10", [ucum(12.0, "repetitions", "{#}")]),
        (APP, "timed-up-and-go", "2026-11-10", [ucum(9.8, "seconds", "s")]),
        (APP, "grip-strength", "2026-11-10", [ucum(24.5, "kg", "kg")]),
        (APP, "limb-circumference", "2026-11-11", [ucum(44.5, "cm", "cm"), ucum(48.0, "cm", "cm")]),
    ]
    circumference = observations[-1]
    assert circumference["bodySite"] == {"text": "Mid-thigh"}
    assert [part["code"]["coding"][0]["code"] for part in circumference["component"]] == [
        "limb-circumference-affected",
        "limb-circumference-unaffected",
    ]
    # Measured by Anna herself: she is the performer; the physiotherapist's have none.
    assert "performer" in circumference
    assert "performer" not in observations[0]


def test_a_patient_with_nothing_yet_is_a_bundle_with_the_patient_alone(patient):
    bundle = bundle_of(patient)

    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]


def test_a_completed_plan_ends_and_a_paused_one_is_on_hold(record):
    plan = record["plan"]
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)):
        plan.status, plan.status_changed_at = PlanStatus.COMPLETED, timezone.now()
        plan.save()

    care_plan = resources(bundle_of(record["anna"]), "CarePlan")[0]
    assert (care_plan["status"], care_plan["period"]) == (
        "completed",
        {"start": "2026-11-09", "end": "2026-11-28"},
    )
    assert {a["detail"]["status"] for a in care_plan["activity"]} == {"completed"}

    plan.status = PlanStatus.PAUSED
    plan.save()
    care_plan = resources(bundle_of(record["anna"]), "CarePlan")[0]
    assert care_plan["status"] == "on-hold"
    assert {a["detail"]["status"] for a in care_plan["activity"]} == {"on-hold"}


def goal_of(patient) -> dict:
    return resources(bundle_of(patient), "Goal")[0]


def test_the_goal_is_on_hold_while_no_plan_is_active_and_completed_once_every_plan_is(record):
    plan = record["plan"]
    plan.status = PlanStatus.PAUSED
    plan.save()

    paused = goal_of(record["anna"])

    plan.status, plan.status_changed_at = PlanStatus.COMPLETED, timezone.now()
    plan.save()
    completed = goal_of(record["anna"])

    # The last complete week, of 23 November, had 30 minutes: short of 150.
    assert (paused["lifecycleStatus"], paused["achievementStatus"]["coding"][0]["code"]) == (
        "on-hold",
        "in-progress",
    )
    assert (
        completed["lifecycleStatus"],
        completed["achievementStatus"]["coding"][0]["code"],
    ) == ("completed", "not-achieved")


def test_the_goal_stays_active_while_one_plan_is_active_beside_a_completed_one(record, physio):
    anna = record["anna"]
    PlanFactory(
        clearance=record["plan"].clearance,
        status=PlanStatus.COMPLETED,
        starts_on=D(2026, 10, 5),
        title="The first weeks",
    )

    assert goal_of(anna)["lifecycleStatus"] == "active"


def test_a_set_aside_activity_is_stopped_and_a_supervised_plan_says_who_raises_it(record):
    swimming = record["plan"].prescriptions.get(activity__name="Swimming")
    swimming.suspended_on, swimming.suspended_reason = D(2026, 11, 20), "The new clearance."
    swimming.save()
    profile = record["anna"].profile
    profile.atrophy_kind = "neurogenic"
    profile.save()

    walking, swimming = (
        a["detail"] for a in resources(bundle_of(record["anna"]), "CarePlan")[0]["activity"]
    )

    assert (walking["status"], swimming["status"]) == ("in-progress", "stopped")
    assert swimming["description"] == (
        "Swimming, 2 sessions a week, from 15 minutes a session, raised by the physiotherapist "
        "(supervised plan), up to 40 minutes; effort 9 to 12 on the Borg 6-20 scale. Set aside "
        "on 20 November 2026: The new clearance."
    )
