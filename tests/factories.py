"""Factories for tests. Projects and milestones go through the services, so every test
project has a history the rules accept."""

import datetime as dt
import itertools
from decimal import Decimal

import factory

from accounts.models import Role, User
from pipeline.intake import project_create
from pipeline.models import ExitReason
from pipeline.transitions import milestone_record
from projects import lifecycle
from projects.credit_code import make_credit_code
from projects.lifecycle import Stage
from projects.models import District, Industry, Investor, Park, Unit

_codes = itertools.count(1)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district{n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    short_code = factory.Sequence(lambda n: f"D{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.DEPARTMENT
    district = factory.SubFactory(DistrictFactory)


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"park{n}")
    name = factory.Sequence(lambda n: f"测试园区{n}")
    district = factory.SubFactory(DistrictFactory)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND{n}")
    name = factory.Sequence(lambda n: f"产业{n}")
    parent = None


class InvestorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investor

    name = factory.Sequence(lambda n: f"测试投资有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(f"91500107{n:09d}"))
    origin = "重庆市"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.UNIT_STAFF
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff_of(unit, **kwargs) -> User:
    return UserFactory(role=Role.UNIT_STAFF, unit=unit, district=unit.district, **kwargs)


def manager_of(district, **kwargs) -> User:
    return UserFactory(role=Role.DISTRICT_MANAGER, district=district, **kwargs)


def city_user(**kwargs) -> User:
    return UserFactory(role=Role.CITY, **kwargs)


def system_user(district=None, **kwargs) -> User:
    return UserFactory(role=Role.SYSTEM, district=district, **kwargs)


def make_project(*, unit=None, by=None, industry=None, started=dt.date(2025, 1, 6), **fields):
    """A negotiating project created through the service (by a manager of its district)."""
    unit = unit or UnitFactory()
    by = by or manager_of(unit.district)
    fields.setdefault("name", f"测试项目{next(_codes)}")
    fields.setdefault("total_investment", Decimal("10000.00"))
    return project_create(
        by=by,
        unit=unit,
        industry=industry or IndustryFactory(),
        negotiation_started_on=started,
        **fields,
    )


STAGE_DATA = {
    Stage.APPROVED: {
        "industry_opinion": "符合产业方向",
        "expert_opinion": "技术可行",
        "department_opinion": "各部门同意",
    },
    Stage.SIGNED: {"contract_no": "HT-2025-001", "contract_investment": Decimal("10000.00")},
    Stage.AT_CAPACITY: {"actual_output": Decimal("5000.00")},
    Stage.TERMINATED: {"reason": ExitReason.LONG_UNSTARTED, "reclaimed_land_mu": Decimal("10.00")},
}
FORWARD = list(lifecycle.FORWARD[1:])  # the milestones after creation


def advance(project, *dated_stages, by=None, **data):
    """Record milestones in order: advance(p, (Stage.SIGNED, date), ...) or, with bare stages,
    walk forward to the last one using the given dates. Extra data overrides STAGE_DATA."""
    by = by or manager_of(project.district)
    event = None
    for stage, date in dated_stages:
        payload = {**STAGE_DATA.get(stage, {}), **data.get(stage, {})}
        event = milestone_record(project=project, by=by, stage=stage, date=date, **payload)
        project.refresh_from_db()
    return event


def reach(project, stage, start=dt.date(2025, 2, 1), step_days=10, by=None):
    """Bring a negotiating project to any stage through the services: forward one step every
    `step_days` from `start`, or terminated straight from negotiating. Returns the last event,
    or None when it is already there."""
    if stage == Stage.NEGOTIATING:
        return None
    if stage == Stage.TERMINATED:
        return advance(project, (Stage.TERMINATED, start), by=by)
    steps = FORWARD[: FORWARD.index(stage) + 1]
    dated = [(s, start + dt.timedelta(days=i * step_days)) for i, s in enumerate(steps)]
    return advance(project, *dated, by=by)


def snapshot(project) -> dict:
    """Everything a refused write must leave as it was: the project row (all fields, version
    and updated_at included) and the rows hanging off it."""
    from changes.models import Change
    from pipeline.models import MonthlyProgress, Request, Review, StageEvent
    from projects.models import Project

    row = Project.objects.filter(pk=project.pk).values().get()
    return {
        "project": row,
        "events": list(StageEvent.objects.filter(project_id=project.pk).order_by("id").values()),
        "reviews": list(Review.objects.filter(project_id=project.pk).order_by("id").values()),
        "progress": list(MonthlyProgress.objects.filter(project_id=project.pk).order_by("id").values()),
        "requests": list(Request.objects.filter(project_id=project.pk).order_by("id").values()),
        "changes": list(Change.objects.filter(project_id=project.pk).order_by("seq").values()),
    }


def run_concurrently(*calls, timeout=30):
    """Run each call in its own thread (own database connection), all released at once by a
    barrier. Returns [("ok", result) | ("error", exception)] in the calls' order."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
