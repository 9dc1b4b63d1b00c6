"""Every staff page renders for the people who use it, and asks strangers to sign in."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.lifecycle import Stage
from supervision.tasks import task_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_request(project, staff, unit):
    return task_create(
        project=project,
        by=staff,
        source="request",
        category="land",
        content="用地指标",
        unit=unit,
        due_date=dt.date.today() + dt.timedelta(days=10),
    )


def page_urls(project, open_request, investor):
    return [
        reverse("home"),
        reverse("projects"),
        reverse("projects") + "?stage=negotiating&sort=-investment&is_overdue=true",
        reverse("project-detail", args=[project.pk]),
        reverse("project-edit", args=[project.pk]),
        reverse("project-create"),
        reverse("milestone-record", args=[project.pk]),
        reverse("request-create", args=[project.pk]),
        reverse("progress"),
        reverse("supervision"),
        reverse("supervision") + "?status=all&source=request&colour=yellow&unit=jlp-econ",
        reverse("supervision") + "?status=nonsense&colour=purple&unit=nobody&page=99",
        reverse("task-detail", args=[open_request.pk]),
        reverse("meetings"),
        reverse("task-force-edit", args=[project.pk]),
        reverse("investors"),
        reverse("investor-create"),
        reverse("investor-edit", args=[investor.pk]),
    ]


def test_every_page_renders_for_the_units_clerk(client, staff, project, open_request):
    investor = factories.InvestorFactory()
    factories.reach(project, Stage.SIGNED)
    client.force_login(staff)
    for url in page_urls(project, open_request, investor):
        response = client.get(url)
        assert response.status_code == 200, url


def test_every_page_renders_for_a_manager(client, manager, project, open_request, unit):
    investor = factories.InvestorFactory()
    client.force_login(manager)
    factories.reach(project, Stage.SIGNED)
    extra = [reverse("event-void", args=[project.pk]), reverse("task-create"), reverse("meeting-create")]
    for url in [*page_urls(project, open_request, investor), *extra]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(reverse("progress") + f"?unit={unit.code}&month=2025-03").status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, project):
    for url in (reverse("home"), reverse("projects"), reverse("project-detail", args=[project.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))
    text = response.content.decode()
    assert "登录" in text and "用户名" in text and 'for="id_username"' in text


def test_logging_out_returns_to_the_login_page(client, staff):
    client.force_login(staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_a_wrong_password_is_explained_in_chinese(client, staff):
    response = client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
