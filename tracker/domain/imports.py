"""Files from a watch or phone: keeping each file until the patient answers its questions,
making it a session through the ordinary logging path, or discarding it.

The same activity is not imported twice: not the same file (its SHA-256), and not the same
recording in another file or format (a start within a minute of one already imported), and
not a session the patient typed in (one starting within that minute)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone

from tracker.domain import audit
from tracker.domain.logbook import LogResult, SessionInput, log_session, report_danger
from tracker.integrations.activity_files.read import Reading
from tracker.models import Activity, AuditAction, ImportedFile, Plan, SessionLog, Source, User
from tracker.rules.backdating import earliest_day

SAME_ACTIVITY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Accepted:
    """A file that passed every check needing no other file (forms/imports.py): to be kept."""

    name: str
    data: bytes
    reading: Reading
    activity: Activity | None


@dataclass(frozen=True)
class Refusal:
    """A file not imported, and why, in words for the patient."""

    name: str
    reason: str


@dataclass(frozen=True)
class Staged:
    waiting: list[ImportedFile]
    refused: list[Refusal]


@dataclass
class _Known:
    """What an upload's files may repeat, read once for the whole upload (three queries):
    the patient's files with the same contents or starting near them, and the sessions typed
    in on their days. Files kept during the upload are added, so that two files of one
    upload are checked against each other too."""

    by_sha256: dict[str, ImportedFile]
    files: list[ImportedFile]
    sessions: list[SessionLog]
    this_upload: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, patient: User, accepted: list[Accepted], hashes: list[str]) -> _Known:
        starts = [item.reading.started_at for item in accepted]
        if not starts:
            return cls({}, [], [])
        days = {timezone.localdate(start) for start in starts}
        return cls(
            by_sha256={
                f.sha256: f for f in ImportedFile.objects.filter(patient=patient, sha256__in=hashes)
            },
            files=list(
                ImportedFile.objects.filter(
                    patient=patient,
                    started_at__gte=min(starts) - SAME_ACTIVITY,
                    started_at__lte=max(starts) + SAME_ACTIVITY,
                ).order_by("pk")
            ),
            sessions=list(
                SessionLog.objects.current()
                .filter(patient=patient, date__in=days, start_time__isnull=False)
                .select_related("activity")
                .order_by("date", "start_time", "pk")
            ),
        )

    def add(self, imported: ImportedFile) -> None:
        self.by_sha256[imported.sha256] = imported
        self.files.append(imported)
        self.this_upload.add(imported.pk)


def _duplicate(known: _Known, sha256: str, started_at: dt.datetime) -> str | None:
    """Why this file repeats one the patient has imported or a session they typed in, or
    None. A session typed in starting within a minute of the recording is the same one,
    whatever activity it names: no one starts two activities in the same minute."""
    if (same_file := known.by_sha256.get(sha256)) is not None:
        if same_file.pk in known.this_upload:
            return f"This is the same file as “{same_file.original_name}” in this upload."
        day = formats.date_format(timezone.localtime(same_file.uploaded_at), "j F")
        waits = ": it is waiting for your answers below" if same_file.session_id is None else ""
        return f"You imported this file already, on {day}{waits}."
    near = [f for f in known.files if abs(f.started_at - started_at) <= SAME_ACTIVITY]
    if near:
        if near[0].pk in known.this_upload:
            return (
                f"This is the same recording as “{near[0].original_name}” in this upload, "
                "in another file."
            )
        return (
            f"This activity was imported already, from “{near[0].original_name}”: "
            "the same recording in another file."
        )
    for session in known.sessions:
        typed = timezone.make_aware(dt.datetime.combine(session.date, session.start_time))
        if abs(typed - started_at) <= SAME_ACTIVITY:
            day = formats.date_format(session.date, "j F")
            return (
                f"You logged this session already: {session.activity.name.lower()} on {day} "
                f"at {session.start_time:%H:%M}."
            )
    return None


def stage_files(*, patient: User, accepted: list[Accepted]) -> Staged:
    """Keep each accepted file, with what was read, waiting for the patient's answers. One
    that repeats an imported activity (earlier, or earlier in this same upload) or a session
    typed in is refused; each file is kept or refused whole, and a file refused after it
    was written to storage is deleted from it again."""
    waiting, refused = [], []
    hashes = [hashlib.sha256(item.data).hexdigest() for item in accepted]
    known = _Known.of(patient, accepted, hashes)
    for item, sha256 in zip(accepted, hashes, strict=True):
        reading = item.reading
        if reason := _duplicate(known, sha256, reading.started_at):
            refused.append(Refusal(name=item.name, reason=reason))
            continue
        imported = ImportedFile(
            patient=patient,
            original_name=item.name[:255],
            format=reading.format,
            sha256=sha256,
            started_at=reading.started_at,
            sport=reading.sport[:60],
            moving_seconds=reading.moving_seconds,
            distance_m=reading.distance_m,
            average_heart_rate=reading.average_heart_rate,
            highest_heart_rate=reading.highest_heart_rate,
            activity=item.activity,
        )
        imported.file.save(imported.format, ContentFile(item.data), save=False)
        try:
            with transaction.atomic():
                imported.save()
                audit.record(
                    actor=patient,
                    patient=patient,
                    action=AuditAction.CHANGE,
                    what="imported a file",
                )
        except IntegrityError:
            # The same file sent twice at once: the other request kept it.
            imported.file.storage.delete(imported.file.name)
            refused.append(Refusal(name=item.name, reason="You imported this file already."))
            continue
        except BaseException:
            imported.file.storage.delete(imported.file.name)
            raise
        known.add(imported)
        waiting.append(imported)
    return Staged(waiting=waiting, refused=refused)


def answer_file(
    *,
    patient: User,
    imported: ImportedFile,
    plan: Plan,
    entry: SessionInput,
    danger_signs: list[str] = (),
    request_key: uuid.UUID | None = None,
) -> LogResult:
    """Make a waiting file a session: logged as the log form logs one, marked imported, and
    linked to its file in the same transaction. Danger signs are filed first, on their own,
    so that nothing after them can hold them back. A second submission (a double tap, Back
    and Save) returns the session the first one saved."""
    if danger_signs:
        report_danger(patient=patient, signs=list(danger_signs), request_key=request_key)
    with transaction.atomic():
        locked = ImportedFile.objects.select_for_update().get(pk=imported.pk, patient=patient)
        if locked.session_id is not None and (
            request_key is None or locked.session.request_key != request_key
        ):
            # Answered meanwhile from another tab: one file, one session.
            imported.session = locked.session
            return LogResult(session=locked.session, created=False, danger_report=None)
        result = log_session(
            patient=patient,
            plan=plan,
            entry=entry,
            danger_signs=danger_signs,
            request_key=request_key,
            source=Source.IMPORTED,
        )
        if locked.session_id is None:
            locked.session = result.session
            locked.save(update_fields=["session"])
        imported.session = locked.session
    return result


def discard_file(*, patient: User, imported: ImportedFile) -> None:
    """Throw away a waiting file and what was read from it; the same file may be imported
    again later. A file that became a session stays with it."""
    with transaction.atomic():
        deleted = ImportedFile.objects.filter(
            pk=imported.pk, patient=patient, session__isnull=True
        ).delete()[0]
        if not deleted:
            return  # already discarded (a double tap) or answered meanwhile
        audit.record(
            actor=patient, patient=patient, action=AuditAction.CHANGE, what="discarded an import"
        )
        name = imported.file.name
        storage = imported.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def discard_stale_files(*, today: dt.date) -> int:
    """Throw away the files left waiting that can no longer become a session: their day is
    further back than the log form accepts. For the daily checks; returns how many."""
    oldest = timezone.make_aware(dt.datetime.combine(earliest_day(today), dt.time()))
    # A file that gave no start time is judged by when it was uploaded.
    stale = list(
        ImportedFile.objects.filter(session__isnull=True).filter(
            Q(started_at__lt=oldest) | Q(started_at__isnull=True, uploaded_at__lt=oldest)
        )
    )
    with transaction.atomic():
        ImportedFile.objects.filter(pk__in=[f.pk for f in stale]).delete()
        for imported in stale:
            name, storage = imported.file.name, imported.file.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    return len(stale)
