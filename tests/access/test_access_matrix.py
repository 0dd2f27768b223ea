"""The authorization matrix: every URL pattern in the project, every role, GET and POST.

Design rule 5: a patient sees only their own record, a physiotherapist only their care team's
patients, an admin everyone, an anonymous visitor nothing but the sign-in pages. Each cell below
is one request by one role against one realistic world, with the exact answer expected:

- ``LOGIN``: 302 to the sign-in page with ``?next=`` this page (``ADMIN_LOGIN`` for the admin's);
- ``To("/path/")``: 302 somewhere else (formatted with the world, e.g. ``"/plans/{plan.pk}/"``);
- a status code: 200, 403 (wrong role), 404 (someone else's object), 405 (wrong method).

A refused cell (sign-in, 403, 404, 405) must also leave the database exactly as it was. POSTs
carry empty data, or the least a real form sends where empty data would stop before the access
check could matter; an authorised role then gets its form back (200) or is sent on (302).

Every pattern the URL resolver knows must be in the matrix: ``MATRIX`` for the app's and the
sign-in pages, and the admin site's, generically, by the kind of page it is. A new URL without
an entry fails ``test_every_url_pattern_is_in_the_matrix`` with its name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.conftest import sign_in_verified
from tests.factories import (
    ClearanceFactory,
    PlanFactory,
    PlanTemplateFactory,
    PrescriptionFactory,
    SessionLogFactory,
    TemplatePrescriptionFactory,
)
from tracker.access import reminder_stop_token
from tracker.domain import audit
from tracker.domain.feedback import add_comment
from tracker.domain.invitations import token_for
from tracker.models import (
    AccountClosure,
    Alert,
    AlertKind,
    AuditAction,
    CalendarFeed,
    Measurement,
    MeasurementKind,
    PlanStatus,
    Site,
    User,
)
from tracker.notifications.tasks import tell_care_team

pytestmark = pytest.mark.django_db

# The answers -------------------------------------------------------------------------------

LOGIN = "302 to sign in"
ADMIN_LOGIN = "302 to the admin's sign-in"


@dataclass(frozen=True)
class To:
    """302 to a page other than sign-in; `path` is formatted with the world's objects."""

    path: str

    def __repr__(self) -> str:
        return f"302 to {self.path}"


Answer = int | str | To

ROLES = ("anonymous", "patient", "other_patient", "physio", "other_physio", "admin")
Row = tuple[Answer, Answer, Answer, Answer, Answer, Answer]  # one answer per role, in ROLES order

# Rows that recur. Order: anonymous, patient, other patient, physio on the team, physio off
# it, admin.
NO = (405,) * 6  # the method is not allowed, whoever asks (checked before sign-in)
PATIENT_OWN = (LOGIN, 200, 200, 403, 403, 403)  # a patient's own page: each sees their own
PATIENT_OBJECT = (LOGIN, 200, 404, 403, 403, 403)  # one of the patient's own objects
SIGNED_IN_NO = (LOGIN, 405, 405, 405, 405, 405)  # sign in first, then: wrong method
CLINICIAN_OWN = (LOGIN, 403, 403, 200, 200, 200)  # a clinician's own list
CLINICIAN_RECORD = (LOGIN, 403, 403, 200, 404, 200)  # this patient's record, care team only
ANYONE = (200,) * 6
SIGNED_IN = (LOGIN, 200, 200, 200, 200, 200)


@dataclass(frozen=True)
class Entry:
    """One URL name: how to build its kwargs from the world, the answer to GET and to POST per
    role, and the POST data (empty unless said)."""

    kwargs: Callable[[SimpleNamespace], dict[str, Any]]
    get: Row
    post: Row
    data: Callable[[SimpleNamespace], dict[str, Any]] = lambda world: {}


def no_kwargs(world) -> dict:
    return {}


def of_patient(world) -> dict:
    return {"patient_id": world.patient.pk}


def of_plan(world) -> dict:
    return {"pk": world.plan.pk}


def of_prescription(world) -> dict:
    return {"pk": world.plan.pk, "prescription_id": world.prescription.pk}


def of_session(world) -> dict:
    return {"pk": world.session.pk}


def of_comment(world) -> dict:
    return {"pk": world.comment.pk}


def reset_link(world) -> dict:
    # The token is made from the account as it is now: after this test's own sign-in.
    patient = User.objects.get(pk=world.patient.pk)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(patient.pk)),
        "token": default_token_generator.make_token(patient),
    }


