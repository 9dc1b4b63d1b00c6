"""诉求: raised for a project, assigned to a unit with a due date, resolved with a note; rates."""

import datetime as dt

import pytest
from django.urls import reverse

from pipeline.models import Request
from pipeline.requests import request_create, request_resolve
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_clerk_raises_a_request_assigned_to_a_unit(clerk_client, staff, signed_overdue, other_unit, today):
    due = today + dt.timedelta(days=10)
    response = clerk_client.post(
        reverse("request-create", args=[signed_overdue.pk]),
        {"category": "utilities", "description": "供电接入", "assigned_unit": other_unit.pk, "due_date": due},
    )
    assert response.status_code == 302
    request_obj = Request.objects.get()
    assert (request_obj.assigned_unit, request_obj.due_date, request_obj.raised_by) == (
        other_unit,
        due,
        staff,
    )
    assert request_obj.status == Request.Status.OPEN


def test_a_due_date_before_today_is_refused_beside_the_field(clerk_client, signed_overdue, unit, today):
    response = clerk_client.post(
        reverse("request-create", args=[signed_overdue.pk]),
        {
            "category": "land",
            "description": "用地",
            "assigned_unit": unit.pk,
            "due_date": today - dt.timedelta(days=1),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"due_date": ["办结时限不能早于提出日期。"]}
    assert not Request.objects.exists()


def test_the_assigned_unit_is_one_of_the_projects_district(clerk_client, signed_overdue, foreign_unit, today):
    response = clerk_client.post(
        reverse("request-create", args=[signed_overdue.pk]),
        {"category": "land", "description": "用地", "assigned_unit": foreign_unit.pk, "due_date": today},
    )
    assert "assigned_unit" in response.context["form"].errors


def test_a_request_is_resolved_with_a_note(clerk_client, staff, signed_overdue, unit, today):
    request_obj = request_create(
        project=signed_overdue,
        by=staff,
        category="finance",
        description="贷款贴息",
        assigned_unit=unit,
        due_date=today,
    )
    url = reverse("request-resolve", args=[request_obj.pk])
    response = clerk_client.post(url, {"resolution": ""})
    assert response.context["form"].errors["resolution"]
    response = clerk_client.post(url, {"resolution": "已兑现贴息"})
    assert response.status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == Request.Status.RESOLVED
    assert request_obj.resolution == "已兑现贴息" and request_obj.resolved_on == today
    assert clerk_client.get(url).status_code == 403


def test_the_list_shows_each_units_resolution_rate(clerk_client, staff, manager, signed_overdue, unit, today):
    for index in range(4):
        request_obj = request_create(
            project=signed_overdue,
            by=staff,
            category="other",
            description=f"诉求{index}",
            assigned_unit=unit,
            due_date=today,
        )
        if index < 3:
            request_resolve(request_obj=request_obj, by=staff, resolution="办结")
    response = clerk_client.get(reverse("requests") + "?status=all")
    rates = response.context["rates"]
    assert [(r["assigned_unit__name"], r["total"], r["resolved"], r["rate"]) for r in rates] == [
        (unit.name, 4, 3, 75.0)
    ]
    assert "75.0%" in response.content.decode()
    assert len(response.context["page"].object_list) == 4
    open_only = clerk_client.get(reverse("requests"))
    assert [r.description for r in open_only.context["page"].object_list] == ["诉求3"]


def test_the_assigned_unit_sees_the_request_but_no_link_to_a_project_it_may_not_open(
    client, manager, signed_overdue, other_unit, today
):
    request_create(
        project=signed_overdue,
        by=manager,
        category="utilities",
        description="供电接入",
        assigned_unit=other_unit,
        due_date=today,
        raised_on=today,
    )
    client.force_login(factories.staff_of(other_unit, username="sci-clerk"))
    detail = reverse("project-detail", args=[signed_overdue.pk])
    listing = client.get(reverse("requests")).content.decode()
    assert "供电接入" in listing and signed_overdue.name in listing
    assert detail not in listing
    assert client.get(detail).status_code == 404  # what a link would have led to
