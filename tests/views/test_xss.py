"""Cross-site scripting and request forgery.

Each XSS payload is typed into every free-text field through the app's own forms (names, the
catalogue's activity and the clinical profile, which the admin enters, through factories);
then every page and htmx partial that shows those fields is opened. Each value must come back
escaped where it is shown, the raw payload must appear nowhere, and the HTML must hold no
injected element: no inline script, no event-handler attribute, no javascript: URL. The
downloads must carry the values as data, never as HTML.

CSRF: a POST without the token is refused with 403, a normal form and an htmx request alike;
the token sent in the X-CSRFToken header, the way htmx sends it from <body hx-headers>, passes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme

from tests.conftest import sign_in_verified
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    PhysiotherapistFactory,
    SessionLogFactory,
    activity,
    make_active_plan,
    make_patient,
)
from tracker.models import Alert, AlertKind, Comment, DangerReport, Plan

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}",
    "'-alert(1)-'",
    "</title><script>alert(1)</script>",
    '" autofocus onfocus=alert(1) x="',
]

# Every free-text field, by a short tag that is appended to the payload so each value can be
# told from the others on a page ("<payload> ~tag").
PATIENT_NAME = ("patient_first", "patient_last")
PHYSIO_NAME = ("physio_first", "physio_last")
FIELDS = (
    *PATIENT_NAME,
    *PHYSIO_NAME,
    "cause_detail",  # clinical profile, admin
    "activity",  # the catalogue's activity name, admin
    "physician",
    "reg",  # the physician's registration number: 40 characters at most
    "restrictions",
    "plan_title",
    "plan_notes",
    "hold_reason",
    "session_notes",
    "danger_notes",
    "comment",
    "week_comment",
    "ack_note",
    "own_measurement_notes",
    "measurement_notes",
)
# Stored, yet shown on no page (nor in the admin or the download): only checked for being
# absent, raw, everywhere.
NOT_SHOWN = {"danger_notes", "own_measurement_notes", "measurement_notes"}


def tagged(payload: str, tag: str) -> str:
    return f"{payload} ~{tag}"


# Reading the HTML ---------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "hx-get", "hx-post"}


class _Injected(HTMLParser):
    """Elements and attributes that would run script, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.found.append("<script> without src")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def injected(html: str) -> list[str]:
    parser = _Injected()
    parser.feed(html)
    parser.close()
    return parser.found


@dataclass
class Check:
    """What one payload found wrong across the pages, and how much was looked at."""

    payload: str
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    shown: int = 0  # (field, page) pairs where the escaped value was expected and found

    def value(self, tag: str) -> str:
        return tagged(self.payload, tag)

    def page(self, where: str, response, expected: tuple[str, ...] = ()) -> None:
        self.pages += 1
        if response.status_code != 200:
            self.problems.append(f"{where}: status {response.status_code}")
            return
        html = response.content.decode()
        if escape(self.payload) != self.payload and self.payload in html:
            self.problems.append(f"{where}: the raw payload is in the page")
        self.problems.extend(f"{where}: {element}" for element in injected(html))
        for tag in expected:
            if escape(self.value(tag)) in html:
                self.shown += 1
            else:
                self.problems.append(f"{where}: {tag} is not shown, escaped")


# The world, typed in through the forms --------------------------------------------------


def _ok(response, status: int = 302):
    form = response.context.get("form") if response.context else None
    assert response.status_code == status, (response.status_code, form and form.errors)
    return response


@dataclass
class World:
    patient_client: Client
    physio_client: Client
    pages: list[tuple[str, Client, str, dict, tuple[str, ...]]]
    partials: dict[str, object]  # htmx answers to POSTs, by name


