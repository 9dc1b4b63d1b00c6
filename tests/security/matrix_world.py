"""The world the permission matrix (test_permission_matrix.py) runs in, and how one request
is classified. Kept apart so the matrix file is the table."""

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from exits.services import exit_review_open
from pipeline.models import Reminder
from pipeline.progress import progress_save
from pipeline.requests import request_create
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories

ROLES = ("anon", "clerk", "manager", "foreign", "city", "reader", "admin")
METHODS = ("GET", "POST")


def routes():
    """Every route of the URL configuration: (pattern as written, name)."""

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield prefix + str(entry.pattern), name

    return list(walk(get_resolver().url_patterns, "", ""))


def concrete(pattern: str, ids: dict) -> str:
    """A URL for `pattern`, each parameter filled from `ids` (999999 for one not made)."""
    path = pattern.replace("^", "").replace("$", "")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(ids.get(m.group(1), 999999)), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 999999)), path)
    return "/" + path.replace("\\", "")


def world(unit, foreign_unit, industry, manager):
    """The district's project (signed), its first event, a 诉求, a letter, an investor."""
    project = factories.make_project(unit=unit, industry=industry, by=manager, name="矩阵项目")
    factories.reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1), by=manager)
    investor = factories.InvestorFactory(name="矩阵投资主体")
    demand = request_create(
        project=project,
        by=manager,
        category="land",
        description="用地",
        assigned_unit=unit,
        due_date="2025-06-01",
        raised_on="2025-04-01",
    )
    letter = Reminder.objects.create(
        unit=unit, month=dt.date(2025, 4, 1), kind="notice", issued_by=manager, issued_at=timezone.now()
    )
    event = project.events.order_by("pk").first()
    progress_save(project=project, by=manager, month=dt.date(2025, 4, 1), funds_in_place=Decimal("10"))
    review = exit_review_open(project=project, by=manager, proposal="keep", reason="矩阵")
    park = factories.ParkFactory(code="m-park", name="矩阵园区", district=unit.district)
    task = task_create(
        by=manager, unit=unit, due_date=dt.date(2099, 6, 1), content="矩阵督办事项", project=project
    )
    return {
        "task": task.pk,
        "exit_review": review.pk,
        "unit_code": unit.code,
        "park_code": park.code,
        "industry_code": industry.code,
        "pk": project.pk,
        "project_id": project.pk,
        "event_id": event.pk,
        "code": unit.district.code,
        "month": "2025-04",
        "year": "2025",
        "investor": investor.pk,
        "request": demand.pk,
        "reminder": letter.pk,
    }


def clients(unit, foreign_unit, district, manager):
    """role → a function making a client signed in as that role (a fresh one when a request
    would sign it out)."""
    people = {
        "clerk": factories.staff_of(unit, username="m-clerk"),
        "manager": manager,
        "foreign": factories.manager_of(foreign_unit.district, username="m-foreign"),
        "city": factories.city_user(username="m-city"),
        "admin": factories.UserFactory(
            username="m-root", is_superuser=True, is_staff=True, district=district
        ),
    }
    for who in ("manager", "foreign"):
        people[who].is_staff = True
        people[who].save()
        people[who].user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    reader = factories.system_user(district, username="m-reader", read_only=True)
    token = Token.objects.create(user=reader).key

    def make(role):
        if role == "anon":
            return Client()
        if role == "reader":
            return Client(HTTP_AUTHORIZATION=f"Token {token}")
        client = Client()
        client.force_login(people[role])
        return client

    return make


def outcome(response) -> str:
    """ok: past the permission check (a 4xx for bad input counts: the role may try);
    login: asked to sign in; no: refused or not shown (403/404); 405: no such method."""
    status = response.status_code
    assert status < 500, f"{status}"
    location = response.get("Location", "")
    if status == 401 or (status == 302 and ("/login/" in location)):
        return "login"
    if status in (403, 404):
        return "no"
    if status == 405:
        return "405"
    return "ok"
