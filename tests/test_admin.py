"""The admin, for a bureau clerk: in Chinese, with filters and search; a project's events,
reviews, progress and requests shown read-only; stages changed only through the services;
nothing deleted."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.dates import local_today
from pipeline.models import StageEvent
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from projects.models import Project
from tests.factories import (
    IndustryFactory,
    InvestorFactory,
    UnitFactory,
    make_project,
    reach,
    snapshot,
    staff_of,
)

CHANGELIST = reverse("admin:projects_project_changelist")


@pytest.fixture
def signed(project, manager, staff):
    """The fixture project, signed, with two months of progress."""
    reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1))
    for month in (dt.date(2025, 4, 1), dt.date(2025, 5, 1)):
        progress_save(
            project=project, by=staff, month=month, funds_in_place=Decimal("88.5"), progress="办理手续"
        )
    project.refresh_from_db()
    return project


def names(response) -> set[str]:
    return set(response.context["cl"].result_list.values_list("name", flat=True))


def row_of(html: str, field: str) -> str:
    """The form row of the stage form that holds the input `field`."""
    rows = html.split('<div class="form-row">')
    return next(row for row in rows if f'name="{field}"' in row)


def test_the_changelist_is_in_chinese_with_filters_and_search(admin_client, signed):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "招商引资项目全生命周期管理" in html
    assert "立琻半导体项目" in html and signed.code in html
    assert 'name="q"' in html and "搜索" in html
    for title in ("区县", "阶段", "产业（含下级）", "责任单位", "是否逾期", "招引渠道"):
        assert title in html, title
    assert "已签约" in html  # the stage shown by its Chinese label


def test_search_finds_name_code_investor_and_credit_code(admin_client, unit, industry, manager):
    investor = InvestorFactory(name="重庆宗本动力有限公司", credit_code="91350100M000100Y43")
    wanted = make_project(
        unit=unit, industry=industry, by=manager, name="摩托车动力总成项目", investor=investor
    )
    make_project(unit=unit, industry=industry, by=manager, name="无关项目")
    for query in ("动力总成", wanted.code, "宗本动力", "91350100M000100Y43"):
        assert names(admin_client.get(CHANGELIST, {"q": query})) == {"摩托车动力总成项目"}, query


def test_filters_by_stage_industry_subtree_and_overdue(admin_client, unit, industry, manager):
    fresh = make_project(unit=unit, industry=industry, by=manager, name="新洽谈", started=local_today())
    stale = make_project(
        unit=unit, industry=industry, by=manager, name="谈而未定", started=dt.date(2025, 1, 6)
    )
    elsewhere = make_project(unit=unit, industry=IndustryFactory(code="PSS"), by=manager, name="服务业项目")
    reach(elsewhere, Stage.SIGNED, start=local_today() - dt.timedelta(days=20))
    assert names(admin_client.get(CHANGELIST, {"stage__exact": "signed"})) == {"服务业项目"}
    assert names(admin_client.get(CHANGELIST, {"industry_tree": "ADV"})) == {fresh.name, stale.name}
    assert names(admin_client.get(CHANGELIST, {"overdue": "yes"})) == {"谈而未定"}
    assert names(admin_client.get(CHANGELIST, {"overdue": "no"})) == {"新洽谈", "服务业项目"}


def test_the_changelist_does_not_query_per_project(
    admin_client, unit, industry, manager, django_assert_max_num_queries
):
    for n in range(3):
        make_project(unit=unit, industry=industry, by=manager, name=f"项目{n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(CHANGELIST)
    for n in range(3, 12):
        more_unit = UnitFactory(code=f"jlp-town{n}", district=unit.district)
        make_project(unit=more_unit, industry=industry, by=manager, name=f"项目{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(CHANGELIST)


def test_the_change_page_shows_history_and_progress_read_only(admin_client, signed):
    response = admin_client.get(reverse("admin:projects_project_change", args=[signed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("阶段节点", "已审定", "已签约", "HT-2025-001", "月度进展", "2025-05", "88.50", "办理手续"):
        assert text in html, text
    # the inlines have no editable inputs, no add row and no delete box
    assert not re.search(r'name="events-\d+-(date|stage)"', html)
    assert not re.search(r'name="progress-\d+-funds_in_place"', html)
    assert "DELETE" not in html
    # stage and derived dates are read-only; the stage changes through the service pages
    assert 'name="stage"' not in html and 'name="signed_on"' not in html
    assert reverse("admin:projects_project_milestone", args=[signed.pk]) in html
    assert reverse("admin:projects_project_void", args=[signed.pk]) in html
    assert reverse("admin:projects_project_delete", args=[signed.pk]) not in html


def test_projects_are_never_deleted_in_the_admin(admin_client, signed):
    assert admin_client.get(reverse("admin:projects_project_delete", args=[signed.pk])).status_code == 403
    response = admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [signed.pk]})
    assert Project.objects.filter(pk=signed.pk).exists()
    assert response.status_code in (200, 302)


def _form_data(client, url) -> dict:
    """The inputs of an admin form as rendered (hidden management forms included)."""
    html = client.get(url).content.decode()
    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_editing_facts_in_the_admin_goes_through_project_update(admin_client, signed):
    url = reverse("admin:projects_project_change", args=[signed.pk])
    data = _form_data(admin_client, url)
    data.update(
        name="立琻半导体项目（二期）", industry=signed.industry_id, unit=signed.unit_id, source="exhibition"
    )
    data["stage"] = Stage.AT_CAPACITY  # not a form field: ignored
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    updated = Project.objects.get(pk=signed.pk)
    assert updated.name == "立琻半导体项目（二期）"
    assert updated.stage == Stage.SIGNED
    assert updated.version == signed.version + 1


def test_adding_a_project_in_the_admin_goes_through_project_create(admin_client, unit, industry):
    url = reverse("admin:projects_project_add")
    data = _form_data(admin_client, url)
    data.update(
        name="后台新建项目", industry=industry.pk, unit=unit.pk, source="direct", total_investment="1000"
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="后台新建项目")
    assert project.code.startswith("JLP-")
    assert project.events.get().stage == Stage.NEGOTIATING
    assert project.district == unit.district


def test_the_milestone_page_records_through_the_service(admin_client, signed):
    url = reverse("admin:projects_project_milestone", args=[signed.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "登记节点" in page.content.decode()
    response = admin_client.post(url, {"stage": "started", "date": "2025-04-02", "version": signed.version})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.stage == Stage.STARTED
    assert signed.started_on == dt.date(2025, 4, 2)
    assert StageEvent.objects.get(project=signed, stage=Stage.STARTED).recorded_by.username == "admin"


def test_the_milestone_page_shows_the_services_refusal_beside_the_field(admin_client, signed):
    url = reverse("admin:projects_project_milestone", args=[signed.pk])
    before = snapshot(signed)
    response = admin_client.post(url, {"stage": "started", "date": "2025-03-01", "version": signed.version})
    assert response.status_code == 200
    row = row_of(response.content.decode(), "date")
    assert "errorlist" in row
    assert "早于上一节点" in row and "2025-03-11" in row
    assert snapshot(signed) == before


def test_a_missing_stage_field_is_shown_beside_that_field(admin_client, signed, manager):
    reach_to_producing = [("started", "2025-04-01"), ("producing", "2025-05-01")]
    for stage, date in reach_to_producing:
        admin_client.post(
            reverse("admin:projects_project_milestone", args=[signed.pk]),
            {"stage": stage, "date": date, "version": Project.objects.get(pk=signed.pk).version},
        )
    project = Project.objects.get(pk=signed.pk)
    assert project.stage == Stage.PRODUCING
    response = admin_client.post(
        reverse("admin:projects_project_milestone", args=[signed.pk]),
        {"stage": "at_capacity", "date": "2025-06-01", "version": project.version},
    )
    row = row_of(response.content.decode(), "actual_output")
    assert "errorlist" in row and "实际年产值" in row


def test_a_stale_milestone_form_is_refused_as_a_conflict(admin_client, signed):
    url = reverse("admin:projects_project_milestone", args=[signed.pk])
    response = admin_client.post(
        url, {"stage": "started", "date": "2025-04-02", "version": signed.version - 1}
    )
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    assert Project.objects.get(pk=signed.pk).stage == Stage.SIGNED


def test_the_void_page_voids_the_latest_event_through_the_service(admin_client, signed):
    url = reverse("admin:projects_project_void", args=[signed.pk])
    response = admin_client.post(url, {"reason": "合同编号录错", "version": signed.version})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.stage == Stage.APPROVED
    assert StageEvent.objects.get(project=signed, stage=Stage.SIGNED).void_reason == "合同编号录错"


def test_events_cannot_be_added_changed_or_deleted_in_their_own_admin(admin_client, signed):
    event = signed.events.get(stage=Stage.SIGNED)
    assert admin_client.get(reverse("admin:pipeline_stageevent_add")).status_code == 403
    assert admin_client.get(reverse("admin:pipeline_stageevent_delete", args=[event.pk])).status_code == 403
    page = admin_client.get(reverse("admin:pipeline_stageevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="date"' not in page.content.decode()


@pytest.fixture
def staff_clerk_client(client, unit):
    """A unit clerk given staff status and project permissions in the admin."""
    clerk = staff_of(unit, username="admin-clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_project", "change_project", "add_project", "view_investor"]
        )
    )
    client.force_login(clerk)
    return client


def test_a_clerk_is_refused_by_the_admin_even_with_staff_status(staff_clerk_client, signed, unit, manager):
    """The admin is for administrators and managers (accounts.roles.can_use_admin): a clerk
    uses the pages and the API, scoped to its unit, not a second, rawer way in."""
    project = make_project(unit=unit, industry=signed.industry, by=manager, name="待审议项目")
    for url in (CHANGELIST, reverse("admin:projects_project_change", args=[signed.pk]), "/admin/"):
        response = staff_clerk_client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    response = staff_clerk_client.post(
        reverse("admin:projects_project_milestone", args=[project.pk]),
        {
            "stage": "approved",
            "date": "2025-03-01",
            "industry_opinion": "a",
            "expert_opinion": "b",
            "department_opinion": "c",
            "version": project.version,
        },
    )
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING


def test_a_manager_sees_only_their_districts_projects_in_the_admin(
    client, signed, foreign_unit, industry, manager
):
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(*Permission.objects.filter(codename__in=["view_project", "change_project"]))
    client.force_login(manager)
    other = make_project(unit=foreign_unit, industry=industry, name="外区项目")
    assert names(client.get(CHANGELIST)) == {signed.name}
    assert client.get(reverse("admin:projects_project_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:projects_project_milestone", args=[other.pk])).status_code == 404


def test_every_admin_list_and_form_renders_in_chinese(admin_client, signed, manager):
    from django.contrib import admin

    from pipeline.requests import request_create

    request_create(
        project=signed,
        by=manager,
        category="land",
        description="用地",
        assigned_unit=signed.unit,
        due_date=local_today(),
    )
    for model in admin.site._registry:
        opts = model._meta
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert response.status_code == 200, opts.label
        assert str(opts.verbose_name_plural) in response.content.decode()
        first = model.objects.first()
        if first is not None:
            change = admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            assert change.status_code == 200, opts.label
    assert "增加" in admin_client.get(reverse("admin:index")).content.decode()


def test_adding_a_project_in_the_admin_takes_the_date_negotiations_began(admin_client, unit, industry):
    url = reverse("admin:projects_project_add")
    data = _form_data(admin_client, url)
    data.update(
        name="去年开始洽谈的项目",
        industry=industry.pk,
        unit=unit.pk,
        source="direct",
        total_investment="1000",
        negotiation_started_on="2025-05-06",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="去年开始洽谈的项目")
    assert project.negotiation_started_on == dt.date(2025, 5, 6)
    assert project.code.startswith("JLP-2025-")
    assert project.events.get().date == dt.date(2025, 5, 6)


def test_a_refused_add_keeps_the_input_and_shows_the_reason(admin_client, unit, industry):
    url = reverse("admin:projects_project_add")
    data = _form_data(admin_client, url)
    future = (local_today() + dt.timedelta(days=3)).isoformat()
    data.update(
        name="日期填错的项目",
        industry=industry.pk,
        unit=unit.pk,
        source="direct",
        total_investment="1000",
        negotiation_started_on=future,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "开始洽谈日期不能晚于今天" in html
    assert 'value="日期填错的项目"' in html
    assert not Project.objects.filter(name="日期填错的项目").exists()


@pytest.fixture
def manager_client(client, district):
    """A district manager with the admin's investor permissions."""
    from tests.factories import manager_of

    user = manager_of(district, username="admin-manager", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_investor", "change_investor", "add_investor"])
    )
    client.force_login(user)
    return client


def test_changing_another_districts_investor_in_the_admin_is_refused_on_the_form(
    manager_client, foreign_unit, industry
):
    from projects.models import Investor

    investor = InvestorFactory(name="江津投资主体", credit_code="91350100M000100Y43")
    make_project(unit=foreign_unit, industry=industry, investor=investor, name="江津项目")
    url = reverse("admin:projects_investor_change", args=[investor.pk])
    data = _form_data(manager_client, url)
    data["name"] = "被改掉的名称"
    response = manager_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "该投资主体还有您无权修改的单位或区县的项目" in html
    assert 'value="被改掉的名称"' in html  # the input is kept
    assert Investor.objects.get(pk=investor.pk).name == "江津投资主体"


def test_adding_an_investor_whose_credit_code_differs_only_in_case_is_refused_on_the_form(admin_client):
    from projects.models import Investor

    InvestorFactory(name="已登记主体", credit_code="91350100M000100Y43")
    url = reverse("admin:projects_investor_add")
    data = _form_data(admin_client, url)
    data.update(name="重复登记主体", credit_code="91350100m000100y43")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors and "credit_code" in form.errors, form.errors
    assert Investor.objects.count() == 1
    assert not Investor.objects.filter(name="重复登记主体").exists()
