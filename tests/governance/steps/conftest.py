"""The missing steps of the work, done as staff do them: logged in, through the back office."""

import pytest


@pytest.fixture
def office(client, community, staff):
    """社区工作人员 logged in: the role that runs the council, pays relief, keeps hours."""
    client.force_login(staff)
    return client
