"""Chinese by default, English on request; every visible string of the pages is translatable.

With English chosen and records named in English, no Chinese character is left on a page:
anything left would be a string that was not wrapped for translation (or not translated)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from pipeline.progress import progress_save
from projects.lifecycle import Stage
from supervision.models import Task
from supervision.tasks import task_create
from tests import factories

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


@pytest.fixture(scope="module", autouse=True)
def compiled_messages(django_db_blocker):
    """The catalogue is compiled at set-up (make setup / make test); compile it here too."""
    call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)


@pytest.fixture
def english_world(today):
    district = factories.DistrictFactory(code="east", name="East District", short_code="EST")
    unit = factories.UnitFactory(code="east-econ", name="Economy Office", district=district)
    factories.UnitFactory(code="east-sci", name="Science Office", district=district)
    industry = factories.IndustryFactory(code="EIT", name="Electronics")
    manager = factories.manager_of(district, username="boss")
    clerk = factories.staff_of(unit, username="alice", first_name="Alice")
    investor = factories.InvestorFactory(name="Acme Ltd", is_high_tech=True, origin="Berlin")
    project = factories.make_project(
        unit=unit,
        industry=industry,
        by=manager,
        name="Acme Chip Plant",
        investor=investor,
        started=today - dt.timedelta(days=200),
        planned_sign_date=today + dt.timedelta(days=10),
    )
    factories.advance(
        project,
        (Stage.APPROVED, today - dt.timedelta(days=150)),
        (Stage.SIGNED, today - dt.timedelta(days=120)),
        by=manager,
        **{
            Stage.APPROVED: {
                "industry_opinion": "fits",
                "expert_opinion": "sound",
                "department_opinion": "ok",
            },
            Stage.SIGNED: {"contract_no": "C-1", "contract_investment": "900"},
        },
    )
    progress_save(project=project, by=clerk, month=today, funds_in_place="5", progress="piling")
    task_create(
        project=project,
        by=clerk,
        source="request",
        category="land",
        content="more land",
        unit=unit,
        due_date=today,
    )
    return {"clerk": clerk, "manager": manager, "project": project}


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302


def test_chinese_is_the_default(client, english_world):
    client.force_login(english_world["clerk"])
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-CN">' in html and "待办事项" in html


def test_an_english_language_browser_still_gets_chinese_pages(client, english_world):
    """The browser's Accept-Language does not choose the language of the pages; the switch does."""
    client.force_login(english_world["clerk"])
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html and "待办事项" in html
    switch_to_english(client)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="en">' in html


def test_the_api_still_follows_accept_language(client, english_world):
    """An integrator asks for the English schema with the header (no cookie involved)."""
    client.force_login(english_world["manager"])
    english = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/projects/")
    assert english.status_code == chinese.status_code == 200
    assert (english["Content-Language"], chinese["Content-Language"]) == ("en", "zh-hans")
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "zh-hans"


def test_the_language_switch_turns_the_pages_english(client, english_world):
    client.force_login(english_world["clerk"])
    switch_to_english(client)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Overdue projects" in html and "Acme Chip Plant" in html


def test_no_untranslated_chinese_is_left_on_the_english_pages(client, english_world):
    project = english_world["project"]
    task = Task.objects.get()
    pages = {
        english_world["clerk"]: [
            reverse("home"),
            reverse("projects"),
            reverse("projects") + "?sort=-investment&stage=signed",
            reverse("project-detail", args=[project.pk]),
            reverse("project-edit", args=[project.pk]),
            reverse("project-create"),
            reverse("milestone-record", args=[project.pk]),
            reverse("request-create", args=[project.pk]),
            reverse("progress"),
            reverse("supervision") + "?status=all",
            reverse("task-detail", args=[task.pk]),
            reverse("meetings"),
            reverse("task-force-edit", args=[project.pk]),
            reverse("investors"),
            reverse("investor-create"),
        ],
        english_world["manager"]: [
            reverse("event-void", args=[project.pk]),
            reverse("progress"),
            reverse("home"),
            reverse("supervision"),
            reverse("task-detail", args=[task.pk]),
            reverse("task-create"),
            reverse("meeting-create"),
        ],
        factories.city_user(username="reader"): [reverse("home"), reverse("districts")],
    }
    for user, urls in pages.items():
        client.force_login(user)
        switch_to_english(client)
        for url in urls:
            html = client.get(url).content.decode()
            # The language switch names each language in its own language, by design.
            html = html.replace('lang="zh-CN">中文<', "")
            assert CJK.findall(html) == [], url
