"""Creating and editing projects and investors through the services, with a duplicate check."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.credit_code import make_credit_code
from projects.lifecycle import Stage
from projects.models import Investor, Project
from tests import factories

pytestmark = pytest.mark.django_db


def project_data(unit, industry, **overrides):
    data = {
        "name": "新能源电池包项目",
        "industry": industry.pk,
        "unit": unit.pk,
        "source": "exhibition",
        "total_investment": "150000",
        "planned_sign_date": "",
        "planned_start_date": "",
        "planned_production_date": "",
    }
    data.update(overrides)
    return data


def test_a_clerk_creates_a_project_in_its_unit(clerk_client, unit, industry, today):
    response = clerk_client.post(reverse("project-create"), project_data(unit, industry))
    project = Project.objects.get(name="新能源电池包项目")
    assert response.status_code == 302
    assert response["Location"] == reverse("project-detail", args=[project.pk])
    assert project.stage == Stage.NEGOTIATING and project.negotiation_started_on == today
    assert project.code.startswith("JLP-")
    assert project.total_investment == Decimal("150000.00")


def test_a_clerk_cannot_create_in_another_unit(clerk_client, other_unit, industry):
    response = clerk_client.post(reverse("project-create"), project_data(other_unit, industry))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Project.objects.exists()


def test_a_service_refusal_is_shown_beside_its_field(clerk_client, unit, industry):
    data = project_data(unit, industry, planned_sign_date="2026-06-01", planned_start_date="2026-05-01")
    response = clerk_client.post(reverse("project-create"), data)
    assert response.context["form"].errors == {"planned_start_date": ["计划开工日期不能早于计划签约日期。"]}
    assert not Project.objects.exists()


def test_a_project_of_the_same_investor_is_warned_about_before_saving(clerk_client, unit, industry, manager):
    investor = factories.InvestorFactory(name="宁波华翔电子股份有限公司")
    factories.make_project(
        unit=unit, industry=industry, by=manager, name="华翔汽车内饰件基地", investor=investor
    )
    data = project_data(unit, industry, name="华翔汽车内饰件智慧生产基地", investor=investor.pk)
    response = clerk_client.post(reverse("project-create"), data)
    assert response.status_code == 200
    assert [p.name for p in response.context["duplicates"]] == ["华翔汽车内饰件基地"]
    assert "可能是重复项目" in response.content.decode()
    assert Project.objects.count() == 1

    response = clerk_client.post(reverse("project-create"), {**data, "confirm_duplicate": "1"})
    assert response.status_code == 302
    assert Project.objects.count() == 2


def test_the_same_credit_code_is_warned_about_even_with_a_different_name(
    clerk_client, unit, industry, manager
):
    investor = factories.InvestorFactory()
    factories.make_project(unit=unit, industry=industry, by=manager, name="甲项目", investor=investor)
    data = project_data(unit, industry, name="完全不同的乙项目", investor=investor.pk)
    response = clerk_client.post(reverse("project-create"), data)
    assert [p.name for p in response.context["duplicates"]] == ["甲项目"]


def test_a_duplicate_the_clerk_may_not_see_is_counted_but_not_named(
    clerk_client, unit, foreign_unit, other_unit, industry
):
    investor = factories.InvestorFactory(name="宁波华翔电子股份有限公司")
    # 江津 courts the same company under its own record of it: an investor of another
    # district's projects may not be attached by this one (accounts.roles.can_attach_investor).
    namesake = factories.InvestorFactory(name="宁波华翔电子股份有限公司")
    factories.make_project(unit=foreign_unit, industry=industry, name="江津华翔内饰件基地", investor=namesake)
    factories.make_project(unit=other_unit, industry=industry, name="科技局华翔研发中心", investor=investor)
    data = project_data(unit, industry, name="华翔内饰件基地", investor=investor.pk)
    response = clerk_client.post(reverse("project-create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and Project.objects.count() == 2
    assert response.context["duplicates"].visible == []
    assert response.context["duplicates"].elsewhere == 2
    assert "另有 2 个可能重复的项目" in page
    assert "江津华翔内饰件基地" not in page and "科技局华翔研发中心" not in page
    response = clerk_client.post(reverse("project-create"), {**data, "confirm_duplicate": "1"})
    assert response.status_code == 302 and Project.objects.count() == 3


def test_an_investor_without_code_and_a_similar_name_is_warned_about(clerk_client, unit, industry, manager):
    first = factories.InvestorFactory(name="Siemens AG", credit_code="")
    second = factories.InvestorFactory(name="Siemens AG", credit_code="")
    factories.make_project(
        unit=unit, industry=industry, by=manager, name="西门子智能制造中心项目", investor=first
    )
    similar = project_data(unit, industry, name="西门子智能制造中心", investor=second.pk)
    assert clerk_client.post(reverse("project-create"), similar).context["duplicates"]
    different = project_data(unit, industry, name="数据中心冷却设备", investor=second.pk)
    assert clerk_client.post(reverse("project-create"), different).status_code == 302


def test_editing_saves_through_the_service_and_bumps_the_version(clerk_client, project, unit, industry):
    url = reverse("project-edit", args=[project.pk])
    data = project_data(unit, industry, name="立琻半导体（二期）", version=project.version)
    response = clerk_client.post(url, data)
    assert response.status_code == 302
    saved = Project.objects.get(pk=project.pk)
    assert saved.name == "立琻半导体（二期）" and saved.version == project.version + 1


def test_editing_a_stale_page_is_refused_with_a_conflict(clerk_client, project, unit, industry):
    url = reverse("project-edit", args=[project.pk])
    data = project_data(unit, industry, name="旧页面", version=project.version - 1)
    response = clerk_client.post(url, data)
    assert response.status_code == 200
    assert "已被他人修改" in response.context["form"].non_field_errors()[0]
    assert Project.objects.get(pk=project.pk).name == project.name


def test_every_project_field_has_a_label(clerk_client):
    html = clerk_client.get(reverse("project-create")).content.decode()
    for name in ("name", "investor", "industry", "unit", "park", "total_investment", "planned_start_date"):
        assert f'<label for="id_{name}">' in html, name


def test_an_investor_is_created_with_a_checked_credit_code(clerk_client):
    code = make_credit_code("91500107MA5U7XY10")
    response = clerk_client.post(
        reverse("investor-create"), {"name": "重庆启源供应链管理公司", "credit_code": code.lower()}
    )
    assert response.status_code == 302
    assert Investor.objects.get().credit_code == code


def test_a_wrong_credit_code_is_refused_beside_the_field(clerk_client):
    response = clerk_client.post(
        reverse("investor-create"), {"name": "某公司", "credit_code": "91500107MA5U7XY1A1"}
    )
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert not Investor.objects.exists()


def test_an_investor_of_the_same_name_is_warned_about(clerk_client):
    factories.InvestorFactory(name="大唐集团", credit_code="")
    response = clerk_client.post(reverse("investor-create"), {"name": "大唐集团"})
    assert response.status_code == 200 and response.context["duplicates"]
    response = clerk_client.post(reverse("investor-create"), {"name": "大唐集团", "confirm_duplicate": "1"})
    assert response.status_code == 302
    assert Investor.objects.filter(name="大唐集团").count() == 2


def test_an_investor_is_edited(clerk_client):
    investor = factories.InvestorFactory(name="旧名称")
    response = clerk_client.post(
        reverse("investor-edit", args=[investor.pk]),
        {"name": "新名称", "credit_code": investor.credit_code, "is_high_tech": "on"},
    )
    assert response.status_code == 302
    investor.refresh_from_db()
    assert investor.name == "新名称" and investor.is_high_tech


def test_an_edit_posted_without_the_pages_version_is_refused(clerk_client, project, unit, industry):
    url = reverse("project-edit", args=[project.pk])
    response = clerk_client.post(url, project_data(unit, industry, name="没有版本的修改"))
    assert response.status_code == 200
    assert "页面缺少项目版本信息" in response.content.decode()
    assert Project.objects.get(pk=project.pk).name == project.name


def test_the_investor_list_counts_only_the_projects_the_user_may_see(
    clerk_client, unit, foreign_unit, industry, manager
):
    investor = factories.InvestorFactory(name="双区投资集团")
    factories.make_project(unit=unit, industry=industry, by=manager, name="本单位的", investor=investor)
    # An investor of two districts is joined by an administrator (accounts.roles.can_attach_investor).
    admin = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
    factories.make_project(unit=foreign_unit, industry=industry, by=admin, name="外区的", investor=investor)
    response = clerk_client.get(reverse("investors") + "?q=双区")
    [listed] = response.context["page"].object_list
    assert listed.project_count == 1
