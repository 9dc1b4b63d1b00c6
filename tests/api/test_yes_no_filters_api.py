"""Yes/no filters on the lists: `?is_overdue=` on the projects (true keeps only the overdue
ones, false removes them), and every spelling the API accepts (true/false, True/False, 1/0)
filtering alike — never read as "no filter"."""

import datetime as dt

import pytest

from core.dates import add_months, local_today
from pipeline.transitions import event_void
from projects.lifecycle import Stage
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"


@pytest.fixture
def projects(unit, industry, manager):
    today = local_today()
    long_ago = add_months(today, -6)
    stale = factories.make_project(
        unit=unit, industry=industry, by=manager, started=long_ago, name="久谈未定"
    )
    fresh = factories.make_project(unit=unit, industry=industry, by=manager, started=today, name="新洽谈")
    late = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        started=long_ago,
        planned_production_date=today - dt.timedelta(days=1),
        name="逾期未投产",
    )
    factories.advance(
        late,
        (Stage.APPROVED, long_ago),
        (Stage.SIGNED, long_ago),
        (Stage.STARTED, today),
        by=manager,
    )
    on_time = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        started=long_ago,
        planned_production_date=today + dt.timedelta(days=30),
        name="按期建设",
    )
    factories.advance(
        on_time,
        (Stage.APPROVED, long_ago),
        (Stage.SIGNED, long_ago),
        (Stage.STARTED, today),
        by=manager,
    )
    return {"stale": stale, "fresh": fresh, "late": late, "on_time": on_time}


def _listed(client, query):
    response = client.get(URL + query)
    assert response.status_code == 200, response.json()
    return {item["name"]: item["is_overdue"] for item in response.json()["results"]}


def test_false_excludes_the_overdue_projects(api, manager, projects):
    listed = _listed(api.as_user(manager), "?is_overdue=false")
    assert listed == {"新洽谈": False, "按期建设": False}


def test_true_keeps_only_the_overdue_projects(api, manager, projects):
    listed = _listed(api.as_user(manager), "?is_overdue=true")
    assert listed == {"久谈未定": True, "逾期未投产": True}


@pytest.mark.parametrize(("word", "overdue"), [("0", False), ("False", False), ("1", True), ("True", True)])
def test_the_other_spellings_of_true_and_false(api, manager, projects, word, overdue):
    assert set(_listed(api.as_user(manager), f"?is_overdue={word}").values()) == {overdue}


def test_the_two_halves_make_the_whole_list(api, manager, projects):
    client = api.as_user(manager)
    assert len(_listed(client, "")) == len(_listed(client, "?is_overdue=true")) + len(
        _listed(client, "?is_overdue=false")
    )


@pytest.mark.parametrize(("word", "high_tech"), [("1", True), ("0", False), ("true", True), ("False", False)])
def test_investors_filter_by_high_tech_in_every_spelling(api, manager, word, high_tech):
    factories.InvestorFactory(is_high_tech=True, name="高新企业")
    factories.InvestorFactory(is_high_tech=False, name="一般企业")
    response = api.as_user(manager).get("/api/v1/investors/", {"is_high_tech": word})
    assert [item["is_high_tech"] for item in response.json()["results"]] == [high_tech]


@pytest.mark.parametrize(("word", "voided"), [("1", True), ("0", False)])
def test_events_filter_by_voided_in_every_spelling(api, manager, project, word, voided):
    factories.advance(project, (Stage.TERMINATED, local_today()), by=manager)
    event_void(project=project, by=manager, reason="录错")
    response = api.as_user(manager).get(f"/api/v1/projects/{project.pk}/events/", {"voided": word})
    assert [item["is_voided"] for item in response.json()["results"]] == [voided]


@pytest.mark.parametrize(("word", "overdue"), [("yes", True), ("NO", False), ("on", True), ("off", False)])
def test_the_words_of_the_report_filters_too(api, manager, projects, word, overdue):
    """One list of yes/no words (projects.filters.YES_WORDS / NO_WORDS) for the lists and the
    reports (pipeline.filters), so a query string means the same on both."""
    assert set(_listed(api.as_user(manager), f"?is_overdue={word}").values()) == {overdue}


@pytest.mark.parametrize("word", ["maybe", "tru", "2"])
def test_any_other_word_is_a_400_on_the_list_and_the_ledger(api, manager, projects, word):
    client = api.as_user(manager)
    for url in (URL, "/api/v1/ledgers/2025-06/"):
        response = client.get(url, {"is_overdue": word})
        assert response.status_code == 400, (url, word)
        assert response.json()["field"] == "is_overdue"