def anna_invited(world):
    """An invitation still waiting for Anna, from Maya."""
    now = timezone.now()
    return world.patient.invitations.get_or_create(
        defaults={
            "invited_by": world.physio,
            "nonce": "matrix-nonce",
            "sent_at": now,
            "expires_at": now + dt.timedelta(days=7),
        }
    )[0]


def anna_import(world, *, session=None):
    """A file Anna imported: waiting for her answers, or (with `session`) made that session."""
    from tracker.models import ImportedFile

    return ImportedFile.objects.get_or_create(
        patient=world.patient,
        sha256=("b" if session else "a") * 64,
        defaults={
            "file": SimpleUploadedFile("walk.gpx", b"<gpx></gpx>"),
            "original_name": "walk.gpx",
            "format": "gpx",
            "started_at": timezone.now() - dt.timedelta(days=1),
            "moving_seconds": 1200,
            "session": session,
        },
    )[0]


PLAN_EDITOR = To("/plans/{plan.pk}/")
PLAN_PAUSE = To("/plans/{plan.pk}/pause/")
RECORD = To("/patients/{patient.pk}/")
THREAD = To("/comments/{comment.pk}/thread/")
TO_SETUP, TO_CODE = To("/account/two-factor/setup/"), To("/account/two-factor/")
TWO_FACTOR_CODE = (LOGIN, TO_SETUP, TO_SETUP, To("/"), To("/"), To("/"))
TWO_FACTOR_SETUP = (LOGIN, 200, 200, TO_CODE, TO_CODE, TO_CODE)
CALENDAR = To("/reminders/")

