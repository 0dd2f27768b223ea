"""Filling an empty database with a bench clinic at a chosen scale.

At the default 10,000 patients it is the clinic of issue 15: 200 physiotherapists, one of them
with 500 patients, about 2 million sessions, 116,000 alerts (6,300 open) and 2.3 million audit
events; every count follows the number of patients in those proportions. The same seed gives
the same clinic. A database holding accounts that are not the bench's is refused, as the demo
refuses one; a database already seeded is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from tracker.bench.rows import Context, Person, add_patient
from tracker.bench.writer import Ids, Writer
from tracker.domain.attention import refresh_everyone
from tracker.models import Activity, Role, User

PREFIX = "bench-"
ADMIN_USERNAME = f"{PREFIX}admin"
BUSY_PHYSIO_USERNAME = f"{PREFIX}physio-000"
DEFAULT_PATIENTS = 10_000
DEFAULT_SEED = 15
# One patient in a hundred reported danger signs (the first of each hundred).
# Patients written per batch: bounds the memory a batch's sessions take.
BATCH = 250
FIRST_NAMES = ["Anna", "Ben", "Chloé", "Dev", "Eli", "Fatima", "Grace", "Hugo", "Ines", "Jonas"]
LAST_NAMES = ["Novak", "Carter", "Okafor", "Silva", "Berg", "Haddad", "Moreau", "Kowalski"]


class SeedRefused(Exception):
    """The database holds accounts that are not the bench's."""


@dataclass(frozen=True)
class Scale:
    """How many of each: 200 physiotherapists and one busy one with 500 per 10,000 patients."""

    patients: int

    @property
    def physios(self) -> int:
        return max(2, round(self.patients * 200 / DEFAULT_PATIENTS))

    @property
    def busy_caseload(self) -> int:
        return max(1, round(self.patients * 500 / DEFAULT_PATIENTS))


@dataclass
class Seeded:
    scale: Scale
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        made = ", ".join(f"{count:,} {name}" for name, count in self.rows.items())
        return f"Seeded {self.scale.patients:,} patients in {self.seconds:.1f} s: {made}."


def seed(*, patients: int = DEFAULT_PATIENTS, random_seed: int = DEFAULT_SEED) -> Seeded | None:
    """Fill the database with a bench clinic of `patients` patients. None if it is there."""
    if patients < 1:
        raise ValueError("A bench clinic needs at least one patient.")
    started = time.perf_counter()
    with transaction.atomic():
        usernames = User.objects.values_list("username", flat=True)
        if usernames.exclude(username__startswith=PREFIX).exists():
            raise SeedRefused(
                "this database holds accounts that are not the bench's; the bench only fills "
                "an empty database (point DATABASE_URL at a new one)"
            )
        if usernames.exists():
            return None
        out = _build(Scale(patients), random.Random(random_seed))
        # Written by COPY, past the signals: the triage rows as the daily checks leave them.
        refresh_everyone(today=timezone.localdate())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The planner sees the new tables' sizes, and (outside a transaction, as from the
            # command) the tables are vacuumed as autovacuum would have left a database in use:
            # index-only scans need the visibility map.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    rows = {model._meta.verbose_name_plural: count for model, count in out.written.items()}
    return Seeded(Scale(patients), time.perf_counter() - started, rows)


def _build(scale: Scale, rng: random.Random) -> Writer:
    now = timezone.now()
    out, ids = Writer(), Ids()
    password = make_password(None)  # nobody signs in: the benchmark uses force_login
    admin = _user(out, ids, ADMIN_USERNAME, "Alex", "Morgan", Role.ADMIN, password, now)
    physios = [
        _user(out, ids, f"{PREFIX}physio-{k:03d}", *_name(k), Role.PHYSIOTHERAPIST, password, now)
        for k in range(scale.physios)
    ]
    context = Context(
        rng=rng,
        today=timezone.localdate(now),
        now=now,
        tz=timezone.get_current_timezone(),
        activities={a.name: a for a in Activity.objects.all()},
        ids=ids,
        out=out,
        admin=admin,
    )
    out.flush()
    for i in range(scale.patients):
        patient = _user(
            out, ids, f"{PREFIX}patient-{i:05d}", *_name(i), Role.PATIENT, password, now
        )
        add_patient(context, patient, _team(i, scale, physios), danger=i % 100 == 0)
        if (i + 1) % BATCH == 0:
            out.flush()
    out.flush()
    out.reset_sequences()
    return out


def _team(i: int, scale: Scale, physios: list[Person]) -> list[Person]:
    """The busy physiotherapist leads the first patients; the others share the rest, and one
    patient in ten has a second physiotherapist on the team."""
    others = physios[1:]
    lead = (
        physios[0] if i < scale.busy_caseload else others[(i - scale.busy_caseload) % len(others)]
    )
    if i % 10 == 0:
        second = others[(i * 7) % len(others)]
        if second is not lead:
            return [lead, second]
    return [lead]


def _name(k: int) -> tuple[str, str]:
    return FIRST_NAMES[k % len(FIRST_NAMES)], LAST_NAMES[(k // len(FIRST_NAMES)) % len(LAST_NAMES)]


def _user(out, ids, username, first, last, role, password, now: dt.datetime) -> Person:
    pk = ids.take(User)
    admin = role == Role.ADMIN
    out.add(
        User,
        id=pk,
        password=password,
        last_login=None,
        is_superuser=admin,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        is_staff=admin,
        is_active=True,
        date_joined=now,
        role=role.value,
    )
    return Person(pk, f"{first} {last}", role.value)
