"""The month's progress sheet: every project of the unit on one page, saved in one transaction."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.dates import add_months, format_month
from pipeline.models import MonthlyProgress
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests import factories
from tests.web.conftest import recent_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_projects(unit, other_unit, industry, manager, today, signed_overdue):
    second = recent_project(unit, industry, manager, today, name="第二个项目")
    terminated = factories.make_project(
        unit=unit, industry=industry, by=manager, name="早已终止", started=add_months(today, -6)
    )
    factories.advance(terminated, (Stage.TERMINATED, add_months(today, -3)), by=manager)
    recent_project(other_unit, industry, manager, today, name="别的单位")
    return [signed_overdue, second]


def sheet(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return client.get(reverse("progress") + (f"?{query}" if query else ""))


def post_data(response, changes):
    """The sheet's own form data, with `changes` applied to the rows of the named projects."""
    formset = response.context["formset"]
    data = {key: value for key, value in formset.management_form.initial.items()}
    data = {f"form-{key}": value for key, value in data.items()}
    for index, (form, project, _record) in enumerate(response.context["rows"]):
        for name in ("project", "funds_in_place", "investment_completed", "progress", "problems"):
            value = form.initial.get(name, "")
            data[f"form-{index}-{name}"] = "" if value is None else value
        for field, value in changes.get(project.name, {}).items():
            data[f"form-{index}-{field}"] = value
    return data


def test_the_sheet_lists_the_units_projects_still_in_the_pool(clerk_client, unit_projects):
    response = sheet(clerk_client)
    assert [project.name for _form, project, _record in response.context["rows"]] == [
        "逾期签约项目",
        "第二个项目",
    ]


def test_a_clerk_files_the_month_for_several_projects_at_once(clerk_client, staff, unit_projects, today):
    response = sheet(clerk_client)
    data = post_data(
        response,
        {
            "逾期签约项目": {
                "funds_in_place": "1200.5",
                "investment_completed": "3000",
                "progress": "桩基施工",
            },
            "第二个项目": {"problems": "用地报批慢"},
        },
    )
    response = clerk_client.post(reverse("progress"), data)
    assert response.status_code == 302
    records = {r.project.name: r for r in MonthlyProgress.objects.select_related("project")}
    assert set(records) == {"逾期签约项目", "第二个项目"}
    first = records["逾期签约项目"]
    # the sheet opens on the month being closed: last month, not published yet
    assert first.month == add_months(today.replace(day=1), -1)
    assert first.funds_in_place == Decimal("1200.50") and first.progress == "桩基施工"
    assert first.updated_by == staff
    assert records["第二个项目"].problems == "用地报批慢"


def test_unchanged_rows_are_not_written(clerk_client, staff, unit_projects, today):
    last_month = add_months(today, -1)  # the month the sheet opens on (not published yet)
    progress_save(project=unit_projects[0], by=staff, month=last_month, funds_in_place="5", progress="旧")
    response = sheet(clerk_client)
    form = response.context["rows"][0][0]
    assert form.initial["funds_in_place"] == Decimal("5.00") and form.initial["progress"] == "旧"
    before = MonthlyProgress.objects.get().updated_at
    response = clerk_client.post(reverse("progress"), post_data(response, {}))
    assert response.status_code == 302
    assert MonthlyProgress.objects.get().updated_at == before


def test_one_bad_row_saves_nothing_and_is_marked(clerk_client, unit_projects):
    response = sheet(clerk_client)
    data = post_data(
        response,
        {"逾期签约项目": {"funds_in_place": "100"}, "第二个项目": {"investment_completed": "-5"}},
    )
    response = clerk_client.post(reverse("progress"), data)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[1][0].errors["investment_completed"]
    assert not rows[0][0].errors
    assert not MonthlyProgress.objects.exists()


def test_a_service_refusal_on_one_row_rolls_back_the_others(clerk_client, unit_projects, foreign_unit):
    response = sheet(clerk_client)
    data = post_data(
        response, {"逾期签约项目": {"funds_in_place": "100"}, "第二个项目": {"funds_in_place": "7"}}
    )
    stranger = factories.make_project(unit=foreign_unit, name="外区项目")
    data["form-1-project"] = stranger.pk
    response = clerk_client.post(reverse("progress"), data)
    assert response.status_code == 200
    assert "不在本单位本月的填报范围内" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_a_future_month_is_refused_row_by_row(clerk_client, unit_projects, today):
    month = format_month(add_months(today, 1))
    response = sheet(clerk_client, month=month)
    data = post_data(response, {"逾期签约项目": {"funds_in_place": "100"}})
    response = clerk_client.post(reverse("progress") + f"?month={month}", data)
    assert response.status_code == 200
    assert "不能填报未来月份的进展" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_a_past_month_can_be_filed(clerk_client, unit_projects, today):
    month = add_months(today, -1).replace(day=1)
    response = sheet(clerk_client, month=format_month(month))
    data = post_data(response, {"逾期签约项目": {"funds_in_place": "60"}})
    clerk_client.post(reverse("progress") + f"?month={format_month(month)}", data)
    assert MonthlyProgress.objects.get().month == month


def test_a_manager_picks_the_unit(manager_client, unit, unit_projects):
    response = sheet(manager_client)
    assert "formset" not in response.context
    response = sheet(manager_client, unit=unit.code)
    assert len(response.context["rows"]) == 2


def test_every_input_of_the_sheet_is_labelled(clerk_client, unit_projects):
    html = sheet(clerk_client).content.decode()
    for index in range(2):
        for name in ("funds_in_place", "investment_completed", "progress", "problems"):
            assert f'for="id_form-{index}-{name}"' in html