# fmt: off
MATRIX: dict[str, Entry] = {
    # name: Entry(kwargs, GET per role, POST per role[, POST data])
    # anonymous, patient, other_patient, physio, other_physio, admin
    "home": Entry(
        no_kwargs,
        (LOGIN, To("/today/"), To("/today/"), To("/caseload/"), To("/caseload/"),
         To("/overview/")),
        NO,
    ),
    # The patient's own pages
    "patient_home": Entry(no_kwargs, PATIENT_OWN, NO),
    "my_plan": Entry(no_kwargs, PATIENT_OWN, NO),
    "log_session": Entry(no_kwargs, PATIENT_OWN, PATIENT_OWN),
    "log_validate": Entry(no_kwargs, NO, PATIENT_OWN),
    "report_danger": Entry(no_kwargs, PATIENT_OWN, PATIENT_OWN),
    "history": Entry(no_kwargs, PATIENT_OWN, NO),
    "progress": Entry(no_kwargs, PATIENT_OWN, NO),
    "my_data": Entry(no_kwargs, PATIENT_OWN, NO),
    "my_details": Entry(no_kwargs, PATIENT_OWN, PATIENT_OWN),
    "export_json": Entry(no_kwargs, PATIENT_OWN, NO),
    "export_csv": Entry(lambda world: {"table": "sessions"}, PATIENT_OWN, NO),
    "progress_measure": Entry(no_kwargs, NO, PATIENT_OWN),
    "session_edit": Entry(of_session, PATIENT_OBJECT, PATIENT_OBJECT),
    "session_delete": Entry(
        of_session, PATIENT_OBJECT, (LOGIN, To("/history/"), 404, 403, 403, 403)
    ),
    # The next-morning pain question; empty data gets the question back with its error.
    "session_next_morning": Entry(of_session, NO, PATIENT_OBJECT),
    "comment_read": Entry(
        lambda world: {"pk": world.comment.pk}, NO, (LOGIN, To("/today/"), 404, 403, 403, 403)
    ),
    # The care team's pages
    "caseload": Entry(no_kwargs, CLINICIAN_OWN, NO),
    "alert_queue": Entry(no_kwargs, CLINICIAN_OWN, NO),
    "patient_record": Entry(of_patient, CLINICIAN_RECORD, NO),
    "patient_contact": Entry(of_patient, CLINICIAN_RECORD, CLINICIAN_RECORD),
    "patient_progress": Entry(of_patient, CLINICIAN_RECORD, NO),
    "patient_report": Entry(of_patient, CLINICIAN_RECORD, NO),
    "patient_measure": Entry(of_patient, NO, CLINICIAN_RECORD),
    "clearance_new": Entry(of_patient, CLINICIAN_RECORD, CLINICIAN_RECORD),
    "clearance_letter": Entry(
        lambda world: {"pk": world.clearance.pk}, (LOGIN, 200, 404, 200, 404, 200), NO
    ),
    "plan_new": Entry(of_patient, CLINICIAN_RECORD, CLINICIAN_RECORD),
    "plan_edit": Entry(of_plan, CLINICIAN_RECORD, NO),
    "prescription_add": Entry(of_plan, NO, CLINICIAN_RECORD),
    "prescription_change": Entry(of_prescription, NO, CLINICIAN_RECORD),
    "prescription_remove": Entry(
        of_prescription, NO, (LOGIN, 403, 403, PLAN_EDITOR, 404, PLAN_EDITOR)
    ),
    "plan_progression": Entry(
        of_plan, NO, (LOGIN, 403, 403, PLAN_EDITOR, 404, PLAN_EDITOR),
        data=lambda world: {"action": "hold", "reason": "Knee swollen"},
    ),
    # Pausing goes on to its confirm page, which asks for the reason the patient reads.
    "plan_status": Entry(
        of_plan, NO, (LOGIN, 403, 403, PLAN_PAUSE, 404, PLAN_PAUSE),
        data=lambda world: {"to": PlanStatus.PAUSED},
    ),
    "plan_pause": Entry(of_plan, CLINICIAN_RECORD, CLINICIAN_RECORD),
    "plan_complete": Entry(of_plan, CLINICIAN_RECORD, CLINICIAN_RECORD),
    "alert_acknowledge": Entry(
        lambda world: {"pk": world.alert.pk}, NO, (LOGIN, 403, 403, RECORD, 404, RECORD)
    ),
    # Without a session of this patient's the view answers 404 to everyone: send one.
    "comment_new": Entry(
        of_patient, NO, (LOGIN, 403, 403, To("/patients/{patient.pk}/#comments-{session.pk}"),
                         404, To("/patients/{patient.pk}/#comments-{session.pk}")),
        data=lambda world: {"session": world.session.pk, "about": "session", "text": "Well done"},
    ),
    # Invitations (issue 16)
    "invitations": Entry(no_kwargs, CLINICIAN_OWN, NO),
    # Empty data: the form comes back with its messages at the fields.
    "invite_patient": Entry(no_kwargs, CLINICIAN_OWN, CLINICIAN_OWN),
    "invite_staff": Entry(
        no_kwargs, (LOGIN, 403, 403, 403, 403, 200), (LOGIN, 403, 403, 403, 403, 200)
    ),
    "invitation_resend": Entry(
        lambda world: {"pk": anna_invited(world).pk}, NO,
        (LOGIN, 403, 403, To("/invitations/"), 404, To("/invitations/")),
    ),
    "invitation_revoke": Entry(
        lambda world: {"pk": anna_invited(world).pk}, CLINICIAN_RECORD,
        (LOGIN, 403, 403, To("/invitations/"), 404, To("/invitations/")),
    ),
    "invitation_invite_again": Entry(
        lambda world: {"pk": anna_invited(world).pk}, NO,
        (LOGIN, 403, 403, To("/invitations/"), 404, To("/invitations/")),
    ),
    # The link is the key, signed out; a signed-in person is asked to sign out first.
    "invitation_accept": Entry(
        lambda world: {"token": token_for(anna_invited(world))},
        (200, 403, 403, 403, 403, 403), (200, 403, 403, 403, 403, 403),
    ),
    # Two-factor sign-in (issue 16)
    # Staff are signed in verified; a patient without a device is sent to set one up, a
    # verified person on to where they were going (home), and setup is only for the deviceless.
    "two_factor_verify": Entry(no_kwargs, TWO_FACTOR_CODE, TWO_FACTOR_CODE),
    "two_factor_setup": Entry(no_kwargs, TWO_FACTOR_SETUP, TWO_FACTOR_SETUP),
    "two_factor_recovery_codes": Entry(no_kwargs, SIGNED_IN, SIGNED_IN_NO),
    # Reminders and the calendar feed (issue 16)
    "reminders": Entry(no_kwargs, PATIENT_OWN, PATIENT_OWN),
    "calendar_new": Entry(no_kwargs, NO, (LOGIN, CALENDAR, CALENDAR, 403, 403, 403)),
    "calendar_revoke": Entry(no_kwargs, (LOGIN, CALENDAR, CALENDAR, 403, 403, 403),
                             (LOGIN, CALENDAR, CALENDAR, 403, 403, 403)),
    # The e-mail's stop link and the calendar address: the token is the key, signed in or not.
    "reminders_stop": Entry(
        lambda world: {"patient_id": world.patient.pk,
                       "token": reminder_stop_token(world.patient.pk)},
        ANYONE, ANYONE,
    ),
    "calendar_feed": Entry(
        lambda world: {"token": CalendarFeed.objects.get_or_create(
            patient=world.patient, defaults={"token": "matrix-calendar-address"})[0].token},
        ANYONE, NO,
    ),
    # Clinicians' notices and digests (issue 16)
    # Empty data: the form comes back with its messages at the fields.
    "notices": Entry(no_kwargs, CLINICIAN_OWN, CLINICIAN_OWN),
    # Replies (issue 16)
    # A comment's thread: its patient and whoever may open their record. Empty data gets the
    # reply form back with its message; marking the patient's replies read is the care team's.
    "comment_thread": Entry(of_comment, (LOGIN, 200, 404, 200, 404, 200), NO),
    "reply_new": Entry(of_comment, NO, (LOGIN, 200, 404, 200, 404, 200)),
    "replies_read": Entry(of_comment, NO, (LOGIN, 403, 403, THREAD, 404, THREAD)),
    # Closing an account (issue 16)
    "close_account": Entry(
        no_kwargs,
        PATIENT_OWN,
        (LOGIN, To("/my-data/close/"), To("/my-data/close/"), 403, 403, 403),
    ),
    "close_account_withdraw": Entry(
        no_kwargs, NO, (LOGIN, To("/my-data/"), To("/my-data/"), 403, 403, 403)
    ),
    # FHIR export (issue 17)
    # The patient's own Bundle (each patient gets their own), and a patient's from the record.
    "export_fhir": Entry(no_kwargs, PATIENT_OWN, NO),
    "patient_fhir": Entry(of_patient, CLINICIAN_RECORD, NO),
    # Importing files from a watch or phone (issue 17)
    # Each patient uploads their own (Ben, with no plan, gets the page without a form); a
    # waiting file is its patient's alone; discarding answers every patient alike (a file not
    # theirs, or gone, is "already discarded"), so it reveals nothing. The original of an
    # imported session: its patient, the care team, the admin.
    "import_files": Entry(no_kwargs, PATIENT_OWN, PATIENT_OWN),
    "import_review": Entry(lambda world: {"pk": anna_import(world).pk}, PATIENT_OBJECT,
                           PATIENT_OBJECT),
    "import_discard": Entry(lambda world: {"pk": anna_import(world).pk}, NO,
                            (LOGIN, To("/import/"), To("/import/"), 403, 403, 403)),
    "imported_original": Entry(
        lambda world: {"session_pk": anna_import(world, session=world.session).session_id},
        (LOGIN, 200, 404, 200, 404, 200), NO,
    ),
    # The PDF report (issue 17)
    # The care team's and admins' download, as the report page; no POST.
    "patient_report_pdf": Entry(of_patient, CLINICIAN_RECORD, NO),
    # The Patient-Specific Functional Scale (issue 17)
    # Anna's plan asks it (empty data: the form back with its message); Ben has no plan, so
    # his is not asked and a POST goes back to Today. The interval: the plan's care team.
    "psfs": Entry(no_kwargs, PATIENT_OWN, (LOGIN, 200, To("/today/"), 403, 403, 403)),
    "plan_psfs_interval": Entry(of_plan, NO, CLINICIAN_RECORD),
    # The installable app and its offline queue (issue 18)
    # The worker and the manifest hold nothing of anyone's; the token is a signed-in person's.
    "service_worker": Entry(no_kwargs, ANYONE, NO),
    "manifest": Entry(no_kwargs, ANYONE, NO),
    "offline_token": Entry(no_kwargs, SIGNED_IN, NO),
    # The admin's page
    "admin_home": Entry(no_kwargs, (LOGIN, 403, 403, 403, 403, 200), NO),
    # Signing in and out, passwords. Two patterns carry the name "login", both at
    # account/login/: the app's own (signed-in users go on home) and, shadowed by it, the one
    # in django.contrib.auth.urls. This entry covers both.
    "login": Entry(
        no_kwargs,
        (200, To("/"), To("/"), To("/"), To("/"), To("/")),
        (200, To("/"), To("/"), To("/"), To("/"), To("/")),
    ),
    "logout": Entry(no_kwargs, NO, (To("/account/login/"),) * 6),
    "password_change": Entry(no_kwargs, SIGNED_IN, SIGNED_IN),
    "password_change_done": Entry(no_kwargs, SIGNED_IN, SIGNED_IN_NO),
    "password_reset": Entry(no_kwargs, ANYONE, ANYONE),
    "password_reset_done": Entry(no_kwargs, ANYONE, NO),
    # A valid link: the token moves into the session and the browser goes on to the form.
    "password_reset_confirm": Entry(
        reset_link,
        (To("/account/reset/{patient_uid}/set-password/"),) * 6,
        (To("/account/reset/{patient_uid}/set-password/"),) * 6,
    ),
    "password_reset_complete": Entry(no_kwargs, ANYONE, NO),
}
# fmt: on

