"""Finding 3 (issue 12): the admin is for administrators and district managers, each scoped
through accounts/roles.py like everywhere; finding 8: a district may not attach another
district's investor to its project (that locked the other district out of editing it)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from accounts.models import Role
from config.admin_site import TrackerAdminSite
from core.errors import Forbidden
from pipeline.models import Reminder
from projects.models import Project
from projects.services import project_update
from tests import factories

# Reference records every district shares (read by all, as on the pages and the API).
UNSCOPED = {"projects.Industry", "projects.Investor"}
ADMINISTRATORS_ONLY = {
    "accounts.User",
    "auth.Group",
    "authtoken.TokenProxy",
    "django_tasks_database.DBTaskResult",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "webhooks.Webhook",
    "webhooks.Delivery",
}


@pytest.fixture
def admin_manager(manager):
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_reminder", "view_user", "change_user", "view_unit"])
    )
    return manager


@pytest.fixture
def letters(unit, other_unit, foreign_unit):
    made = {}
    for each in (unit, other_unit, foreign_unit):
        made[each.code] = Reminder.objects.create(unit=each, month=dt.date(2025, 4, 1), kind="notice")
    return made


def test_the_site_is_the_role_checked_one():
    assert isinstance(admin.site, TrackerAdminSite)


def test_every_model_admin_scopes_its_rows_through_roles():
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model.__name__}"
        if label in UNSCOPED:
            continue
        if label in ADMINISTRATORS_ONLY:
            assert type(model_admin).has_module_permission is not admin.ModelAdmin.has_module_permission
            continue
        assert type(model_admin).get_queryset is not admin.ModelAdmin.get_queryset, label


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.CITY, Role.SYSTEM])
def test_clerks_city_users_and_system_accounts_are_refused(client, unit, letters, role):
    user = factories.UserFactory(
        role=role, unit=unit if role == Role.UNIT_STAFF else None, is_staff=True, username=f"u-{role}"
    )
    user.user_permissions.add(*Permission.objects.filter(codename="view_reminder"))
    client.force_login(user)
    for url in (
        "/admin/",
        "/admin/pipeline/reminder/",
        f"/admin/pipeline/reminder/{letters['jlp-sci'].pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url


def test_a_manager_reads_only_their_districts_letters(client, admin_manager, letters):
    client.force_login(admin_manager)
    response = client.get("/admin/pipeline/reminder/")
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {letters["jlp-econ"], letters["jlp-sci"]}
    foreign = letters["jj-invest"].pk
    assert client.get(f"/admin/pipeline/reminder/{foreign}/change/").status_code == 302
    units = client.get("/admin/projects/unit/").context["cl"].result_list
    assert {u.district_id for u in units} == {admin_manager.district_id}


def test_a_manager_may_not_edit_users_even_with_the_permission(client, admin_manager):
    client.force_login(admin_manager)
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get(f"/admin/accounts/user/{admin_manager.pk}/change/").status_code == 403
    response = client.post(f"/admin/accounts/user/{admin_manager.pk}/change/", {"is_superuser": "on"})
    assert response.status_code == 403
    admin_manager.refresh_from_db()
    assert admin_manager.is_superuser is False


@pytest.fixture
def their_investor(foreign_unit, industry):
    investor = factories.InvestorFactory(name="江津本地企业")
    factories.make_project(unit=foreign_unit, industry=industry, investor=investor, name="江津项目")
    return investor


def test_a_district_may_not_attach_another_districts_investor(project, staff, manager, their_investor):
    for user in (staff, manager):
        with pytest.raises(Forbidden) as refused:
            project_update(project=project, by=user, investor=their_investor)
        assert refused.value.field == "investor"
    assert Project.objects.get(pk=project.pk).investor_id is None
    with pytest.raises(Forbidden):
        factories.make_project(unit=project.unit, by=manager, investor=their_investor)


def test_the_api_answers_a_403_naming_the_investor(project, staff, their_investor):
    client = APIClient()
    client.force_authenticate(user=staff)
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"investor": their_investor.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["field"] == "investor"
    assert Project.objects.get(pk=project.pk).investor_id is None


def test_an_administrator_joins_an_investor_of_two_districts(project, their_investor):
    root = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
    assert project_update(project=project, by=root, investor=their_investor).investor == their_investor
