import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from governance.demo.builder import unlogged_queries

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_the_demo_keeps_no_debug_log_of_its_queries_and_restores_it():
    connection.queries_log.clear()
    with unlogged_queries(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert len(connection.queries) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert len(connection.queries) == 1


def test_a_caller_that_captures_queries_still_sees_them():
    with (
        CaptureQueriesContext(connection) as queries,
        unlogged_queries(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
    assert len(queries) == 1
