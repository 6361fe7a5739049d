"""The demo community, loaded once per test module (it takes seconds, not milliseconds).

The load runs inside an outer transaction that is rolled back after the module, so the other
modules see the database as before; each test's own transaction nests inside it (a savepoint).
"""

import pytest
from django.db import transaction
from django.test import override_settings

from governance.demo.builder import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