def build_world(check: Check) -> World:
    v = check.value
    today = timezone.localdate()
    physio = PhysiotherapistFactory(first_name=v("physio_first"), last_name=v("physio_last"))
    patient = make_patient(
        care_team=[physio],
        user__first_name=v("patient_first"),
        user__last_name=v("patient_last"),
        cause_detail=v("cause_detail"),
    )
    custom = ActivityFactory(name=v("activity"), impact="low", weight_bearing=False)
    physio_client, patient_client = Client(), Client()
    sign_in_verified(physio_client, physio)
    sign_in_verified(patient_client, patient)
    partials: dict[str, object] = {}

    _ok(
        physio_client.post(
            f"/patients/{patient.pk}/clearances/new/",
            {
                "request_key": str(uuid.uuid4()),
                "physician_name": v("physician"),
                "physician_registration": v("reg"),
                "cleared_on": (today - dt.timedelta(days=14)).isoformat(),
                "valid_until": (today + dt.timedelta(days=90)).isoformat(),
                "activities": [str(activity("Walking").pk), str(custom.pk)],
                "max_session_minutes": "30",
                "weight_bearing_allowed": "on",
                "restrictions": v("restrictions"),
            },
        )
    )
    clearance = patient.clearances.get()
    _ok(
        physio_client.post(
            f"/patients/{patient.pk}/plans/new/",
            {
                "request_key": str(uuid.uuid4()),
                "title": v("plan_title"),
                "clearance": clearance.pk,
                "starts_on": (today - dt.timedelta(days=7)).isoformat(),
                "notes": v("plan_notes"),
            },
        )
    )
    plan = Plan.objects.get(patient=patient)
    prescription = {
        "activity": custom.pk,
        "sessions_per_week": "3",
        "start_minutes": "10",
        "max_minutes": "20",
        "weekly_progression_percent": "10",
        "effort_min": "9",
        "effort_max": "13",
    }
    partials["prescription added"] = _ok(
        physio_client.post(f"/plans/{plan.pk}/prescriptions/", prescription, headers=HTMX), 200
    )
    # The same activity again: refused, with its name in the error.
    partials["prescription refused"] = _ok(
        physio_client.post(f"/plans/{plan.pk}/prescriptions/", prescription, headers=HTMX), 200
    )
    _ok(physio_client.post(f"/plans/{plan.pk}/status/", {"to": "active"}))
    _ok(
        physio_client.post(
            f"/plans/{plan.pk}/progression/", {"action": "hold", "reason": v("hold_reason")}
        )
    )

    _ok(
        patient_client.post(
            "/log/",
            {
                "request_key": str(uuid.uuid4()),
                "activity": custom.pk,
                "date": today.isoformat(),
                "minutes": "12",
                "distance_unit": "km",
                "effort": "11",
                "pain_before": "2",
                "pain_after": "8",  # opens a pain alert: the alert queue shows the patient
                "no_danger_signs": "on",
                "notes": v("session_notes"),
            },
        )
    )
    session = patient.sessions.get()
    partials["urgent screen"] = _ok(
        patient_client.post(
            "/report-danger/",
            {
                "request_key": str(uuid.uuid4()),
                "danger_signs": ["vision"],
                "notes": v("danger_notes"),
            },
        ),
        200,
    )
    _ok(
        physio_client.post(
            f"/patients/{patient.pk}/comments/",
            {
                "request_key": str(uuid.uuid4()),
                "session": session.pk,
                "about": "session",
                "text": v("comment"),
            },
        )
    )
    partials["comment sent"] = _ok(
        physio_client.post(
            f"/patients/{patient.pk}/comments/",
            {
                "request_key": str(uuid.uuid4()),
                "session": session.pk,
                "about": "week",
                "text": v("week_comment"),
            },
            headers=HTMX,
        ),
        200,
    )
    danger_alert = Alert.objects.get(patient=patient, kind=AlertKind.DANGER_SIGN)
    partials["alert acknowledged"] = _ok(
        physio_client.post(
            f"/alerts/{danger_alert.pk}/acknowledge/", {"note": v("ack_note")}, headers=HTMX
        ),
        200,
    )
    measurement = {
        "kind": "circumference",
        "measured_on": today.isoformat(),
        "site": "thigh",
        "affected_cm": "41.5",
        "unaffected_cm": "45.0",
    }
    _ok(
        patient_client.post(
            "/progress/measurements/",
            {**measurement, "request_key": str(uuid.uuid4()), "notes": v("own_measurement_notes")},
        )
    )
    _ok(
        physio_client.post(
            f"/patients/{patient.pk}/measurements/",
            {**measurement, "request_key": str(uuid.uuid4()), "notes": v("measurement_notes")},
        )
    )

    week_comment = Comment.objects.get(week_of__isnull=False)
    session_comment = Comment.objects.get(session__isnull=False)
    # The patient reads the session comment: the htmx answer shows what is still unread.
    partials["comment read"] = _ok(
        patient_client.post(f"/comments/{session_comment.pk}/read/", headers=HTMX), 200
    )
    Comment.objects.filter(pk=session_comment.pk).update(read_at=None)
    assert week_comment.text == v("week_comment")

    names = (*PATIENT_NAME, *PHYSIO_NAME)
    me, them = PATIENT_NAME, PHYSIO_NAME
    p = patient.pk
    clearance_fields = ("physician", "reg", "restrictions")
    pages = [
        # (where, client, url, headers, the fields it shows)
        (
            "patient home",
            patient_client,
            "/today/",
            {},
            (*me, *them, "activity", "comment", "week_comment"),
        ),
        (
            "patient plan",
            patient_client,
            "/plan/",
            {},
            (*names, "plan_title", "plan_notes", "physician", "restrictions", "activity"),
        ),
        ("history", patient_client, "/history/", {}, (*me, "activity", "session_notes")),
        ("log form", patient_client, "/log/", {}, (*me, "activity")),
        ("patient progress", patient_client, "/progress/", {}, me),
        ("patient progress, htmx", patient_client, "/progress/", HTMX, ()),
        ("my data", patient_client, "/my-data/", {}, names),
        ("session edit", patient_client, f"/sessions/{session.pk}/edit/", {}, (*me, "activity")),
        ("caseload", physio_client, "/caseload/", {}, names),
        ("caseload, htmx", physio_client, "/caseload/", HTMX, me),
        ("alert queue", physio_client, "/alerts/", {}, names),
        (
            "record",
            physio_client,
            f"/patients/{p}/",
            {},
            (
                *names,
                "cause_detail",
                "activity",
                *clearance_fields,
                "plan_title",
                "session_notes",
                "comment",
                "week_comment",
                "ack_note",
            ),
        ),
        (
            "plan editor",
            physio_client,
            f"/plans/{plan.pk}/",
            {},
            (*names, "plan_title", "physician", "restrictions", "activity", "hold_reason"),
        ),
        (
            "progress report",
            physio_client,
            f"/patients/{p}/report/",
            {},
            (*names, "plan_title", "physician"),
        ),
        ("clinician progress", physio_client, f"/patients/{p}/progress/", {}, names),
        ("clinician progress, htmx", physio_client, f"/patients/{p}/progress/", HTMX, ()),
        ("new plan form", physio_client, f"/patients/{p}/plans/new/", {}, (*names, "physician")),
        ("clearance form", physio_client, f"/patients/{p}/clearances/new/", {}, names),
    ]
    return World(
        patient_client=patient_client,
        physio_client=physio_client,
        pages=pages,
        partials=partials,
    )


