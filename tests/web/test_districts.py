"""City readers can tell the districts apart: a 区县 column and district subtotals in the ledger,
a 区县 column in the project list, and the districts side by
side (ledger summary and the year's figures, equal to each district's own ledger and statistics)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.dates import add_months, format_month, local_today, month_start
from pipeline.districts import district_comparison, ledger_summary_by_district
from pipeline.ledger import ledger_summary, summary_totals
from pipeline.stats import statistics
from projects.lifecycle import Stage
from tests import factories

pytestmark = pytest.mark.django_db

LAST = add_months(month_start(local_today()), -1)


@pytest.fixture
def two_districts(district, other_district, unit, foreign_unit, industry, manager):
    """Both districts have a 区招商投资局-named unit's projects at several stages."""
    own_invest = factories.UnitFactory(code="jlp-invest", name="区招商投资局", district=district)
    other_manager = factories.manager_of(other_district, username="jj-manager")
    start = add_months(LAST, -6)
    for index, stage in enumerate((Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED)):
        project = factories.make_project(
            unit=own_invest, industry=industry, by=manager, name=f"九龙坡项目{index}", started=start
        )
        factories.reach(project, stage, start=start + dt.timedelta(days=5), step_days=20, by=manager)
    for index, stage in enumerate((Stage.SIGNED, Stage.SIGNED)):
        project = factories.make_project(
            unit=foreign_unit, industry=industry, by=other_manager, name=f"江津项目{index}", started=start
        )
        factories.reach(project, stage, start=start + dt.timedelta(days=5), step_days=20, by=other_manager)
    return {"jiulongpo": district, "jiangjin": other_district}


def test_the_summary_by_district_adds_up_to_each_districts_ledger(city, two_districts):
    by_district = ledger_summary_by_district(LAST, user=city)
    for code in ("jiulongpo", "jiangjin"):
        alone = ledger_summary(LAST, user=city, filters={"district": code})
        assert by_district[code]["summary"] == alone
        assert by_district[code]["totals"] == summary_totals(alone)
    assert (
        by_district["jiulongpo"]["totals"]["count"] == 3 and by_district["jiangjin"]["totals"]["count"] == 2
    )


def test_the_comparison_holds_each_districts_statistics(city, two_districts):
    data = district_comparison(LAST, user=city)
    assert [row["name"] for row in data["districts"]] == ["江津区", "九龙坡区"]
    for row in data["districts"]:
        alone = statistics(data["from"], data["to"], user=city, filters={"district": row["code"]})
        assert row["figures"] == alone["figures"]
    assert {row["code"]: row["figures"]["signed_count"] for row in data["districts"]} == {
        "jiangjin": 2,
        "jiulongpo": 2,
    }


def test_the_comparison_page_shows_the_districts_side_by_side(client, city, two_districts):
    client.force_login(city)
    response = client.get(reverse("districts") + f"?month={format_month(LAST)}")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("江津区") < html.index("九龙坡区")
    assert f"{reverse('ledger-month', args=[format_month(LAST)])}?district=jiangjin" in html
    assert "区县对比" in client.get(reverse("dashboard")).content.decode()


def test_a_manager_compares_only_its_own_district(client, manager, two_districts):
    client.force_login(manager)
    response = client.get(reverse("districts"))
    assert [row["name"] for row in response.context["data"]["districts"]] == ["九龙坡区"]
    assert "区县对比" not in client.get(reverse("dashboard")).content.decode()


def test_the_city_ledger_has_a_district_column_and_subtotals(client, city, manager, two_districts):
    client.force_login(city)
    response = client.get(reverse("ledger-month", args=[format_month(LAST)]))
    assert response.context["several_districts"]
    subtotals = {row["name"]: row["totals"]["count"] for row in response.context["district_subtotals"]}
    assert subtotals == {"江津区": 2, "九龙坡区": 3}
    html = response.content.decode()
    assert "各区县小计" in html and 'data-label="区县">江津区</td>' in html
    # one district chosen, or a district's own manager: no district column
    response = client.get(reverse("ledger-month", args=[format_month(LAST)]) + "?district=jiangjin")
    assert not response.context["several_districts"]
    client.force_login(manager)
    response = client.get(reverse("ledger-month", args=[format_month(LAST)]))
    assert not response.context["several_districts"] and "各区县小计" not in response.content.decode()


def test_the_city_project_list_names_the_district(client, city, manager, two_districts):
    client.force_login(city)
    html = client.get(reverse("projects")).content.decode()
    assert 'data-label="区县">江津区</td>' in html and 'data-label="区县">九龙坡区</td>' in html
    client.force_login(manager)
    assert 'data-label="区县"' not in client.get(reverse("projects")).content.decode()