# Cells that show a real access bug: "url_name-role-METHOD": why. Marked xfail(strict), so the
# cell starts to fail (and must be moved out of here) the day the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}

# The admin site ----------------------------------------------------------------------------
# Only admins pass Django's admin; everyone else is sent to its sign-in page. What the admin
# gets depends on the kind of page. Roles: anonymous, a patient, a physiotherapist, the admin.

ADMIN_ROLES = ("anonymous", "patient", "physio", "admin")

# The site's own pages, by URL name; the final catch-all has no name.
ADMIN_SITE_PAGES = {
    "admin:index": "index",
    "admin:login": "login",
    "admin:logout": "logout",
    "admin:password_change": "password_change",
    "admin:password_change_done": "password_change_done",
    "admin:autocomplete": "autocomplete",
    "admin:jsi18n": "jsi18n",
    "admin:view_on_site": "view_on_site",
    "admin:app_list": "app_list",
}
CATCH_ALL = "catch_all"
# A model's pages, by the end of the URL name; the unnamed "<object_id>/" redirects to change.
ADMIN_MODEL_PAGES = ("changelist", "add", "history", "delete", "change", "password_change")
OBJECT_REDIRECT = "object"


@dataclass(frozen=True)
class AdminExpected:
    """(GET, POST) for visitors who are not admins, and for the admin."""

    visitor: tuple[Answer, Answer] = (ADMIN_LOGIN, ADMIN_LOGIN)
    admin: tuple[Answer, Answer] = (200, 200)