# What htmx swaps in, and the urgent screen, each with the fields it shows.
PARTIALS = {
    "prescription added": ("activity",),
    "prescription refused": ("activity",),
    "urgent screen": PATIENT_NAME,
    "comment sent": (*PATIENT_NAME, *PHYSIO_NAME, "comment", "week_comment"),
    "alert acknowledged": (*PHYSIO_NAME, "ack_note"),
    "comment read": (*PHYSIO_NAME, "week_comment"),
}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_payload_comes_back_escaped_on_every_page_and_partial(payload):
    check = Check(payload)
    world = build_world(check)

    for where, client, url, headers, expected in world.pages:
        check.page(where, client.get(url, headers=headers), expected)
    for where, response in world.partials.items():
        check.page(f"{where} (answer to the POST)", response, PARTIALS[where])

    assert check.problems == []
    shown_somewhere = {tag for *_, expected in world.pages for tag in expected}
    shown_somewhere |= {tag for expected in PARTIALS.values() for tag in expected}
    assert set(FIELDS) - shown_somewhere == NOT_SHOWN
    assert (check.pages, check.shown) == (24, 100)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_downloads_carry_the_payload_as_data_never_as_a_page(payload):
    check = Check(payload)
    world = build_world(check)
    v = check.value

    response = world.patient_client.get("/my-data/all.json")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-rehab-data-')
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert [s["notes"] for s in data["sessions"]] == [v("session_notes")]
    assert [s["activity"] for s in data["sessions"]] == [v("activity")]
    assert [(p["title"], p["cleared_by"]) for p in data["plans"]] == [
        (v("plan_title"), v("physician"))
    ]
    assert v("activity") in data["plans"][0]["activities"]
    assert sorted(c["text"] for c in data["comments"]) == sorted([v("comment"), v("week_comment")])
    assert {c["from"] for c in data["comments"]} == {f"{v('physio_first')} {v('physio_last')}"}

    for table, column, expected in [
        ("sessions", "notes", [v("session_notes")]),
        ("plans", "title", [v("plan_title")]),
        ("comments", "text", sorted([v("comment"), v("week_comment")])),
    ]:
        response = world.patient_client.get(f"/my-data/{table}.csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment; ")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert sorted(row[column] for row in rows) == expected


