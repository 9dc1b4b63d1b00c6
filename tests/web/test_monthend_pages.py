"""The month end's pages: the desk, exit reviews, the printable report, the scorecard."""

import io

from openpyxl import load_workbook

from core.dates import local_today
from exits.models import ExitReview
from monthend.models import Publication

TODAY = local_today().isoformat()


def test_the_desk_shows_the_screening_and_the_preflight(client, month_end_year, manager):
    client.force_login(manager)
    page = client.get("/month-end/2025-10/").content.decode()
    assert "逾期筛查名单" in page and "发布前检查" in page
    for name in ("甲项目", "乙项目", "丙项目"):
        assert name in page
    assert "未完成事项 4 项" in page
    assert 'name="confirm_gaps"' in page


def test_publishing_from_the_desk_needs_the_confirmation(client, month_end_year, manager):
    client.force_login(manager)
    refused = client.post("/month-end/2025-10/publish/", {"note": "十月"}, follow=True).content.decode()
    assert "尚有 1 个项目未填报月度进展" in refused
    assert not Publication.objects.exists()
    done = client.post("/month-end/2025-10/publish/", {"confirm_gaps": "on"}, follow=True).content.decode()
    assert "第1版" in done and "带 4 项缺项发布" in done
    ledger = client.get("/ledger/2025-10/").content.decode()
    assert "带 4 项未完成事项发布" in ledger and "乙项目 未填报进展" in ledger
    assert "专项报告（Word）" in ledger


def test_a_clerk_proposes_and_the_manager_decides_on_the_pages(client, month_end_year, staff, manager):
    client.force_login(staff)
    response = client.post(
        f"/projects/{month_end_year['B'].pk}/exit-reviews/new/",
        {
            "proposal": "exit",
            "reason": "投资方撤资",
            "opinion_from": "区经济信息委",
            "opinion_text": "建议退出",
        },
        follow=True,
    )
    review = ExitReview.objects.get()
    assert response.redirect_chain[-1][0] == f"/exit-reviews/{review.pk}/"
    assert "作出决定" not in response.content.decode()  # not the clerk's
    client.force_login(manager)
    refused = client.post(
        f"/exit-reviews/{review.pk}/decide/",
        {"decision": "exit", "date": TODAY, "reason": "退出"},
        follow=True,
    ).content.decode()
    assert "收回土地" in refused and 'value="退出"' not in refused
    review.refresh_from_db()
    assert review.decision == ""
    done = client.post(
        f"/exit-reviews/{review.pk}/decide/",
        {"decision": "exit", "date": TODAY, "reason": "退出", "reclaimed_land_mu": "12.5"},
        follow=True,
    )
    assert "已作出退出审议决定" in done.content.decode(), done.content.decode()[-3000:]
    review.refresh_from_db()
    assert (review.decision, str(review.reclaimed_land_mu)) == ("exit", "12.50")


def test_the_printable_report_says_what_the_docx_says(client, month_end_year, manager):
    client.force_login(manager)
    page = client.get("/ledger/2025-10/report/").content.decode()
    assert "九龙坡区招商引资项目专项报告" in page
    assert "在库项目 4 个，总投资 8.70 亿元" in page
    assert "五、责任单位考核" in page and "<svg" in page
    docx = client.get("/ledger/2025-10/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_the_scorecard_page_and_its_workbook(client, month_end_year, manager, staff):
    client.force_login(manager)
    page = client.get("/scorecard/?year=2025&sort=name").content.decode()
    assert "责任单位考核（2025年）" in page and "完成率与序时进度" in page
    book = load_workbook(io.BytesIO(client.get("/scorecard/export.xlsx?year=2025").content))
    names = [row[1].value for row in book.active.iter_rows(min_row=4)]
    assert set(names) == {"区经济信息委", "区科技局", "九龙坡区"}
    client.force_login(staff)
    mine = client.get("/scorecard/?year=2025").content.decode()
    assert "区经济信息委" in mine and "区科技局" not in mine


def test_the_desk_is_the_whole_districts(client, month_end_year, staff):
    client.force_login(staff)
    assert client.get("/month-end/2025-10/").status_code == 404


def test_a_manager_sets_targets_and_weights_on_the_page(client, unit, other_unit, district, manager, staff):
    from monthend.scorecard import current_weights
    from monthend.targets import targets_of

    client.force_login(manager)
    page = client.get("/scorecard/targets/?year=2026").content.decode()
    assert "九龙坡区2026年目标任务" in page and 'name="jlp-econ-signed_count"' in page
    form = {
        "form": "targets",
        "unit": ["jlp-econ", "jlp-sci"],
        "jlp-econ-signed_count": "4",
        "total-signed_count": "9",
    }
    client.post("/scorecard/targets/?year=2026", form)
    data = targets_of(district, 2026)
    assert (data["units"][0]["signed_count"], data["total"]["signed_count"]) == (4, 9)
    refused = client.post("/scorecard/targets/?year=2026", {**form, "total-signed_count": "10"}, follow=True)
    assert "须填写调整理由" in refused.content.decode()
    client.post("/scorecard/targets/?year=2026", {**form, "total-signed_count": "10", "reason": "追加任务"})
    assert targets_of(district, 2026)["total"]["signed_count"] == 10
    client.post(
        "/scorecard/targets/", {"form": "weights", "weight-signed_count": "30", "weight-overdue_penalty": "2"}
    )
    assert current_weights(district) == {"signed_count": "30.00", "overdue_penalty": "2.00"}
    client.force_login(staff)
    assert 'name="reason"' not in client.get("/scorecard/targets/?year=2026").content.decode()
    assert client.post("/scorecard/targets/?year=2026", form).status_code == 403


def test_a_city_reader_chooses_the_district_of_the_desk_and_the_report(client, month_end_year, city):
    client.force_login(city)
    for url, heading in (("/month-end/2025-10/", "月末工作"), ("/ledger/2025-10/report/", "专项报告")):
        choice = client.get(url)
        page = choice.content.decode()
        assert choice.status_code == 200 and f"{heading}（2025-10）" in page
        assert '?district=jiulongpo">九龙坡区</a>' in page
        assert client.get(f"{url}?district=jiulongpo").status_code == 200
