import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    """The OpenAPI document as /api/schema/ serves it."""
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` signs it in (session-less, like a token)."""

    client = APIClient()

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client


@pytest.fixture
def foreign_manager(other_district):
    return factories.manager_of(other_district, username="jj-manager")


@pytest.fixture
def foreign_staff(foreign_unit):
    return factories.staff_of(foreign_unit, username="jj-clerk")


@pytest.fixture
def colleague(other_unit):
    """Staff of another unit in the same district."""
    return factories.staff_of(other_unit, username="colleague")


@pytest.fixture
def system(district):
    return factories.system_user(district, username="city-platform")


@pytest.fixture
def read_only_system(district):
    return factories.system_user(district, username="warehouse", read_only=True)


@pytest.fixture
def staff_project(unit, industry, staff):
    """A project of the staff's own unit."""
    return factories.make_project(unit=unit, industry=industry, name="渝西智造基地")


@pytest.fixture
def foreign_project(foreign_unit, industry):
    return factories.make_project(unit=foreign_unit, industry=industry, name="江津物流园")


def body(response):
    return response.json()
