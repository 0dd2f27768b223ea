"""The demo patient's FHIR Bundle (issue 17's done-when): the demo clinic loaded as
`manage.py demo` loads it, on the pinned Wednesday 2 December 2026 (tests/conftest.py), and
Anna Novak's record downloaded by her physiotherapist, with exact values for a few chosen
resources."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from tests.conftest import client_for
from tracker.integrations.fhir import codes
from tracker.models import AuditAction, AuditEvent, SessionLog, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_bundle() -> dict:
    call_command("demo", "--no-serve")
    anna = User.objects.get(username="patient")
    physio = User.objects.get(username="physio")
    response = client_for(physio).get(reverse("patient_fhir", args=[anna.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=physio, patient=anna, action=AuditAction.EXPORT, what="record, FHIR"
    ).exists()
    # What was served reads back through the library's models: it is valid R4(B) JSON.
    assert Bundle.model_validate_json(response.content).type == "collection"
    return json.loads(response.content)


def of_kind(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def code_of(resource: dict) -> str:
    return resource["code"]["coding"][-1]["code"]


def test_the_demo_patient_and_her_plan(demo_bundle):
    patient = of_kind(demo_bundle, "Patient")[0]
    care_plan = of_kind(demo_bundle, "CarePlan")[0]

    assert (patient["name"], patient["birthDate"]) == (
        [{"text": "Anna Novak", "family": "Novak", "given": ["Anna"]}],
        "1971-04-12",
    )
    assert len(of_kind(demo_bundle, "CarePlan")) == 1
    assert (care_plan["title"], care_plan["status"], care_plan["period"]) == (
        "Walking back after a cast",
        "active",
        {"start": "2026-09-20"},
    )
    assert [c["coding"][0]["code"] for c in care_plan["category"]] == [
        "PhysicalActivity",
        "assess-plan",
    ]
    assert [
        (
            a["detail"]["code"]["coding"][0]["code"],
            a["detail"]["code"]["text"],
            a["detail"]["status"],
            a["detail"]["scheduledTiming"],
        )
        for a in care_plan["activity"]
    ] == [
        ("229065009", "Walking", "in-progress", timing(4, 15, 45)),
        ("229065009", "Swimming", "in-progress", timing(1, 20, 40)),
    ]
    assert care_plan["activity"][1]["detail"]["description"].startswith(
        "Swimming, 1 session a week, from 20 minutes a session, growing by up to 10% a week"
    )
    assert care_plan["note"] == [
        {
            "text": "Cleared by Dr Ines Duarte (GMC 7012345) from 15 September 2026 to 1 April "
            "2027; longest session 45 minutes; high-impact activity not allowed. Full weight "
            "bearing allowed; avoid uneven ground for now."
        }
    ]


def timing(sessions: int, start: int, most: int) -> dict:
    return {
        "repeat": {
            "duration": start,
            "durationMax": most,
            "durationUnit": "min",
            "frequency": sessions,
            "period": 1,
            "periodUnit": "wk",
        }
    }


def test_the_demo_patients_weeks(demo_bundle):
    weeks = [
        o
        for o in of_kind(demo_bundle, "Observation")
        if code_of(o) in {"82290-8", "89555-7", "68516-4"}
    ]

    # Every completed week from the plan's first (Sunday 20 September is in the week of
    # Monday 14 September) to the week of 23 November; each with exercise, so three figures.
    starts = sorted({o["effectivePeriod"]["start"] for o in weeks})
    assert (starts[0], starts[-1], len(starts), len(weeks)) == ("2026-09-14", "2026-11-23", 11, 33)
    week = {
        code_of(o): o["valueQuantity"]
        for o in weeks
        if o["effectivePeriod"] == {"start": "2026-10-05", "end": "2026-10-11"}
    }
    assert {code: (q["value"], q["unit"], q["system"], q["code"]) for code, q in week.items()} == {
        "82290-8": (101, "minutes per week", codes.UCUM, "min/wk"),
        "89555-7": (6, "days per week", codes.UCUM, "d/wk"),
        "68516-4": (16.8, "minutes per day", codes.UCUM, "min/d"),
    }


def test_the_demo_patients_sessions_and_six_minute_walks(demo_bundle):
    resolve = {entry["fullUrl"]: entry["resource"] for entry in demo_bundle["entry"]}
    observations = of_kind(demo_bundle, "Observation")
    panels = [o for o in observations if code_of(o) == "PAPanel"]

    anna = User.objects.get(username="patient")
    assert len(panels) == SessionLog.objects.current().filter(patient=anna).count()
    walk = next(p for p in panels if "effectivePeriod" in p)
    assert walk["effectivePeriod"] == {
        "start": "2026-09-22T06:25:00+01:00",
        "end": "2026-09-22T06:34:00+01:00",
    }
    assert [
        (code_of(resolve[m["reference"]]), value(resolve[m["reference"]]))
        for m in walk["hasMember"]
    ] == [
        ("73985-4", "Walking"),
        ("55411-3", (9, "min")),
        ("distance", (610, "m")),
        ("effort-borg", (14, "{score}")),
        ("pain-before-session", (2, "{score}")),
        ("pain-after-session", (3, "{score}")),
    ]
    assert [(o["effectiveDateTime"], value(o)) for o in observations if code_of(o) == "64098-7"][
        :3
    ] == [
        ("2026-09-21", (330.0, "m")),
        ("2026-10-19", (356.0, "m")),
        ("2026-11-16", (383.0, "m")),
    ]


def test_every_reference_in_the_demo_bundle_resolves(demo_bundle):
    urls = {entry["fullUrl"] for entry in demo_bundle["entry"]}
    text = json.dumps(demo_bundle)

    assert len(urls) == len(demo_bundle["entry"])
    assert text.count('"reference": "') == sum(text.count(f'"reference": "{url}"') for url in urls)


def value(observation: dict):
    if "valueCodeableConcept" in observation:
        return observation["valueCodeableConcept"]["text"]
    quantity = observation["valueQuantity"]
    return quantity["value"], quantity["code"]
