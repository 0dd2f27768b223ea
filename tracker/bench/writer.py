"""Writing many rows at once: COPY on PostgreSQL, multi-row INSERTs elsewhere (SQLite, only at
the small scales the tests use). Rows carry their own ids, so that rows written in the same
batch can point at each other; the id sequences are moved past them afterwards."""

from __future__ import annotations

import json
from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

INSERT_BATCH = 500


class Ids:
    """The next free id of each table, read once from the table itself."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        taken = self._next[model]
        self._next[model] = taken + 1
        return taken


class Writer:
    """Rows gathered per table, written table by table in the order first seen when flushed.

    Each row is a dict of attribute names (`patient_id`, not `patient`) to Python values."""

    def __init__(self) -> None:
        self._rows: dict[type[models.Model], list[dict]] = defaultdict(list)
        self.written: dict[type[models.Model], int] = defaultdict(int)

    def add(self, model: type[models.Model], **row) -> None:
        self._rows[model].append(row)

    def flush(self) -> None:
        for model, rows in self._rows.items():
            if rows:
                _write(model, rows)
                self.written[model] += len(rows)
        self._rows = defaultdict(list)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(self.written)):
                cursor.execute(statement)


def _write(model: type[models.Model], rows: list[dict]) -> None:
    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            as_json = [isinstance(field, models.JSONField) for field in fields]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row[name]) if is_json else row[name]
                            for name, is_json in zip(names, as_json, strict=True)
                        ]
                    )
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            values = [
                field.get_db_prep_save(row[field.attname], connection)
                for row in batch
                for field in fields
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}", values
            )
