import pytest

from regie.accounts.roles import Role
from tests.conftest import verified_client


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_its_start_page(orgs, make_user, role):
    user = make_user(role=role, org=orgs["a"])
    response = verified_client(user).get("/start/")
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_anonymous_is_sent_to_login(db, client):
    response = client.get("/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
