"""The 提示函 pages: the month's list with 「生成本月提示函」 for managers, a unit's letters with
「签收」 for its staff, the printable letter, the home page's pending letters, and a constant
number of queries however many letters there are."""

import datetime as dt

import pytest
from django.urls import reverse

from pipeline.models import Reminder
from pipeline.reminders import last_complete_month, reminder_acknowledge, reminders_issue
from tests import factories
from tests.factories import make_project
from tests.web.conftest import count_queries

D = dt.date
LIST = "/reminders/"


@pytest.fixture
def april(stale, district, manager):
    return reminders_issue(district=district, month="2025-04", by=manager).created[0]


@pytest.fixture
def may(april, district, manager):
    return reminders_issue(district=district, month="2025-05", by=manager).created[0]


def test_the_pages_need_a_login(client, april):
    for url in (LIST, f"/reminders/{april.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_nav_links_to_the_reminders(clerk_client):
    html = clerk_client.get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in html and "提示函" in html


# --- the list ----------------------------------------------------------------------------------


def test_managers_see_the_last_complete_month_with_the_issue_button(manager_client):
    response = manager_client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["month"] == last_complete_month()
    assert "生成本月提示函" in html
    assert f'value="{last_complete_month():%Y-%m}"' in html


def test_a_manager_picks_a_month_and_sees_its_letters(manager_client, april, may):
    response = manager_client.get(LIST, {"month": "2025-05"})
    assert [r.pk for r in response.context["page"]] == [may.pk]
    html = response.content.decode()
    assert "催办函" in html and "区经济信息委" in html and "久谈未定项目" in html
    assert response.context["totals"] == {"total": 1, "urging": 1, "acknowledged": 0, "pending": 1}


def test_clerks_and_city_users_get_no_issue_button(clerk_client, client, city):
    assert "生成本月提示函" not in clerk_client.get(LIST).content.decode()
    client.force_login(city)
    assert "生成本月提示函" not in client.get(LIST).content.decode()


def test_unit_staff_see_every_month_of_their_units_letters_with_a_sign_button(clerk_client, april, may):
    response = clerk_client.get(LIST)
    assert response.context["month"] is None
    assert [r.pk for r in response.context["page"]] == [may.pk, april.pk]
    html = response.content.decode()
    assert html.count(">签收</button>") == 2


def test_staff_of_another_unit_see_none_of_them(client, april, other_unit):
    client.force_login(factories.staff_of(other_unit, username="colleague"))
    response = client.get(LIST)
    assert list(response.context["page"]) == []
    assert "本单位还没有收到提示函" in response.content.decode()


def test_a_bad_month_is_reported_not_a_500(manager_client):
    response = manager_client.get(LIST, {"month": "2025-13"}, follow=True)
    assert response.status_code == 200
    assert "月份格式应为 YYYY-MM" in response.content.decode()


# --- issuing -----------------------------------------------------------------------------------


def test_a_manager_issues_a_month_from_the_page(manager_client, stale):
    response = manager_client.post(reverse("reminders-issue"), {"month": "2025-04"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已生成九龙坡区 2025-04 的提示函 1 份" in html
    assert Reminder.objects.count() == 1
    again = manager_client.post(reverse("reminders-issue"), {"month": "2025-04"}, follow=True)
    assert "此前已全部发出" in again.content.decode()
    assert Reminder.objects.count() == 1


def test_issuing_a_month_not_yet_ended_shows_the_reason(manager_client, stale):
    response = manager_client.post(reverse("reminders-issue"), {"month": "2999-01"}, follow=True)
    assert "尚未结束" in response.content.decode()
    assert not Reminder.objects.exists()


def test_a_clerk_or_city_user_posting_the_issue_form_is_refused(clerk_client, client, city, stale):
    assert clerk_client.post(reverse("reminders-issue"), {"month": "2025-04"}).status_code == 403
    client.force_login(city)
    assert client.post(reverse("reminders-issue"), {"month": "2025-04"}).status_code == 403
    assert not Reminder.objects.exists()


# --- the letter and signing -------------------------------------------------------------------


def test_the_letter_is_formatted_as_an_official_letter(manager_client, may, stale):
    response = manager_client.get(f"/reminders/{may.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="letter-title" class="letter-title">催办函</h1>' in html
    assert "区经济信息委：" in html
    assert "九龙坡区招商投资局" in html
    assert "截至 2025年5月31日" in html
    for text in (stale.code, "久谈未定项目", "在谈", "2025-01-06", "谈而未定", "※"):
        assert text in html
    issued = may.issued_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert f"{issued.year}年{issued.month}月{issued.day}日" in html
    assert "web/reminders.css" in html  # the print stylesheet


def test_a_notice_has_the_notice_title(clerk_client, april):
    html = clerk_client.get(f"/reminders/{april.pk}/").content.decode()
    assert '<h1 id="letter-title" class="letter-title">工作提示函</h1>' in html
    assert ">签收</button>" in html


def test_a_letter_outside_the_users_scope_is_a_404(client, april, other_unit, other_district):
    for user in (
        factories.staff_of(other_unit, username="colleague"),
        factories.manager_of(other_district, username="jj-boss"),
    ):
        client.force_login(user)
        assert client.get(f"/reminders/{april.pk}/").status_code == 404
        assert client.post(f"/reminders/{april.pk}/acknowledge/").status_code == 404


def test_a_clerk_signs_once(clerk_client, april, staff):
    response = clerk_client.post(f"/reminders/{april.pk}/acknowledge/", follow=True)
    assert "已签收区经济信息委 2025-04 的工作提示函" in response.content.decode()
    april.refresh_from_db()
    assert april.acknowledged_by == staff
    again = clerk_client.post(f"/reminders/{april.pk}/acknowledge/", follow=True)
    assert "不能重复签收" in again.content.decode()


def test_a_city_user_cannot_sign(client, city, april):
    client.force_login(city)
    assert client.post(f"/reminders/{april.pk}/acknowledge/").status_code == 403
    april.refresh_from_db()
    assert april.acknowledged_at is None


def test_signing_returns_to_a_safe_next_page_only(clerk_client, april):
    response = clerk_client.post(f"/reminders/{april.pk}/acknowledge/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/reminders/{april.pk}/"


# --- the home page ----------------------------------------------------------------------------


def test_the_home_page_lists_letters_waiting_for_the_clerks_signature(clerk_client, april, may, staff):
    response = clerk_client.get(reverse("home"))
    pending = {item.key: item for item in response.context["items"]}["reminders"]
    assert pending.count == 2 and pending.rows[0].url == reverse("reminder-detail", args=[may.pk])
    html = response.content.decode()
    assert "待签收的提示函" in html and "催办函 · 2025-05" in html
    reminder_acknowledge(reminder=april, by=staff)
    reminder_acknowledge(reminder=Reminder.objects.get(pk=may.pk), by=staff)
    response = clerk_client.get(reverse("home"))
    assert "reminders" not in {item.key for item in response.context["items"]}
    assert "待签收的提示函" not in response.content.decode()


def test_managers_home_page_has_no_pending_letters_section(manager_client, april):
    response = manager_client.get(reverse("home"))
    assert "reminders" not in {item.key for item in response.context["items"]}


# --- query counts -----------------------------------------------------------------------------


def _more_units(district, manager, industry, count):
    for _ in range(count):
        unit = factories.UnitFactory(district=district)
        for day in (6, 8, 10):
            make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, day))


@pytest.mark.parametrize("who", ["manager", "city"])
def test_the_list_takes_the_same_queries_for_one_letter_or_many(
    client, request, who, district, manager, industry, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    _more_units(district, manager, industry, 1)
    reminders_issue(district=district, month="2025-04", by=manager)
    url = f"{LIST}?month=2025-04"
    expected = count_queries(client, url)
    _more_units(district, manager, industry, 8)
    Reminder.objects.all().delete()
    reminders_issue(district=district, month="2025-04", by=manager)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page"]) == 9


def test_the_clerks_list_home_and_letter_take_constant_queries(
    clerk_client, unit, district, manager, industry, django_assert_num_queries
):
    make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, 6))
    [letter] = reminders_issue(district=district, month="2025-04", by=manager).created
    urls = [LIST, reverse("home"), f"/reminders/{letter.pk}/"]
    expected = [count_queries(clerk_client, url) for url in urls]
    for day in range(7, 20):
        make_project(unit=unit, industry=industry, by=manager, started=D(2025, 1, day))
    reminders_issue(district=district, month="2025-04", by=manager)  # extends the letter
    for month in ("2025-05", "2025-06", "2025-07"):
        reminders_issue(district=district, month=month, by=manager)
    letter.refresh_from_db()
    assert letter.projects.count() == 14
    for url, count in zip(urls, expected, strict=True):
        with django_assert_num_queries(count):
            assert clerk_client.get(url).status_code == 200


# --- English --------------------------------------------------------------------------------


def test_no_untranslated_chinese_is_left_on_the_english_reminder_pages(client, db):
    import re

    from django.core.management import call_command

    call_command("compilemessages", ignore_patterns=[".venv"], verbosity=0)
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
    district = factories.DistrictFactory(code="east", name="East District", short_code="EST")
    unit = factories.UnitFactory(code="east-econ", name="Economy Office", district=district)
    industry = factories.IndustryFactory(code="EIT", name="Electronics")
    boss = factories.manager_of(district, username="boss")
    alice = factories.staff_of(unit, username="alice", first_name="Alice")
    make_project(unit=unit, industry=industry, by=boss, started=D(2025, 1, 6), name="Acme Chip Plant")
    reminders_issue(district=district, month="2025-04", by=boss)
    [urging] = reminders_issue(district=district, month="2025-05", by=boss).created
    pages = {
        alice: [reverse("home"), LIST, f"/reminders/{urging.pk}/"],
        boss: [LIST, f"{LIST}?month=2025-05", f"/reminders/{urging.pk}/"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        for url in urls:
            html = client.get(url).content.decode()
            html = html.replace('lang="zh-CN">中文<', "")
            assert cjk.findall(html) == [], url
        # and the messages after acting
        response = client.post(f"/reminders/{urging.pk}/acknowledge/", follow=True)
        html = response.content.decode().replace('lang="zh-CN">中文<', "")
        assert cjk.findall(html) == [], "acknowledge"
    client.force_login(boss)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("reminders-issue"), {"month": "2025-05"}, follow=True)
    html = response.content.decode().replace('lang="zh-CN">中文<', "")
    assert "were all issued before" in html
    assert cjk.findall(html) == [], "issue"