# Refused forms and search boxes echo what was typed ---------------------------------------


@pytest.fixture
def logged(patient, physio):
    """A session the patient logged today, on an active plan."""
    return SessionLogFactory(plan=make_active_plan(patient), date=timezone.localdate())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_refused_forms_and_searches_echo_the_payload_escaped(
    payload, patient, patient_client, physio_client, logged
):
    check = Check(payload)
    p = patient.pk
    kept = escape(payload)
    # Django keeps `next` only when it is a safe address on this site.
    next_kept = kept if url_has_allowed_host_and_scheme(payload, {"testserver"}) else ""
    anonymous = Client()
    echoes = [
        # (where, response, the HTML that must be in it)
        ("log form", patient_client.post("/log/", {"notes": payload}), kept),
        (
            "session edit",
            patient_client.post(f"/sessions/{logged.pk}/edit/", {"notes": payload}),
            kept,
        ),
        ("danger report", patient_client.post("/report-danger/", {"notes": payload}), kept),
        # The page has no notes field for a patient's own measurement: nothing to keep.
        ("own measurement", patient_client.post("/progress/measurements/", {"notes": payload}), ""),
        (
            "clearance",
            physio_client.post(
                f"/patients/{p}/clearances/new/",
                {
                    "physician_name": payload,
                    "physician_registration": payload,
                    "restrictions": payload,
                },
            ),
            f'name="physician_name" value="{kept}"',
        ),
        (
            "new plan",
            physio_client.post(f"/patients/{p}/plans/new/", {"title": payload, "notes": payload}),
            f'name="title" value="{kept}"',
        ),
        (
            "measurement",
            physio_client.post(f"/patients/{p}/measurements/", {"notes": payload}),
            f'name="notes" value="{kept}"',
        ),
        (
            "comment",
            physio_client.post(f"/patients/{p}/comments/", {"session": logged.pk, "text": payload}),
            kept,
        ),
        (
            "comment, htmx",
            physio_client.post(
                f"/patients/{p}/comments/", {"session": logged.pk, "text": payload}, headers=HTMX
            ),
            kept,
        ),
        (
            "live check",
            patient_client.post(
                "/log/check/", {"date": payload}, headers={**HTMX, "HX-Trigger-Name": "date"}
            ),
            "Enter a date, for example 21/11/2026.",
        ),
        ("caseload search", physio_client.get("/caseload/", {"q": payload}), f'value="{kept}"'),
        (
            "caseload search, htmx",
            physio_client.get("/caseload/", {"q": payload}, headers=HTMX),
            "",
        ),
        (
            # The month is chosen from a list of months: nothing typed comes back.
            "history filter",
            patient_client.get("/history/", {"month": payload}),
            "",
        ),
        (
            "sign in",
            anonymous.post("/account/login/", {"username": payload, "password": "x"}),
            f'value="{kept}"',
        ),
        (
            "sign in, next",
            anonymous.get("/account/login/", {"next": payload}),
            f'<input type="hidden" name="next" value="{next_kept}">',
        ),
        (
            "password reset",
            anonymous.post("/account/password_reset/", {"email": payload}),
            f'value="{kept}"',
        ),
    ]

    for where, response, expected in echoes:
        check.page(where, response)
        if expected not in response.content.decode():
            check.problems.append(f"{where}: what was typed is not kept, escaped")

    assert check.problems == []
    assert check.pages == 16
    assert (DangerReport.objects.count(), Comment.objects.count()) == (0, 0)


