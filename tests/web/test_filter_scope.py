"""The filters of the ledger, the statistics and the project list offer only what the user may
see: a clerk its own unit, a district's people their district's units and parks, city readers
every district's (named with the district); the industry filter is the tree."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district, other_district, unit, other_unit, foreign_unit):
    factories.ParkFactory(code="jlp-park", name="西部物流园", district=district)
    factories.ParkFactory(code="jj-park", name="江津综保区", district=other_district)
    factories.UnitFactory(code="jj-econ", name="区经济信息委", district=other_district)
    root = factories.IndustryFactory(code="ADV", name="先进制造和科技创新")
    factories.IndustryFactory(code="ADV-EIT", name="新一代电子信息", parent=root)
    factories.IndustryFactory(code="ADV-MAT", name="先进材料", parent=root)
    factories.IndustryFactory(code="PSS", name="生产性服务业")
    factories.IndustryFactory(code="PSS-LOG", name="现代物流", parent=factories.IndustryFactory(code="PSS"))


def filter_form(client, page):
    url = {
        "ledger": reverse("ledger-month", args=["2025-06"]),
        "stats": reverse("stats"),
        "projects": reverse("projects"),
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"] if "form" in response.context else response.context["filter"].form


def labels(form, name) -> list[str]:
    return [str(label) for value, label in form.fields[name].widget.choices if value != ""]


@pytest.mark.parametrize("page", ["ledger", "stats", "projects"])
def test_a_clerk_is_offered_its_own_unit_and_its_districts_parks(client, staff, world, page):
    client.force_login(staff)
    form = filter_form(client, page)
    assert labels(form, "unit") == ["区经济信息委"]
    assert labels(form, "park") == ["西部物流园"]
    assert "district" not in form.fields


@pytest.mark.parametrize("page", ["ledger", "stats", "projects"])
def test_a_manager_is_offered_its_districts_units_and_parks_only(client, manager, world, page):
    client.force_login(manager)
    form = filter_form(client, page)
    assert labels(form, "unit") == ["区经济信息委", "区科技局"]
    assert labels(form, "park") == ["西部物流园"]
    assert "district" not in form.fields


@pytest.mark.parametrize("page", ["ledger", "stats", "projects"])
def test_a_city_reader_is_offered_every_district_named(client, city, world, page):
    client.force_login(city)
    form = filter_form(client, page)
    assert labels(form, "unit") == [
        "江津区 · 区经济信息委",
        "江津区 · 区招商投资局",
        "九龙坡区 · 区经济信息委",
        "九龙坡区 · 区科技局",
    ]
    assert labels(form, "park") == ["江津区 · 江津综保区", "九龙坡区 · 西部物流园"]
    assert "district" in form.fields


@pytest.mark.parametrize("page", ["ledger", "stats", "projects"])
def test_the_industry_filter_is_the_tree(client, manager, world, page):
    client.force_login(manager)
    assert labels(filter_form(client, page), "industry") == [
        "先进制造和科技创新",
        "\u3000└ 新一代电子信息",
        "\u3000└ 先进材料",
        "生产性服务业",
        "\u3000└ 现代物流",
    ]


def test_a_node_of_the_tree_filters_its_subtree(client, manager, unit, world):
    from projects.models import Industry

    for code, name in (("ADV-EIT", "芯片制造项目"), ("PSS-LOG", "冷链仓储项目")):
        factories.make_project(unit=unit, by=manager, industry=Industry.objects.get(code=code), name=name)
    client.force_login(manager)
    html = client.get(reverse("projects") + "?industry=ADV").content.decode()
    assert "芯片制造项目" in html and "冷链仓储项目" not in html
    assert '<option value="ADV" selected>先进制造和科技创新</option>' in html