ADMIN_EXPECTED: dict[str, AdminExpected] = {
    "index": AdminExpected(),
    # The sign-in page itself: the form for anyone (a patient is told this account may not
    # enter); an admin already signed in goes on to the index.
    "login": AdminExpected(visitor=(200, 200), admin=(To("/admin/"), 200)),
    # Signing out is POST only; a non-admin is sent to the index, which sends them to sign in.
    "logout": AdminExpected(
        visitor=(To("/admin/"), To("/admin/")), admin=(405, To("/account/login/"))
    ),
    "password_change": AdminExpected(),
    "password_change_done": AdminExpected(admin=(200, 405)),
    # The patient picker on plans: searches patients by name, so admins only.
    "autocomplete": AdminExpected(admin=(200, 405)),
    "jsi18n": AdminExpected(admin=(200, 405)),
    # No tracker model has a public page of its own to send an admin to.
    "view_on_site": AdminExpected(admin=(404, 404)),
    "app_list": AdminExpected(),
    # An unknown admin URL: 404 only once signed in, so the admin's URLs cannot be probed.
    CATCH_ALL: AdminExpected(admin=(404, 404)),
    "changelist": AdminExpected(),
    "add": AdminExpected(),
    "history": AdminExpected(),
    "delete": AdminExpected(),  # the confirmation page: an empty POST deletes nothing
    "change": AdminExpected(),
    "password_change_user": AdminExpected(),
    OBJECT_REDIRECT: AdminExpected(admin=(To("{change}"), To("{change}"))),
}

# Models whose records are written by the system, never by hand: no add, and the trail no
# change or delete either.
READ_ONLY_ADMIN: dict[str, dict[str, tuple[Answer, Answer]]] = {
    "tracker.auditevent": {"add": (403, 403), "change": (200, 403), "delete": (403, 403)},
    # django-axes' records: every field read-only, so saving one changes nothing.
    "axes.accessattempt": {"add": (403, 403), "change": (200, To("{changelist}"))},
    "axes.accesslog": {"add": (403, 403), "change": (200, To("{changelist}"))},
    "axes.accessfailurelog": {"add": (403, 403), "change": (200, To("{changelist}"))},
    # A patient's request to close their account: made and withdrawn by the patient only.
    "tracker.accountclosure": {"add": (403, 403), "change": (200, 403), "delete": (403, 403)},
    # The task queue: what the worker ran or will run, kept as it was.
    "django_tasks_database.dbtaskresult": {
        "add": (403, 403),
        "change": (200, 403),
        "delete": (403, 403),
    },
}


