"""The statistics page reads a change the way a manager does: an unchanged figure is 持平 (not
"▲ 0.0%"), a fall in 逾期 is good news; the dashboard's trend marks a month with nothing filed
yet as 未填报 instead of drawing the funds line down to 0."""

import pytest
from django.urls import reverse

from core.dates import add_months, local_today, month_start
from pipeline.progress import progress_save
from projects.lifecycle import Stage
from tests import factories
from web.reports.views import _tone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "change", "tone"),
    [
        ("signed_count", 3, "good"),
        ("signed_count", -3, "bad"),
        ("signed_count", 0, "same"),
        ("overdue_count", -2, "good"),  # fewer overdue projects: good news, not red
        ("overdue_count", 2, "bad"),
        ("overdue_count", None, ""),
    ],
)
def test_a_change_reads_as_good_or_bad_news(name, change, tone):
    assert _tone(name, {"change": change}) == tone


def test_an_unchanged_figure_reads_unchanged(client, manager):
    client.force_login(manager)
    html = client.get(reverse("stats")).content.decode()
    assert "持平" in html and "▲ 0.0%" not in html and "▼ 0.0%" not in html


def test_headline_cards_put_money_in_yi_and_land_and_buildings_in_their_own_units(client, manager):
    client.force_login(manager)
    rows = {row["name"]: row for row in client.get(reverse("stats")).context["figure_rows"]}
    assert rows["contract_investment"]["money"] and rows["funds_in_place"]["money"]
    assert not rows["reclaimed_land_mu"]["money"] and not rows["reclaimed_building_m2"]["money"]
    html = client.get(reverse("stats")).content.decode()
    card = html[html.index("退出收回土地（亩）") :].split("</div>", 1)[0]
    assert "亿元" not in card


def test_the_trend_marks_months_not_filed_yet(client, manager, staff, unit, industry):
    today = local_today()
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, name="趋势项目", started=add_months(today, -6)
    )
    factories.reach(project, Stage.SIGNED, start=add_months(today, -5), step_days=10, by=manager)
    last_month = add_months(month_start(today), -1)
    progress_save(project=project, by=staff, month=last_month, funds_in_place="500")
    client.force_login(manager)
    response = client.get(reverse("dashboard"))
    svg = str(response.context["monthly"])
    assert f"{month_start(today):%Y-%m} 进展尚未填报" in svg  # this month: nothing filed yet
    assert f"{last_month:%Y-%m} 进展尚未填报" not in svg
    assert f"{last_month:%Y-%m} 资金到位" in svg and f"{month_start(today):%Y-%m} 资金到位" not in svg
