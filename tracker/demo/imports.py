"""Demo sessions imported from a watch or phone: one GPX, one TCX and one FIT file.

Real recordings (tracker/demo/files/, with their sources and licences) go through the same
reader, the same answer form and the same logging path as an upload. Their dates are years
old, so the demo moves what was read to a day inside the plan; the file itself is kept as it
is."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from tracker.domain.imports import Accepted, answer_file, stage_files
from tracker.forms.imports import ImportAnswerForm
from tracker.integrations.activity_files.read import read_activity
from tracker.models import Activity, Plan, User

FILES = Path(__file__).parent / "files"
# David Osei: cleared for walking, jogging and swimming.
IMPORTING_PATIENT = 3

# file, days before today, the activity the patient confirms, effort, pain before and after
DEMO_IMPORTS = [
    ("walk-cerknicko-jezero.gpx", 1, "Walking", 11, 1, 1),
    ("run-3173437224-thinned.tcx", 3, "Jogging", 13, 1, 2),
    ("multisport-run-6471559601.fit", 5, "Jogging", 12, 1, 1),
]


def add_demo_imports(*, patient: User, plan: Plan, today: dt.date, number: int) -> None:
    if number != IMPORTING_PATIENT:
        return
    for name, days_back, activity_name, effort, before, after in DEMO_IMPORTS:
        data = (FILES / name).read_bytes()
        reading = read_activity(data, name)
        day = today - dt.timedelta(days=days_back)
        reading = reading.moved_to(dt.datetime.combine(day, reading.started_at.timetz()))
        activity = Activity.objects.get(name=activity_name)
        staged = stage_files(
            patient=patient,
            accepted=[Accepted(name=name, data=data, reading=reading, activity=activity)],
        )
        (imported,) = staged.waiting
        form = ImportAnswerForm(
            {
                "request_key": str(uuid.uuid4()),
                "activity": str(activity.pk),
                "effort": str(effort),
                "pain_before": str(before),
                "pain_after": str(after),
                "no_danger_signs": "on",
            },
            imported=imported,
            plan=plan,
            today=today,
        )
        if not form.is_valid():
            raise ValueError(f"The demo's import of {name} was refused: {form.errors}")
        answer_file(
            patient=patient,
            imported=imported,
            plan=plan,
            entry=form.entry(),
            request_key=form.cleaned_data["request_key"],
        )