# Walking the resolver ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # with its namespace, "admin:index"
    route: str  # the whole route, from the root
    callback: Callable = field(compare=False)

    @property
    def label(self) -> str:
        return self.name or self.route


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Every pattern the project answers, depth first, with its full route and name."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        else:
            assert isinstance(entry, URLPattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(name, prefix + str(entry.pattern), entry.callback)


def is_admin(pattern: Pattern) -> bool:
    return pattern.route.startswith("admin/")


@dataclass(frozen=True)
class AdminPage:
    pattern: Pattern
    kind: str | None  # a key of ADMIN_EXPECTED, or None: a page this matrix does not know
    model: str | None = None  # "app_label.model_name" for a model's pages

    @property
    def expected(self) -> AdminExpected | None:
        if self.kind is None:
            return None
        expected = ADMIN_EXPECTED[self.kind]
        override = READ_ONLY_ADMIN.get(self.model or "", {}).get(self.kind)
        return AdminExpected(expected.visitor, override) if override else expected


MODEL_ROUTE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$")


def admin_page(pattern: Pattern) -> AdminPage:
    if pattern.name in ADMIN_SITE_PAGES:
        return AdminPage(pattern, ADMIN_SITE_PAGES[pattern.name])
    if pattern.name is None and pattern.callback.__name__ == "catch_all_view":
        return AdminPage(pattern, CATCH_ALL)
    match = MODEL_ROUTE.match(pattern.route)
    if match is None:
        return AdminPage(pattern, None)
    try:
        model = apps.get_model(match["app"], match["model"])
    except LookupError:
        return AdminPage(pattern, None)
    if not admin.site.is_registered(model):
        return AdminPage(pattern, None)
    label = f"{match['app']}.{match['model']}"
    if pattern.name is None:
        is_redirect = re.fullmatch(r"<path:object_id>/", match["rest"])
        return AdminPage(pattern, OBJECT_REDIRECT if is_redirect else None, label)
    if pattern.name.endswith("_password_change"):
        return AdminPage(pattern, "password_change_user", label)
    suffix = pattern.name.rsplit("_", 1)[-1]
    return AdminPage(pattern, suffix if suffix in ADMIN_MODEL_PAGES else None, label)


PATTERNS = list(url_patterns())
APP_PATTERNS = [p for p in PATTERNS if not is_admin(p)]
ADMIN_PAGES = [admin_page(p) for p in PATTERNS if is_admin(p)]


# The world ---------------------------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path, patient, other_patient, physio, other_physio, admin_user):
    """Anna (the patient) on Maya's (physio's) care team, mid-plan: a current clearance with
    the physician's letter on file, an active walking plan, a session she logged yesterday
    that raised an open pain alert and that Maya commented on, and a thigh measurement. Ben
    (the other patient) is on Tomás's (the other physio's) team. Plus one of everything the
    admin lists, so each of its object pages has a real object to open."""
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    clearance = ClearanceFactory(
        patient=patient,
        recorded_by=physio,
        letter=SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n"),
        letter_content_type="application/pdf",
    )
    plan = PlanFactory(
        clearance=clearance, status=PlanStatus.ACTIVE, starts_on=today - dt.timedelta(weeks=2)
    )
    prescription = PrescriptionFactory(plan=plan)
    session = SessionLogFactory(
        plan=plan,
        date=today - dt.timedelta(days=1),
        pain_after=6,
        notes="Knee felt tight on the hill",
    )
    alert = Alert.objects.create(
        patient=patient, kind=AlertKind.PAIN, message="Pain 6/10 after walking.", session=session
    )
    comment, _ = add_comment(
        patient=patient,
        author=physio,
        text="Shorter walks until the knee settles.",
        session=session,
    )
    measurement = Measurement.objects.create(
        patient=patient,
        kind=MeasurementKind.CIRCUMFERENCE,
        measured_on=today,
        site=Site.THIGH,
        affected_cm=Decimal("44.5"),
        unaffected_cm=Decimal("48.0"),
        recorded_by=physio,
    )
    template = PlanTemplateFactory()
    TemplatePrescriptionFactory(template=template)
    audit.record(actor=physio, patient=patient, action=AuditAction.READ, what="record")
    attempt = {"user_agent": "test", "ip_address": "10.0.0.9", "username": patient.username}
    AccessAttempt.objects.create(
        **attempt,
        http_accept="*/*",
        path_info="/account/login/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessLog.objects.create(**attempt, http_accept="*/*", path_info="/account/login/")
    AccessFailureLog.objects.create(**attempt, http_accept="*/*", path_info="/account/login/")
    Group.objects.create(name="Physiotherapists")
    AccountClosure.objects.create(patient=other_patient, patient_name="Ben Carter")
    # A queued task, as the database queue keeps it (the admin lists them).
    tell_care_team.enqueue(alert.pk)
    users = {
        "anonymous": None,
        "patient": patient,
        "other_patient": other_patient,
        "physio": physio,
        "other_physio": other_physio,
        "admin": admin_user,
    }
    return SimpleNamespace(
        users=users,
        patient=patient,
        physio=physio,
        clearance=clearance,
        plan=plan,
        prescription=prescription,
        session=session,
        alert=alert,
        comment=comment,
        measurement=measurement,
        template=template,
        patient_uid=urlsafe_base64_encode(force_bytes(patient.pk)),
        # What only Anna, her care team and the admin may read.
        private=[
            patient.last_name,
            clearance.physician_name,
            session.notes,
            alert.message,
            comment.text,
        ],
    )


def snapshot() -> dict[str, list[dict]]:
    """Every row of the app's tables (audit trail and many-to-many links included) and of the
    groups: what a refused request must leave exactly as it was."""
    models: list[type[Model]] = [
        *apps.get_app_config("tracker").get_models(include_auto_created=True),
        Group,
    ]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


def sign_in(client: Client, world, role: str) -> None:
    """As after a whole sign-in: staff have given their authenticator's code."""
    if (user := world.users[role]) is not None:
        sign_in_verified(client, user)


def ask(client: Client, method: str, url: str, data: dict) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, data)
    if response.streaming:  # the letter
        b"".join(response.streaming_content)  # the test client closes it once read
    return response


def check(response, expected: Answer, url: str, world) -> None:
    if expected in (LOGIN, ADMIN_LOGIN):
        login_path = resolve_url(settings.LOGIN_URL if expected == LOGIN else "admin:login")
        location = urlsplit(response.get("Location", ""))
        assert (response.status_code, location.path, parse_qs(location.query)) == (
            302,
            login_path,
            {"next": [url]},
        )
    elif isinstance(expected, To):
        assert (response.status_code, response.get("Location")) == (
            302,
            expected.path.format(**vars(world)),
        )
    else:
        assert response.status_code == expected


# The roles that may not read Anna's record: no page they get, let in or refused, shows it.
OUTSIDERS = {"anonymous", "other_patient", "other_physio"}


def assert_nothing_private(response, role: str, world) -> None:
    if role in OUTSIDERS:
        body = response.content.decode(errors="replace")
        assert [text for text in world.private if text in body] == []


def refused(expected: Answer) -> bool:
    return expected in (LOGIN, ADMIN_LOGIN, 403, 404, 405)


# The app's cells ---------------------------------------------------------------------------


def app_cells() -> Iterator[Any]:
    for name, entry in MATRIX.items():
        for method, row in (("GET", entry.get), ("POST", entry.post)):
            for role, expected in zip(ROLES, row, strict=True):
                cell_id = f"{name}-{role}-{method}"
                marks = []
                if cell_id in KNOWN_BUGS:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[cell_id]))
                yield pytest.param(name, role, method, expected, id=cell_id, marks=marks)


