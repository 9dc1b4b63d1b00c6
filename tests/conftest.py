import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from projects.lifecycle import Stage
from tests import factories
from tests.monthend.fixtures import month_end_year  # noqa: F401 (the month end's hand-counted year)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def district(db):
    return factories.DistrictFactory(code="jiulongpo", name="九龙坡区", short_code="JLP")


@pytest.fixture
def other_district(db):
    return factories.DistrictFactory(code="jiangjin", name="江津区", short_code="JJ")


@pytest.fixture
def unit(district):
    return factories.UnitFactory(code="jlp-econ", name="区经济信息委", district=district)


@pytest.fixture
def other_unit(district):
    return factories.UnitFactory(code="jlp-sci", name="区科技局", district=district)


@pytest.fixture
def foreign_unit(other_district):
    return factories.UnitFactory(code="jj-invest", name="区招商投资局", district=other_district)


@pytest.fixture
def industry(db):
    root = factories.IndustryFactory(code="ADV", name="先进制造和科技创新")
    return factories.IndustryFactory(code="ADV-EIT", name="新一代电子信息", parent=root)


@pytest.fixture
def staff(unit):
    return factories.staff_of(unit, username="clerk")


@pytest.fixture
def manager(district):
    return factories.manager_of(district, username="manager")


@pytest.fixture
def city(db):
    return factories.city_user(username="city")


@pytest.fixture
def project(unit, industry, manager):
    return factories.make_project(unit=unit, industry=industry, by=manager, name="立琻半导体项目")


@pytest.fixture
def stale(unit, industry, manager):
    """Negotiating since 2025-01-06: overdue from 2025-04-07 on (谈而未定)."""
    return factories.make_project(
        unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 6), name="久谈未定项目"
    )


@pytest.fixture
def signed(project, manager):
    """The fixture project, approved 2025-03-01 and signed 2025-03-11 (contract 10,000 万元)."""
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1), by=manager)
    project.refresh_from_db()
    return project


@pytest.fixture
def signed_in_february(unit, industry, manager):
    """长安配套项目: negotiating since 2025-01-06, approved 2025-02-01, signed 2025-02-20 with a
    contract of 520,000 万元 (total investment 10,000 万元)."""
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 6), name="长安配套项目"
    )
    factories.advance(
        project,
        (Stage.APPROVED, dt.date(2025, 2, 1)),
        (Stage.SIGNED, dt.date(2025, 2, 20)),
        by=manager,
        signed={"contract_investment": Decimal("520000.00")},
    )
    project.refresh_from_db()
    return project
