"""The milestone form: for every target stage, its required fields and the messages shown
beside them come from the lifecycle service; a clerk is offered only what it may record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.dates import add_months
from pipeline.models import Review, StageEvent
from projects.lifecycle import Stage
from tests import factories
from web.pages.forms import StaffMilestoneForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_stage(project, manager, today):
    """The project walked (by a manager) to the stage before the one under test."""

    def walk(stage):
        steps = [Stage.APPROVED, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY]
        if stage in steps:
            for index, step in enumerate(steps[: steps.index(stage) + 1]):
                factories.advance(project, (step, add_months(today, -10 + index)), by=manager)
        project.refresh_from_db()
        return project

    return walk


def submit(project, user, data):
    """The form as the page runs it: the service is called only when the form is valid (the
    stage's data is checked by the service's own rule during validation)."""
    form = StaffMilestoneForm({"version": project.version, **data}, project=project, user=user)
    saved = form.save(user) if form.is_valid() else None
    return form, saved


APPROVAL = {
    "industry_opinion": "符合产业方向",
    "expert_opinion": "技术路线可行",
    "department_opinion": "规划、自然资源部门同意",
}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("industry_opinion", "登记“已审定”须填写行业评估意见。"),
        ("expert_opinion", "登记“已审定”须填写专家论证意见。"),
        ("department_opinion", "登记“已审定”须填写部门联动意见。"),
    ],
)
def test_approval_requires_each_of_the_three_opinions(project, manager, today, missing, message):
    data = {"stage": Stage.APPROVED, "date": today, **APPROVAL, missing: ""}
    form, saved = submit(project, manager, data)
    assert saved is None
    assert form.errors == {missing: [message]}
    assert not project.events.filter(stage=Stage.APPROVED).exists()


def test_approval_with_three_opinions_records_the_review(project, manager, today):
    form, saved = submit(project, manager, {"stage": Stage.APPROVED, "date": today, **APPROVAL})
    assert saved is not None and not form.errors
    project.refresh_from_db()
    assert project.stage == Stage.APPROVED
    assert saved.review.expert_opinion == "技术路线可行"


def test_a_rejecting_review_is_kept_and_the_project_stays_negotiating(project, manager, today):
    data = {"stage": Stage.APPROVED, "decision": Review.Decision.REJECTED, "date": today, **APPROVAL}
    form, saved = submit(project, manager, data)
    assert isinstance(saved, Review) and not form.errors
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.reviews.get().decision == Review.Decision.REJECTED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"contract_investment": "12000"}, "contract_no", "登记“已签约”须填写合同编号。"),
        ({"contract_no": "HT-1"}, "contract_investment", "登记“已签约”须填写合同投资额。"),
        ({"contract_no": "HT-1", "contract_investment": "0"}, "contract_investment", "合同投资额应大于0。"),
    ],
)
def test_signing_requires_a_contract_number_and_a_positive_investment(
    at_stage, manager, today, data, field, message
):
    project = at_stage(Stage.APPROVED)
    form, saved = submit(project, manager, {"stage": Stage.SIGNED, "date": today, **data})
    assert saved is None
    assert form.errors == {field: [message]}


def test_signing_fixes_the_contract_investment(at_stage, staff, today):
    project = at_stage(Stage.APPROVED)
    data = {"stage": Stage.SIGNED, "date": today, "contract_no": "HT-9", "contract_investment": "52000.5"}
    form, saved = submit(project, staff, data)
    assert saved is not None, form.errors
    project.refresh_from_db()
    assert project.contract_investment == Decimal("52000.50")


@pytest.mark.parametrize("stage", [Stage.STARTED, Stage.PRODUCING])
def test_groundbreaking_and_production_need_only_a_date(at_stage, staff, today, stage):
    project = at_stage({Stage.STARTED: Stage.SIGNED, Stage.PRODUCING: Stage.STARTED}[stage])
    form = StaffMilestoneForm({"stage": stage, "version": project.version}, project=project, user=staff)
    assert not form.is_valid()
    assert list(form.errors) == ["date"]
    form, saved = submit(project, staff, {"stage": stage, "date": today})
    assert saved is not None and saved.stage == stage


def test_a_date_in_the_future_is_refused_beside_the_date(at_stage, staff, today):
    project = at_stage(Stage.SIGNED)
    tomorrow = today + dt.timedelta(days=1)
    form, saved = submit(project, staff, {"stage": Stage.STARTED, "date": tomorrow})
    assert saved is None
    assert form.errors == {"date": [f"日期 {tomorrow.isoformat()} 晚于今天，不能登记尚未发生的节点。"]}


def test_a_date_before_the_previous_milestone_is_refused_beside_the_date(at_stage, staff, today):
    project = at_stage(Stage.SIGNED)
    early = project.signed_on - dt.timedelta(days=1)
    form, saved = submit(project, staff, {"stage": Stage.STARTED, "date": early})
    assert saved is None
    assert "早于上一节点“已签约”的日期" in form.errors["date"][0]


def test_full_capacity_requires_the_actual_output(at_stage, staff, today):
    project = at_stage(Stage.PRODUCING)
    form, saved = submit(project, staff, {"stage": Stage.AT_CAPACITY, "date": today})
    assert saved is None
    assert form.errors == {"actual_output": ["登记“已达产”须填写实际年产值。"]}
    form, saved = submit(project, staff, {"stage": Stage.AT_CAPACITY, "date": today, "actual_output": "8000"})
    assert saved.actual_output == Decimal("8000.00")


def test_termination_requires_an_exit_reason_and_the_land_reclaimed(at_stage, manager, today):
    project = at_stage(Stage.SIGNED)
    form, saved = submit(project, manager, {"stage": Stage.TERMINATED, "date": today})
    assert saved is None
    assert form.errors == {  # both at once
        "reason": ["登记“已终止”须填写退出原因。"],
        "reclaimed_land_mu": ["登记“已终止”须填写收回土地面积（亩，未供地填 0）。"],
    }
    form, saved = submit(project, manager, {"stage": Stage.TERMINATED, "date": today, "reason": "other"})
    assert saved is None
    assert form.errors == {"reclaimed_land_mu": ["登记“已终止”须填写收回土地面积（亩，未供地填 0）。"]}
    data = {"stage": Stage.TERMINATED, "date": today, "reason": "long_unstarted", "reclaimed_land_mu": "35"}
    form, saved = submit(project, manager, data)
    assert saved.reclaimed_land_mu == Decimal("35.00")


def test_a_stale_form_is_refused_with_a_conflict(at_stage, staff, today):
    project = at_stage(Stage.SIGNED)
    data = {"stage": Stage.STARTED, "date": today, "version": project.version - 1}
    form = StaffMilestoneForm(data, project=project, user=staff)
    assert form.is_valid()
    assert form.save(staff) is None
    assert "已被他人修改" in form.non_field_errors()[0]


def test_a_clerk_is_offered_only_the_stages_it_may_record(at_stage, staff, manager):
    project = at_stage(Stage.APPROVED)
    assert [v for v, _ in StaffMilestoneForm(project=project, user=staff).fields["stage"].choices] == [
        Stage.SIGNED
    ]
    manager_choices = StaffMilestoneForm(project=project, user=manager).fields["stage"].choices
    assert {v for v, _ in manager_choices} == {Stage.SIGNED, Stage.TERMINATED}


def test_the_page_shows_the_service_error_beside_its_field(client, staff, at_stage, today):
    project = at_stage(Stage.APPROVED)
    client.force_login(staff)
    url = reverse("milestone-record", args=[project.pk])
    data = {
        "stage": Stage.SIGNED,
        "date": today.isoformat(),
        "contract_no": "HT-1",
        "version": project.version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    field_html = html[html.index('id="id_contract_investment"') :]
    assert field_html.index("登记“已签约”须填写合同投资额。") < field_html.index("</div>")
    assert not StageEvent.objects.filter(project=project, stage=Stage.SIGNED).exists()


def test_every_stage_field_is_labelled_and_tagged_for_its_stage(client, staff, at_stage):
    project = at_stage(Stage.APPROVED)
    client.force_login(staff)
    html = client.get(reverse("milestone-record", args=[project.pk]) + "?stage=signed").content.decode()
    for name in ("contract_no", "contract_investment", "actual_output", "reason", "reclaimed_land_mu"):
        assert f'for="id_{name}"' in html
    assert 'data-stages="signed"' in html and 'data-stages="terminated"' in html


def test_recording_through_the_page_redirects_to_the_project(client, staff, at_stage, today):
    project = at_stage(Stage.SIGNED)
    client.force_login(staff)
    url = reverse("milestone-record", args=[project.pk])
    data = {"stage": Stage.STARTED, "date": today.isoformat(), "version": project.version}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("project-detail", args=[project.pk])
    project.refresh_from_db()
    assert project.stage == Stage.STARTED


def test_date_inputs_carry_iso_values_the_browser_understands(client, staff, at_stage, today):
    project = at_stage(Stage.SIGNED)
    project.planned_start_date = today
    project.save()
    client.force_login(staff)
    html = client.get(reverse("milestone-record", args=[project.pk])).content.decode()
    assert f'type="date" name="date" value="{today.isoformat()}"' in html
    html = client.get(reverse("project-edit", args=[project.pk])).content.decode()
    assert f'name="planned_start_date" value="{today.isoformat()}"' in html


def test_every_missing_opinion_and_a_bad_date_are_shown_at_once(client, project, manager):
    """The review with all three opinions empty and no date: four messages in one answer."""
    client.force_login(manager)
    url = reverse("milestone-record", args=[project.pk])
    response = client.post(url, {"stage": Stage.APPROVED, "version": project.version, "date": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"date", "industry_opinion", "expert_opinion", "department_opinion"}
    html = response.content.decode()
    for message in ("须填写行业评估意见", "须填写专家论证意见", "须填写部门联动意见"):
        assert message in html
    assert not project.events.filter(stage=Stage.APPROVED).exists()


def test_the_stage_data_a_stage_requires_is_marked_required(client, project, manager):
    client.force_login(manager)
    html = client.get(reverse("milestone-record", args=[project.pk])).content.decode()
    form = client.get(reverse("milestone-record", args=[project.pk])).context["form"]
    required = {name for name, field in form.fields.items() if getattr(field, "stage_required", False)}
    assert required == {
        "industry_opinion",
        "expert_opinion",
        "department_opinion",
        "contract_no",
        "contract_investment",
        "actual_output",
        "reason",
        "reclaimed_land_mu",
    }
    assert 'for="id_reclaimed_land_mu">收回土地（亩）<span class="req"' in html
    assert 'for="id_reclaimed_building_m2">收回厂房（平方米）</label>' in html


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5", "收回土地（亩）不能为负数。"), ("abc", "收回土地（亩）应为数字，如 1200 或 1200.50。")],
)
def test_amounts_are_refused_in_the_bureaus_words(project, manager, today, value, message):
    data = {"stage": Stage.TERMINATED, "date": today, "reason": "other", "reclaimed_land_mu": value}
    form, saved = submit(project, manager, data)
    assert saved is None and form.errors["reclaimed_land_mu"] == [message]
    assert "确保" not in str(form.errors)


def test_a_contract_above_the_total_investment_is_recorded_with_a_warning(client, at_stage, manager, today):
    project = at_stage(Stage.APPROVED)  # total investment 10,000 万元
    client.force_login(manager)
    data = {
        "stage": Stage.SIGNED,
        "date": today.isoformat(),
        "contract_no": "HT-7",
        "contract_investment": "12000",
        "version": project.version,
    }
    response = client.post(reverse("milestone-record", args=[project.pk]), data, follow=True)
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED and project.contract_investment == Decimal("12000.00")
    html = response.content.decode()
    assert "合同投资额 12000.00 万元大于项目总投资 10000.00 万元" in html and "msg-warning" in html