APP_CELLS = list(app_cells())


@pytest.mark.parametrize(("name", "role", "method", "expected"), APP_CELLS)
def test_app_url(client, world, name, role, method, expected):
    entry = MATRIX[name]
    sign_in(client, world, role)
    url = reverse(name, kwargs=entry.kwargs(world))
    before = snapshot() if refused(expected) else None

    response = ask(client, method, url, entry.data(world) if method == "POST" else {})

    check(response, expected, url, world)
    assert_nothing_private(response, role, world)
    if refused(expected):
        assert snapshot() == before, f"{role} was refused {method} {url} but changed the data"


# The admin's cells -------------------------------------------------------------------------


def admin_url(page: AdminPage, world) -> tuple[str, dict[str, str]]:
    """The page's URL for a real object (where it takes one), and what to format `To` with."""
    route = page.pattern.route
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    query = ""
    if page.model is not None:
        model = apps.get_model(page.model)
        obj = world.patient if model is User else model._default_manager.order_by("pk").first()
        assert obj is not None, f"the world has no {page.model} for {page.pattern.label}"
        values = {"object_id": str(obj.pk), "id": str(obj.pk)}
        app_label, model_name = page.model.split(".")
        extra["changelist"] = f"/admin/{app_label}/{model_name}/"
        extra["change"] = f"{extra['changelist']}{obj.pk}/change/"
    elif page.kind == "view_on_site":
        plan_type = ContentType.objects.get_for_model(world.plan)
        values = {"content_type_id": str(plan_type.pk), "object_id": str(world.plan.pk)}
    elif page.kind == "app_list":
        values = {"app_label": "tracker"}
    elif page.kind == CATCH_ALL:
        values = {"url": "no-such-page/"}
    elif page.kind == "autocomplete":
        query = "?app_label=tracker&model_name=plan&field_name=patient&term=Anna"
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], route)  # regex patterns
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], path)
    return "/" + path.replace("^", "").replace("$", "") + query, extra


