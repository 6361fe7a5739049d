"""An admin paginator that does not count a big table row by row.

On PostgreSQL an unfiltered changelist of a large table takes its total from the planner's
statistics (pg_class.reltuples, kept fresh by autovacuum/ANALYZE) instead of COUNT(*), which
reads the whole table. Filtered lists (a search, a filter, a community's own rows) and every
list on SQLite keep the exact count, and so do tables below ESTIMATE_FROM rows.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

ESTIMATE_FROM = 100_000


def estimated_count(queryset, *, minimum: int = ESTIMATE_FROM) -> int | None:
    """The table's estimated row count for an unfiltered PostgreSQL queryset, else None."""
    if not isinstance(queryset, QuerySet):
        return None
    connection = connections[queryset.db]
    query = queryset.query
    if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator:
        return None
    if query.low_mark or query.high_mark is not None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    estimate = row[0] if row else -1
    return estimate if estimate >= minimum else None


class EstimatedCountPaginator(Paginator):
    estimate_from = ESTIMATE_FROM

    @cached_property
    def count(self) -> int:
        estimate = estimated_count(self.object_list, minimum=self.estimate_from)
        return estimate if estimate is not None else super().count
