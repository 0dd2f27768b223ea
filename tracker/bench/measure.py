"""Timing the key pages of issue 15 against the bench clinic (seed.py), in this process.

Each page is asked for through django.test.Client as the account that opens it (signed in with
force_login), a few times to warm up and then `repeat` times, each with its query count. The
daily checks run in a transaction that is rolled back, so they find the same work every time.
Throughput is compared with a bare view through the same middleware (urls.py)."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.accounts import two_factor
from tracker.bench.seed import ADMIN_USERNAME, BUSY_PHYSIO_USERNAME
from tracker.bench.urls import BARE_PATH
from tracker.domain.checks import run_checks
from tracker.models import Alert, AuditEvent, SessionLog, User
from tracker.rules.thresholds import SILENCE_DAYS

DEFAULT_REPEAT = 30
DEFAULT_WARMUP = 3


class BenchError(Exception):
    """The bench clinic is missing, or a page did not answer 200."""


@dataclass(frozen=True)
class Cast:
    """Who opens the pages: the admin, the busiest physiotherapist, and the patient of theirs
    with the median number of sessions (a typical one at any scale, so a patient's pages can be
    compared across scales)."""

    admin: User
    physio: User
    patient: User


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    who: str  # the Cast member who opens it; empty for the daily checks
    url: Callable[[Cast], str]


PAGES = [
    Page(
        "caseload_admin", "admin's caseload, all patients", "admin", lambda c: reverse("caseload")
    ),
    Page("alerts_admin", "admin's alert queue", "admin", lambda c: reverse("alert_queue")),
    Page("alerts", "physio's alert queue", "physio", lambda c: reverse("alert_queue")),
    Page(
        "audit_admin",
        "Django admin, audit events",
        "admin",
        lambda c: reverse("admin:tracker_auditevent_changelist"),
    ),
    Page("caseload", "physio's caseload", "physio", lambda c: reverse("caseload")),
    Page(
        "record",
        "patient record, as physio",
        "physio",
        lambda c: reverse("patient_record", args=[c.patient.pk]),
    ),
    Page(
        "progress", "progress, all weeks", "patient", lambda c: reverse("progress") + "?range=all"
    ),
    Page("history", "history, first page", "patient", lambda c: reverse("history")),
    Page("today", "patient Today", "patient", lambda c: reverse("patient_home")),
    Page("log", "log form", "patient", lambda c: reverse("log_session")),
    Page("run_checks", "run_checks (daily checks)", "", lambda c: ""),
]
PAGE_NAMES = [page.name for page in PAGES]


@dataclass(frozen=True)
class Timing:
    name: str
    label: str
    queries_min: int
    queries_max: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    vs_bare: float | None = None

    @property
    def queries(self) -> str:
        if self.queries_min == self.queries_max:
            return str(self.queries_min)
        return f"{self.queries_min}-{self.queries_max}"


def measure(
    *, pages: list[str] | None = None, repeat: int = DEFAULT_REPEAT, warmup: int = DEFAULT_WARMUP
) -> tuple[dict, list[Timing]]:
    """The clinic's size, and a Timing per page named (all by default), bare view first."""
    chosen = [page for page in PAGES if pages is None or page.name in pages]
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts):
        cast = _cast()
        _tidy()
        clients = {who: _client(getattr(cast, who)) for who in ("admin", "physio", "patient")}
        # The bare view's URLs only for the bare view: every page is timed with the project's
        # own (under the bench's, which include them, each request took some 10 ms more).
        with override_settings(ROOT_URLCONF="tracker.bench.urls"):
            bare = _time("bare", "bare view", _get(clients["patient"], BARE_PATH), repeat, warmup)
        bare = _against(bare, bare)
        timings = [bare]
        for page in chosen:
            run = _checks if not page.who else _get(clients[page.who], page.url(cast))
            timing = _time(page.name, page.label, run, repeat, warmup)
            if not page.who:
                _tidy()
            # The daily checks are no request: a throughput against a view means nothing.
            timings.append(_against(timing, bare) if page.who else timing)
    return _clinic(cast), timings


