"""The project list: the shared filters, sortable columns, pagination and the Excel download."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.dates import add_months
from projects.lifecycle import Stage
from tests import factories
from tests.web.conftest import recent_project

pytestmark = pytest.mark.django_db


def names(response):
    return [project.name for project in response.context["page"].object_list]


@pytest.fixture
def mixed(unit, other_unit, industry, manager, today, signed_overdue):
    investor = factories.InvestorFactory(name="宗本集团")
    other_industry = factories.IndustryFactory(code="PSS", name="生产性服务业")
    big = recent_project(
        unit,
        industry,
        manager,
        today,
        name="宗本摩托车动力总成项目",
        investor=investor,
        total_investment=Decimal("60000"),
    )
    small = recent_project(
        unit, other_industry, manager, today, name="物流基地项目", total_investment=Decimal("3000")
    )
    elsewhere = recent_project(other_unit, industry, manager, today, name="科技局项目")
    return {"overdue": signed_overdue, "big": big, "small": small, "elsewhere": elsewhere}


def test_a_clerk_lists_only_its_units_projects(clerk_client, mixed):
    response = clerk_client.get(reverse("projects"))
    assert set(names(response)) == {"逾期签约项目", "宗本摩托车动力总成项目", "物流基地项目"}


def test_a_manager_lists_the_whole_district(manager_client, mixed):
    assert "科技局项目" in names(manager_client.get(reverse("projects")))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=signed", {"逾期签约项目"}),
        ("stage=negotiating&stage=signed", {"逾期签约项目", "宗本摩托车动力总成项目", "物流基地项目"}),
        ("is_overdue=true", {"逾期签约项目"}),
        ("is_overdue=false", {"宗本摩托车动力总成项目", "物流基地项目"}),
        ("search=宗本", {"宗本摩托车动力总成项目"}),
        ("search=物流", {"物流基地项目"}),
        ("industry=ADV", {"逾期签约项目", "宗本摩托车动力总成项目"}),
        ("min_investment=5000", {"逾期签约项目", "宗本摩托车动力总成项目"}),
        ("max_investment=5000", {"物流基地项目"}),
        ("unit=jlp-econ", {"逾期签约项目", "宗本摩托车动力总成项目", "物流基地项目"}),
    ],
)
def test_the_list_filters(clerk_client, mixed, query, expected):
    assert set(names(clerk_client.get(reverse("projects") + "?" + query))) == expected


def test_the_list_filters_by_signing_period_and_searches_by_code(clerk_client, mixed, today):
    signed_on = mixed["overdue"].signed_on
    query = f"?signed_from={signed_on - dt.timedelta(days=1)}&signed_to={signed_on}"
    assert names(clerk_client.get(reverse("projects") + query)) == ["逾期签约项目"]
    query = f"?signed_from={add_months(today, -1)}"
    assert names(clerk_client.get(reverse("projects") + query)) == []
    assert names(clerk_client.get(reverse("projects") + f"?search={mixed['small'].code}")) == ["物流基地项目"]


def test_an_unknown_filter_value_shows_an_error_not_a_500(clerk_client, mixed):
    response = clerk_client.get(reverse("projects") + "?unit=nope&min_investment=abc")
    assert response.status_code == 200
    assert names(response) == []
    assert "筛选条件有误" in response.content.decode()


def test_the_unit_choices_are_the_users_district(clerk_client, mixed, foreign_unit):
    form = clerk_client.get(reverse("projects")).context["filter"].form
    assert foreign_unit not in form.fields["unit"].queryset


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("investment", ["物流基地项目", "逾期签约项目", "宗本摩托车动力总成项目"]),
        ("-investment", ["宗本摩托车动力总成项目", "逾期签约项目", "物流基地项目"]),
        ("code", ["逾期签约项目", "宗本摩托车动力总成项目", "物流基地项目"]),
        ("-code", ["物流基地项目", "宗本摩托车动力总成项目", "逾期签约项目"]),
    ],
)
def test_columns_sort_both_ways(clerk_client, mixed, sort, expected):
    response = clerk_client.get(reverse("projects") + f"?sort={sort}")
    assert names(response) == expected
    assert 'aria-sort="' in response.content.decode()


def test_the_list_is_paginated_and_keeps_its_filters(clerk_client, unit, industry, manager, today):
    for index in range(23):
        recent_project(unit, industry, manager, today, name=f"批量项目{index:02d}")
    response = clerk_client.get(reverse("projects") + "?search=批量&page=2")
    assert len(names(response)) == 3
    assert response.context["page"].paginator.count == 23
    assert "search=%E6%89%B9%E9%87%8F&amp;page=1" in response.content.decode()


def test_the_filtered_list_downloads_as_excel(clerk_client, mixed):
    response = clerk_client.get(reverse("projects-export") + "?min_investment=5000&sort=-investment")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:3] == ("项目编号", "项目名称", "投资主体")
    assert [row[1] for row in body] == ["宗本摩托车动力总成项目", "逾期签约项目"]
    big = body[0]
    assert big[2] == "宗本集团"
    assert big[header.index("总投资（万元）")] == 60000
    overdue = body[1]
    assert overdue[header.index("是否逾期")] == "是"
    assert overdue[header.index("阶段")] == "已签约"
    assert overdue[header.index("签约日期")].date() == mixed["overdue"].signed_on
    assert overdue[header.index("合同投资额（万元）")] == 10000


def test_the_export_respects_the_users_scope(client, other_unit, mixed):
    client.force_login(factories.staff_of(other_unit, username="clerk2"))
    sheet = load_workbook(BytesIO(client.get(reverse("projects-export")).content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["科技局项目"]


def test_stage_filter_offers_every_stage(clerk_client, mixed):
    html = clerk_client.get(reverse("projects")).content.decode()
    for stage in Stage:
        assert f'value="{stage.value}"' in html


def test_an_export_cut_at_the_limit_says_so_in_the_file(clerk_client, mixed, monkeypatch):
    from web.pages import projects

    monkeypatch.setattr(projects, "EXPORT_LIMIT", 2)
    sheet = load_workbook(BytesIO(clerk_client.get(reverse("projects-export")).content)).active
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    total = clerk_client.get(reverse("projects")).context["page"].paginator.count
    assert total > 2
    assert len(rows) == 3 and rows[-1][0] == f"仅导出前 2 个项目（共 {total} 个），请缩小筛选范围后分批导出。"
