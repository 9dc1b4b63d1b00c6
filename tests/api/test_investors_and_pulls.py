"""Who may change an investor, and what an incremental pull (?updated_since=) sees."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import Forbidden
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from projects.models import Investor, Project
from projects.services import investor_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_investor(unit, foreign_unit, industry, manager):
    """One investor with a project in Jiulongpo and one in Jiangjin."""
    investor = factories.InvestorFactory(name="两区投资集团", is_high_tech=False)
    factories.make_project(unit=unit, industry=industry, by=manager, investor=investor, name="九龙坡项目")
    # Joined by an administrator: a district may not attach another district's investor.
    admin = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
    factories.make_project(unit=foreign_unit, industry=industry, by=admin, investor=investor, name="江津项目")
    return investor


def test_a_clerk_may_not_change_an_investor_with_another_districts_project(shared_investor, staff, manager):
    for user in (staff, manager):
        with pytest.raises(Forbidden):
            investor_update(investor=shared_investor, by=user, is_high_tech=True)
    assert Investor.objects.get(pk=shared_investor.pk).is_high_tech is False


def test_a_clerk_may_change_an_investor_whose_projects_are_all_its_units(unit, industry, manager, staff):
    investor = factories.InvestorFactory(name="本单位投资公司")
    factories.make_project(unit=unit, industry=industry, by=manager, investor=investor)
    assert investor_update(investor=investor, by=staff, is_high_tech=True).is_high_tech is True
    fresh = factories.InvestorFactory(name="尚无项目的公司")  # no project yet: anyone who writes
    assert investor_update(investor=fresh, by=staff, origin="成都市").origin == "成都市"


def test_an_administrator_may_change_any_investor(shared_investor):
    admin = factories.UserFactory(username="root", is_superuser=True)
    assert investor_update(investor=shared_investor, by=admin, is_listed=True).is_listed is True


def test_the_api_refuses_the_change_with_403(api, staff, shared_investor):
    response = api.as_user(staff).patch(
        f"/api/v1/investors/{shared_investor.pk}/", {"is_high_tech": True}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_the_investor_page_offers_no_edit_and_refuses_it(client, staff, shared_investor):
    from django.urls import reverse

    client.force_login(staff)
    listing = client.get(reverse("investors")).content.decode()
    assert "两区投资集团" in listing
    assert reverse("investor-edit", args=[shared_investor.pk]) not in listing
    assert client.get(reverse("investor-edit", args=[shared_investor.pk])).status_code == 403


def _age(projects):
    long_ago = timezone.now() - dt.timedelta(days=30)
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(updated_at=long_ago)
    return long_ago + dt.timedelta(days=1)


def test_filing_progress_makes_the_project_part_of_the_next_pull(unit, industry, manager, staff):
    project = factories.make_project(unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 6))
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 2, 1))
    since = _age([project])
    version = Project.objects.get(pk=project.pk).version
    progress_save(project=project, by=staff, month=dt.date(2025, 6, 1), funds_in_place=Decimal("9.00"))
    fresh = Project.objects.get(pk=project.pk)
    assert fresh.updated_at > since
    assert fresh.version == version  # a progress report does not make an open edit stale


def test_changing_an_investor_makes_its_projects_part_of_the_next_pull(unit, industry, manager, staff):
    investor = factories.InvestorFactory(name="改名前公司")
    project = factories.make_project(unit=unit, industry=industry, by=manager, investor=investor)
    other = factories.make_project(unit=unit, industry=industry, by=manager)
    since = _age([project, other])
    investor_update(investor=investor, by=staff, name="改名后公司")
    assert set(Project.objects.filter(updated_at__gte=since)) == {project}