def admin_cells() -> Iterator[Any]:
    for page in ADMIN_PAGES:
        for method in ("GET", "POST"):
            for role in ADMIN_ROLES:
                cell_id = f"{page.pattern.label}-{role}-{method}"
                marks = []
                if cell_id in KNOWN_BUGS:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[cell_id]))
                yield pytest.param(page, role, method, id=cell_id, marks=marks)


ADMIN_CELLS = list(admin_cells())


@pytest.mark.parametrize(("target", "role", "method"), ADMIN_CELLS)
def test_admin_url(client, world, target, role, method):
    assert target.expected is not None, f"{target.pattern.label} is not in the admin matrix"
    answers = target.expected.admin if role == "admin" else target.expected.visitor
    expected = answers[0 if method == "GET" else 1]
    if isinstance(expected, To):
        expected = To(expected.path.format(**admin_url(target, world)[1]))
    sign_in(client, world, role)
    url, _ = admin_url(target, world)
    before = snapshot() if refused(expected) else None

    response = ask(client, method, url, {})

    check(response, expected, url, world)
    assert_nothing_private(response, role, world)
    if refused(expected):
        assert snapshot() == before, f"{role} was refused {method} {url} but changed the data"


# Coverage ----------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(
        {p.label for p in APP_PATTERNS if p.name not in MATRIX}
        | {page.pattern.label for page in ADMIN_PAGES if page.expected is None}
    )
    assert missing == [], f"URL patterns without an entry in the access matrix: {missing}"


def test_the_matrix_names_no_url_that_is_gone():
    names = {p.name for p in APP_PATTERNS}
    assert sorted(set(MATRIX) - names) == []


def test_matrix_has_a_cell_for_every_url_role_and_method():
    # Counted from the resolver, not from MATRIX: a URL added without an access decision, a
    # role or method left out, or a known bug naming a cell that no longer exists all fail.
    methods = ("GET", "POST")
    wanted = {
        f"{pattern.label}-{role}-{method}"
        for pattern in PATTERNS
        for role in (ADMIN_ROLES if is_admin(pattern) else ROLES)
        for method in methods
    }
    cells = [cell.id for cell in APP_CELLS + ADMIN_CELLS]
    print(
        f"\naccess matrix: {len(PATTERNS)} URL patterns ({len(APP_PATTERNS)} app and sign-in, "
        f"{len(ADMIN_PAGES)} admin), {len(cells)} cells ({len(APP_CELLS)} app, "
        f"{len(ADMIN_CELLS)} admin)"
    )

    assert {
        "without a cell": sorted(wanted - set(cells)),
        "for no URL": sorted(set(cells) - wanted),
        "asked twice": sorted(cell for cell, times in Counter(cells).items() if times > 1),
        "admin pages without an answer": [
            page.pattern.label for page in ADMIN_PAGES if page.expected is None
        ],
        "known bugs for no cell": sorted(set(KNOWN_BUGS) - set(cells)),
    } == {
        "without a cell": [],
        "for no URL": [],
        "asked twice": [],
        "admin pages without an answer": [],
        "known bugs for no cell": [],
    }