def _cast() -> Cast:
    try:
        admin = User.objects.get(username=ADMIN_USERNAME)
        physio = User.objects.get(username=BUSY_PHYSIO_USERNAME)
    except User.DoesNotExist:
        raise BenchError("no bench clinic in this database: run `manage.py bench_seed`") from None
    patients = list(
        User.objects.filter(profile__care_team=physio)
        .annotate(logged=Count("sessions", filter=Q(sessions__deleted_at__isnull=True)))
        .order_by("logged", "pk")
    )
    if not patients:
        raise BenchError("the busiest physiotherapist has no patients: seed again")
    return Cast(admin=admin, physio=physio, patient=patients[len(patients) // 2])


def _client(user: User) -> Client:
    """Signed in as after the whole sign-in: staff have given their authenticator's code (the
    bench's staff get an app if they have none), so their pages answer, not the code page."""
    client = Client()
    client.force_login(user)
    if two_factor.required_for(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name=two_factor.APP_NAME)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _get(client: Client, url: str) -> Callable[[], None]:
    def run() -> None:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}, not 200")

    return run


def _checks() -> None:
    with transaction.atomic():
        run_checks(today=timezone.localdate(), silence_days=SILENCE_DAYS)
        transaction.set_rollback(True)


def _tidy() -> None:
    """Vacuum the triage rows and the alerts: each rolled-back run of the daily checks leaves
    a dead copy of every triage row and of the alerts it opened (in the open alerts' indexes
    too), which a day's single run and autovacuum would not let pile up."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tracker_attention, tracker_alert")


def _time(name: str, label: str, run: Callable[[], None], repeat: int, warmup: int) -> Timing:
    for _ in range(warmup):
        run()
    seconds, counts = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - started)
        counts.append(len(queries))
    ordered = sorted(seconds)
    return Timing(
        name=name,
        label=label,
        queries_min=min(counts),
        queries_max=max(counts),
        p50_ms=statistics.median(ordered) * 1000,
        p95_ms=ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000,
        mean_ms=statistics.fmean(ordered) * 1000,
    )


def _against(timing: Timing, bare: Timing) -> Timing:
    return Timing(**{**asdict(timing), "vs_bare": bare.mean_ms / timing.mean_ms})


def _clinic(cast: Cast) -> dict:
    return {
        "database": _database_name(),
        "patients": User.objects.filter(role="patient").count(),
        "physiotherapists": User.objects.filter(role="physiotherapist").count(),
        "busiest_caseload": cast.physio.caseload.count(),
        "sessions": SessionLog.objects.count(),
        "alerts": Alert.objects.count(),
        "open_alerts": Alert.objects.open().count(),
        "audit_events": AuditEvent.objects.count(),
        "patient_sessions": cast.patient.sessions.count(),
    }


def _database_name() -> str:
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return f"{connection.display_name} {connection.pg_version // 10000}"
    return connection.display_name


def markdown(clinic: dict, timings: list[Timing], *, repeat: int) -> str:
    """The table to paste in a closing note, under a line saying what was measured."""
    lines = [
        f"{clinic['patients']:,} patients, {clinic['physiotherapists']:,} physiotherapists "
        f"(the busiest with {clinic['busiest_caseload']:,}), {clinic['sessions']:,} sessions, "
        f"{clinic['alerts']:,} alerts ({clinic['open_alerts']:,} open), "
        f"{clinic['audit_events']:,} audit events; {clinic['database']}; "
        f"{repeat} requests per page; the patient has {clinic['patient_sessions']:,} sessions.",
        "",
        "| page | queries | p50 ms | p95 ms | throughput vs bare view |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for t in timings:
        ratio = "n/a" if t.vs_bare is None else f"{t.vs_bare:.3f}"
        times = f"{t.p50_ms:,.1f} | {t.p95_ms:,.1f}"
        lines.append(f"| {t.label} (`{t.name}`) | {t.queries} | {times} | {ratio} |")
    return "\n".join(lines)
