"""The home pages: each role's, on the month being closed, every item a link to where it is done.

The month being closed is the previous month until the district publishes it, then the current
one; the tests fix the date either side of a month's end and of its publication."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exits.services import exit_review_open
from monthend.selectors import closing_month
from pipeline.progress import progress_save
from pipeline.publishing import ledger_publish
from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories

pytestmark = pytest.mark.django_db

JUNE, JULY, MAY = dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 5, 1)


@pytest.fixture
def on(monkeypatch):
    """Fix the local date the product reads (core.dates.local_today) to `day`."""

    def set_day(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return set_day


@pytest.fixture
def signed_in_may(unit, industry, manager, on):
    """Signed in May 2026: owes progress for May, June and every month after."""
    on(dt.date(2026, 6, 20))
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, name="五月签约项目", started=dt.date(2026, 4, 1)
    )
    factories.advance(project, (Stage.APPROVED, dt.date(2026, 4, 20)), (Stage.SIGNED, dt.date(2026, 5, 10)))
    project.refresh_from_db()
    return project


def items(response) -> dict:
    return {item.key: item for item in response.context["items"]}


def labels(item) -> list[str]:
    return [row.label for row in item.rows]


@pytest.mark.parametrize(
    ("today", "published", "closing"),
    [
        (dt.date(2026, 6, 30), [], MAY),  # May not published: still May, even on June's last day
        (dt.date(2026, 6, 30), [MAY], JUNE),  # May published: June
        (dt.date(2026, 7, 1), [MAY], JUNE),  # June has ended and is not published: June
        (dt.date(2026, 7, 2), [MAY, JUNE], JULY),  # June published: July
    ],
)
def test_the_month_being_closed(district, manager, on, today, published, closing):
    on(dt.date(2026, 7, 2))
    for month in published:
        ledger_publish(district=district, month=month, by=manager)
    on(today)
    assert closing_month(district, today) == closing


def test_the_clerk_is_asked_for_last_months_progress_until_it_is_published(
    client, staff, manager, district, signed_in_may, on
):
    """On 2 July the clerk owes June (not July, which has just begun); once June is published,
    July."""
    on(dt.date(2026, 7, 2))
    progress_save(project=signed_in_may, by=staff, month=MAY, funds_in_place="10")
    # a negotiating project owes nothing yet (pipeline.selectors.progress_due)
    factories.make_project(unit=signed_in_may.unit, by=manager, name="洽谈中", started=dt.date(2026, 6, 1))
    client.force_login(staff)
    owed = items(client.get(reverse("home")))["progress-owed"]
    assert owed.title == "2026-06 月度进展待填报" and labels(owed) == ["五月签约项目"]
    assert owed.url == reverse("progress") + "?unit=jlp-econ&month=2026-06"
    # the progress sheet opens on the same month
    assert client.get(reverse("progress")).context["month"] == JUNE

    progress_save(project=signed_in_may, by=staff, month=JUNE, funds_in_place="10")
    owed = items(client.get(reverse("home")))["progress-owed"]
    assert owed.count == 0 and owed.empty == "2026-06 进展已全部填报。"

    ledger_publish(district=district, month=JUNE, by=manager)
    owed = items(client.get(reverse("home")))["progress-owed"]
    assert owed.title == "2026-07 月度进展待填报" and labels(owed) == ["五月签约项目"]
    assert client.get(reverse("progress")).context["month"] == JULY


def test_on_a_months_last_day_the_clerk_is_still_asked_for_it(client, staff, signed_in_may, on):
    """On 30 June, May unpublished: May is owed; on 1 July June has ended and is the month owed."""
    on(dt.date(2026, 6, 30))
    client.force_login(staff)
    assert items(client.get(reverse("home")))["progress-owed"].title == "2026-05 月度进展待填报"
    progress_save(project=signed_in_may, by=staff, month=MAY, funds_in_place="10")
    assert items(client.get(reverse("home")))["progress-owed"].count == 0
    on(dt.date(2026, 7, 1))
    owed = items(client.get(reverse("home")))["progress-owed"]
    assert owed.title == "2026-06 月度进展待填报" and labels(owed) == ["五月签约项目"]


def test_the_clerks_milestones_due(client, staff, unit, industry, manager, on):
    on(dt.date(2026, 7, 2))
    for name, planned in (("快签约", 12), ("已过期", -3), ("远签约", 60)):
        factories.make_project(
            unit=unit,
            industry=industry,
            by=manager,
            name=name,
            started=dt.date(2026, 6, 20),
            planned_sign_date=dt.date(2026, 7, 2) + dt.timedelta(days=planned),
        )
    client.force_login(staff)
    due = items(client.get(reverse("home")))["milestones-due"]
    assert labels(due) == ["已过期", "快签约"]
    assert "已过计划日期 2026-06-29" in due.rows[0].meta
    assert due.rows[1].action_url.endswith("#next-step")


def test_late_tasks_link_to_where_they_are_done(client, staff, unit, signed_in_may, on):
    on(dt.date(2026, 7, 2))
    late = task_create(
        project=signed_in_may,
        by=staff,
        source="request",
        category="planning",
        content="规划调整",
        unit=unit,
        due_date=dt.date(2026, 6, 30),
        assigned_on=dt.date(2026, 6, 1),
    )
    client.force_login(staff)
    item = items(client.get(reverse("home")))["late-tasks"]
    assert item.count == 1 and item.rows[0].action_url == reverse("task-detail", args=[late.pk])


def test_another_units_clerk_sees_none_of_it(client, other_unit, signed_in_may, on):
    on(dt.date(2026, 7, 2))
    client.force_login(factories.staff_of(other_unit, username="clerk2"))
    response = client.get(reverse("home"))
    assert all(item.count == 0 for item in response.context["items"])
    assert signed_in_may.name not in response.content.decode()


def test_the_managers_home_is_what_a_manager_acts_on(
    client, manager, staff, district, unit, other_unit, industry, signed_in_may, on
):
    on(dt.date(2026, 7, 2))
    waiting = factories.make_project(
        unit=other_unit,
        industry=industry,
        by=manager,
        name="待审议项目",
        started=dt.date(2026, 6, 1),
        planned_sign_date=dt.date(2026, 7, 10),
    )
    review = exit_review_open(project=signed_in_may, by=staff, proposal="exit", reason="企业投资意向变化")
    client.force_login(manager)
    response = client.get(reverse("home"))
    shown = items(response)
    assert list(shown) == ["month-end", "reviews", "exit-reviews", "tasks-to-verify", "overdue", "late-tasks"]
    assert "progress-owed" not in shown  # the clerk's list is not the manager's home

    month_end = shown["month-end"]
    assert month_end.title == "2026-06 台账未发布" and month_end.url == reverse("month-end", args=["2026-06"])
    assert labels(month_end) == ["区经济信息委"]  # the unit that has not filed June
    assert month_end.rows[0].meta == "已填报 0 / 1 个项目"
    assert labels(shown["reviews"]) == ["待审议项目"]
    assert shown["reviews"].rows[0].url == reverse("project-detail", args=[waiting.pk])
    assert labels(shown["exit-reviews"]) == ["五月签约项目"]
    assert shown["exit-reviews"].rows[0].url == reverse("exit-review", args=[review.pk])

    progress_save(project=signed_in_may, by=staff, month=JUNE, funds_in_place="10")
    ledger_publish(district=district, month=JUNE, by=manager)
    month_end = items(client.get(reverse("home")))["month-end"]
    assert month_end.title == "2026-07 进展填报" and month_end.tone == "info"


def test_the_city_home_is_a_read_only_overview_of_the_districts(
    client, city, district, other_district, foreign_unit, signed_in_may, manager, on
):
    on(dt.date(2026, 7, 2))
    ledger_publish(district=district, month=JUNE, by=manager)
    client.force_login(city)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["items"] == []
    assert "您负责的项目" not in html and "各区县概况" in html
    rows = {row["district"].name: row for row in response.context["overview"]}
    assert set(rows) == {"九龙坡区", "江津区"}
    assert rows["九龙坡区"]["published"] and not rows["江津区"]["published"]
    assert rows["九龙坡区"]["signed_count"] == 1 and rows["九龙坡区"]["pipeline"] == 1
    assert rows["江津区"]["signed_count"] == 0
    assert f"{reverse('projects')}?district=jiangjin&amp;is_overdue=true" in html
