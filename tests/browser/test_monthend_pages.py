"""The month end in a real browser: the desk (publishing with the gaps confirmed), the
scorecard (sorted, with its chart) and the printable report. Screenshots in test-output/."""

from monthend.models import Publication
from monthend.targets import targets_set
from tests.browser.conftest import follow, login, screenshot


def test_the_manager_publishes_from_the_desk(page, live_server, month_end_year, manager):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/month-end/2025-10/")
    assert page.locator(".screening-table tbody tr").count() == 3
    assert page.get_by_text("未完成事项 4 项").is_visible()
    page.fill("#publish-note", "十月台账")
    page.check("input[name=confirm_gaps]")
    follow(page, ".publish-form button[type=submit]")
    assert page.get_by_text("带 4 项缺项发布").is_visible()
    assert Publication.objects.get().gaps == 4
    screenshot(page, "month-end-desk")


def test_the_scorecard_sorts_and_charts(page, live_server, month_end_year, district, manager):
    targets_set(
        district=district,
        year=2025,
        by=manager,
        units=[
            {"unit": "jlp-econ", "signed_count": 4, "contract_investment": "84000", "started_count": 2},
            {"unit": "jlp-sci", "signed_count": 1, "contract_investment": "5000", "funds_in_place": "1600"},
        ],
        total={"signed_count": 5},
    )
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/scorecard/?year=2025")
    assert page.locator(".scorecard-chart svg rect").count() >= 3
    follow(page, "text=责任单位 >> nth=-1")
    names = page.locator(".scorecard-table tbody tr td:nth-child(2)").all_inner_texts()
    assert names == sorted(names)
    screenshot(page, "scorecard")


def test_the_printable_report(page, live_server, month_end_year, manager):
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/ledger/2025-10/report/")
    assert page.locator(".report-page h2").count() == 6
    assert page.locator(".report-chart svg").count() == 2
    screenshot(page, "report-page")


def test_the_exit_decision_shows_every_error_at_once(page, live_server, unit, industry, manager):
    """An exit decided with no reason, a date before the proposal and no land figure: all three
    refusals beside their fields at once, the required fields marked, nothing written."""
    import datetime as dt

    from exits.models import ExitReview
    from exits.services import exit_review_open
    from projects.lifecycle import Stage
    from tests.factories import advance, make_project

    project = make_project(
        unit=unit, industry=industry, by=manager, started=dt.date(2025, 1, 6), name="久签未落项目"
    )
    advance(project, (Stage.APPROVED, dt.date(2025, 2, 1)), (Stage.SIGNED, dt.date(2025, 3, 10)), by=manager)
    review = exit_review_open(
        project=project, by=manager, proposal="exit", reason="长期未开工", date="2025-07-01"
    )
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/exit-reviews/{review.pk}/")
    form = page.locator("#decide-form")
    assert form.locator("label[for=decide-reason] .req").count() == 1
    assert form.locator("label[for=land] .req").count() == 1
    page.fill("#decide-date", "2025-06-01")
    page.fill("#decide-reason", "")
    follow(page, "#decide-form button[type=submit]")
    errors = dict(
        zip(
            page.locator("#decide-form p.error").evaluate_all("ps => ps.map(p => p.dataset.field)"),
            page.locator("#decide-form p.error").all_inner_texts(),
            strict=True,
        )
    )
    assert set(errors) == {"date", "reason", "reclaimed_land_mu"}
    assert "早于提请日期 2025-07-01" in errors["date"]
    assert errors["reason"] == "请填写决定理由。"
    assert "收回土地" in errors["reclaimed_land_mu"]
    assert page.locator(".alert-error, .messages .error, [role=alert]").first.is_visible()
    assert page.input_value("#decide-date") == "2025-06-01"
    assert page.locator("#decide-form [aria-invalid=true]").count() == 3
    review.refresh_from_db()
    assert review.decision == "" and ExitReview.objects.filter(decision="").count() == 1
    screenshot(page, "exit-decision-all-errors")
