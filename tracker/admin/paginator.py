"""A paginator for the admin's largest changelists: counting millions of rows on every page
costs more than the page itself, so an unfiltered list on PostgreSQL reads the planner's
estimate of the table's size instead. Filtered or searched lists, small tables and SQLite
count exactly."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and the estimate would show a wrong total.
EXACT_BELOW = 100_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        estimate = self._estimate()
        if estimate is None or estimate < EXACT_BELOW:
            return super().count
        return estimate

    def _estimate(self) -> int | None:
        """The table's estimated row count, or None when an estimate would not do."""
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct or query.combinator:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        # -1 for a table never analysed since PostgreSQL 14.
        return int(row[0]) if row and row[0] >= 0 else None
