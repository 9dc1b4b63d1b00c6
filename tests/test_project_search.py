"""Project search (name, code, investor name, exact credit code), as every list applies it.

Short texts (one or two characters, the usual Chinese word) and longer ones take different
queries (projects.filters.ProjectFilter.filter_search); both must find the same projects."""

import random

import pytest
from django.core.exceptions import ValidationError

from projects.filters import ProjectFilter
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(unit, industry, manager):
    robot = factories.InvestorFactory(name="重庆智造科技有限公司")
    made = {
        "robot": factories.make_project(
            unit=unit, industry=industry, by=manager, name="机器人产线项目", investor=robot
        ),
        "chip": factories.make_project(unit=unit, industry=industry, by=manager, name="AB芯片封测基地"),
        "park": factories.make_project(unit=unit, industry=industry, by=manager, name="智能物流园"),
    }
    return made, robot


def found(text) -> set[str]:
    filterset = ProjectFilter({"search": text}, queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


def test_two_chinese_characters_find_names_and_investor_names(projects):
    assert found("智造") == {"机器人产线项目"}  # by its investor
    assert found("智能") == {"智能物流园"}
    assert found("项目") == {"机器人产线项目"}
    assert found("基") == {"AB芯片封测基地"}


def test_latin_letters_match_either_case_however_short(projects):
    assert found("ab") == {"AB芯片封测基地"}
    assert found("aB芯") == {"AB芯片封测基地"}


def test_a_code_is_found_by_any_part_of_it(projects):
    made, _robot = projects
    code = made["park"].code  # e.g. JLP-2025-0003
    assert found(code) == {"智能物流园"}
    assert found(code.lower()) == {"智能物流园"}
    assert found(code[-2:]) >= {"智能物流园"}
    assert found(code.split("-")[0][:2]) == {"机器人产线项目", "AB芯片封测基地", "智能物流园"}


def test_an_investors_credit_code_finds_its_projects(projects):
    _made, robot = projects
    assert found(robot.credit_code) == {"机器人产线项目"}
    assert found(robot.credit_code.lower()) == {"机器人产线项目"}


def test_text_found_nowhere_finds_nothing(projects):
    assert found("光伏") == set()
    assert found("不存在的名称") == set()


def test_a_district_prefix_outside_a_to_z_and_digits_is_refused(district):
    district.short_code = "九龙"
    with pytest.raises(ValidationError) as refused:
        district.full_clean()
    assert "short_code" in refused.value.message_dict


def test_not_high_tech_includes_projects_with_no_investor_recorded(unit, industry, manager):
    tech = factories.InvestorFactory(name="高新企业", is_high_tech=True)
    factories.make_project(unit=unit, industry=industry, by=manager, name="高新项目", investor=tech)
    factories.make_project(unit=unit, industry=industry, by=manager, name="无投资主体项目")

    def names(value):
        filterset = ProjectFilter({"is_high_tech": value}, queryset=Project.objects.all())
        assert filterset.is_valid(), filterset.errors
        return set(filterset.qs.values_list("name", flat=True))

    assert names("true") == {"高新项目"}
    assert names("false") == {"无投资主体项目"}


ALPHABET = "智造能汽车芯Aab-1"


@pytest.fixture
def random_names(unit, industry, manager):
    """Thirty projects and investors with names drawn from a small alphabet, so that every
    one- and two-character text is found in some names and missing from others."""
    rng = random.Random(20251231)

    def name():
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))

    for _ in range(30):
        investor = factories.InvestorFactory(name=name()) if rng.random() < 0.5 else None
        factories.make_project(unit=unit, industry=industry, by=manager, name=name(), investor=investor)
    return list(Project.objects.select_related("investor"))


def test_every_short_text_finds_exactly_the_projects_containing_it(random_names):
    probes = set(ALPHABET) | {a + b for a in ALPHABET for b in ALPHABET}
    for probe in sorted(probes):
        if not probe.strip():
            continue
        expected = {
            project.name
            for project in random_names
            if probe.upper() in project.name.upper()
            or probe.upper() in project.code
            or (project.investor and probe.upper() in project.investor.name.upper())
        }
        assert found(probe) == expected, probe
