"""One patient's record as an HL7 FHIR R4 Bundle, shaped by HL7's Physical Activity guide.

Built with `fhir.resources`, whose models check every resource as it is made. The library has
no pure R4 package, so this uses `fhir.resources.R4B`: R4B is R4 with technical corrections,
and the resources used here (Bundle, Patient, CarePlan, Goal, Observation) are the same in
both, so the JSON is R4 JSON.

The Bundle is of type `collection`: a set of resources gathered to hand over, nothing more.
A `document` would need a Composition and someone to attest it; a `transaction` would ask the
receiving server to create the resources, which is the receiver's choice, not the export's.
Every entry has a `urn:uuid:` fullUrl, the same for the same record on every export from
this deployment, and every reference points at one of them, so they resolve in the Bundle.

What is in it, in this order (codes in codes.py):
- Patient: name, sex, date of birth (here).
- Goal: 150 minutes of moderate activity a week (WHO), the goal the progress pages draw, and
  a CarePlan per plan followed, drafts left out (care_plans.py). A plan's own weekly target
  is not a Goal: it changes every week (progression, holds), so it is carried by the
  CarePlan's activities (sessions a week, minutes from the start up to the most), which is
  what the plan prescribes.
- The weekly exercise vital sign, each session as an activity group, and the measurements
  (observations.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.patient import Patient

from tracker.integrations.fhir.care_plans import care_plan, goal
from tracker.integrations.fhir.observations import (
    measurement_observation,
    session_members,
    session_panel,
    week_observations,
)
from tracker.integrations.fhir.records import PatientRecord
from tracker.rules.plans import is_supervised


def full_url(kind: str, key: object) -> str:
    """The entry's fullUrl: a UUID named after this deployment, the resource and its row, so
    a second export of the same record names it the same and two clinics never clash."""
    name = f"{settings.SITE_URL}/fhir/{kind}/{key}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


class _Entries:
    def __init__(self) -> None:
        self.items: list[BundleEntry] = []

    def add(self, url: str, resource) -> str:
        self.items.append(BundleEntry(fullUrl=url, resource=resource))
        return url


def build_bundle(record: PatientRecord, *, now: dt.datetime) -> Bundle:
    entries = _Entries()
    patient = entries.add(full_url("Patient", record.patient.pk), _patient(record))
    goal_url = None
    if record.plans:
        goal_url = entries.add(
            full_url("Goal", f"weekly-minutes/{record.patient.pk}"), goal(record, patient)
        )
    supervised = is_supervised(record.profile)
    for plan in reversed(record.plans):  # oldest first, as every other list here
        entries.add(full_url("CarePlan", plan.pk), care_plan(plan, patient, goal_url, supervised))
    for week in record.weeks:
        for key, resource in week_observations(week, patient):
            entries.add(
                full_url("Observation", f"week/{record.patient.pk}/{week.start}/{key}"), resource
            )
    for session in record.sessions:
        members = [
            entries.add(full_url("Observation", f"session/{session.pk}/{key}"), resource)
            for key, resource in session_members(session, patient)
        ]
        entries.add(
            full_url("Observation", f"session/{session.pk}"),
            session_panel(session, patient, members),
        )
    for measurement in record.measurements:
        entries.add(
            full_url("Observation", f"measurement/{measurement.pk}"),
            measurement_observation(measurement, patient),
        )
    return Bundle(type="collection", timestamp=now.isoformat(), entry=entries.items or None)


def bundle_json(bundle: Bundle) -> str:
    return bundle.model_dump_json(indent=2)


def _patient(record: PatientRecord) -> Patient:
    person, profile = record.patient, record.profile
    name = {"text": person.display_name}
    if person.last_name:
        name["family"] = person.last_name
    if person.first_name:
        name["given"] = [person.first_name]
    return Patient(
        active=person.is_active,
        name=[name],
        gender=(profile.sex or None) if profile else None,
        birthDate=profile.date_of_birth if profile and profile.date_of_birth else None,
    )