# CSRF ---------------------------------------------------------------------------------------

TOKEN_IN_BODY = re.compile(r"""<body hx-headers='\{"X-CSRFToken": "([^"]+)"\}'[^>]*>""")


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    sign_in_verified(client, user)
    return client


def token_from_page(client: Client, url: str) -> str:
    """The token as htmx reads it: from <body hx-headers>, on a page the user opened."""
    match = TOKEN_IN_BODY.search(client.get(url).content.decode())
    assert match, "no CSRF token on <body>"
    return match.group(1)


DANGER = {"danger_signs": "vision", "notes": "Blurred vision"}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_csrf_post_without_a_token_is_refused(patient, headers):
    client = csrf_client(patient)

    response = client.post("/report-danger/", DANGER, headers=headers)

    assert response.status_code == 403
    assert DangerReport.objects.count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["form", "htmx"])
def test_csrf_post_with_a_wrong_token_is_refused(patient, headers):
    client = csrf_client(patient)
    token_from_page(client, "/report-danger/")

    response = client.post("/report-danger/", DANGER, headers={**headers, "X-CSRFToken": "x" * 64})

    assert response.status_code == 403
    assert DangerReport.objects.count() == 0


def test_csrf_token_in_the_htmx_header_is_accepted(patient):
    client = csrf_client(patient)
    token = token_from_page(client, "/report-danger/")

    response = client.post("/report-danger/", DANGER, headers={**HTMX, "X-CSRFToken": token})

    assert response.status_code == 200
    assert DangerReport.objects.count() == 1


def test_csrf_htmx_acknowledge_needs_the_token_too(physio, patient):
    alert = Alert.objects.create(patient=patient, kind=AlertKind.PAIN, message="Pain 8 of 10")
    client = csrf_client(physio)
    url = f"/alerts/{alert.pk}/acknowledge/"

    refused = client.post(url, {"note": "Called her"}, headers=HTMX)
    token = token_from_page(client, "/alerts/")
    accepted = client.post(url, {"note": "Called her"}, headers={**HTMX, "X-CSRFToken": token})

    assert (refused.status_code, accepted.status_code) == (403, 200)
    alert.refresh_from_db()
    assert (alert.acknowledgement_note, alert.acknowledged_by) == ("Called her", physio)


def test_csrf_sign_in_without_a_token_is_refused(patient):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/account/login/", {"username": patient.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
