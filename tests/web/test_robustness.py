"""No page answers hostile input with a server error, and a refused form writes nothing.

Every page URL and form gets wrong types, huge and negative numbers, NUL bytes, 10,000-character
strings, unknown codes, malformed dates and months, bad paging and sorting, and ids of another
district. The rule (STYLE.md): the answer is below 500; a refused form is shown again with the
error beside the field it names, and nothing is written.

Each test walks many inputs and reports every failure at once. Requests run inside a savepoint,
so a database error on PostgreSQL cannot poison the requests after it.
"""

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import reverse

from pipeline.models import MonthlyProgress, PublishedLedger, Review, StageEvent
from pipeline.progress import progress_save
from projects.credit_code import make_credit_code
from projects.lifecycle import Stage
from projects.models import Investor, Project
from supervision.models import Meeting, Task, TaskStep
from supervision.tasks import task_create
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HUGE_INT = "9" * 30
LONG = "x" * 10_000
# Values that are wrong for nearly every parameter.
HOSTILE = [
    "abc",
    "-1",
    "0",
    "1e30",
    "-1e30",
    "NaN",
    "Infinity",
    HUGE_INT,
    "\x00",
    "a\x00b",
    LONG,
    "2025-13",
    "0000-01",
    "9999-12",
    "2025-13-45",
    "0001-01-01",
    "9999-12-31",
    "",
    " ",
    "'; DROP TABLE projects_project; --",
    "２０２５-０１",
    "%",
]
BAD_MONEY = ["-1", "-0.01", "1e30", "NaN", "Infinity", "-Infinity", "abc", HUGE_INT, "1.234", "\x00", LONG]
BAD_DATES = ["2025-13-45", "0000-01-01", "abc", "1e30", "99999-01-01", "\x00", LONG, "2025/01/01x"]
BAD_IDS = ["abc", "-1", HUGE_INT, "1e30", "\x00", LONG]
BAD_TEXT_64 = ["\x00", "a\x00b", "x" * 65, LONG]


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:60] + f"…({len(text)} chars)"


def fetch(client, method, url, data=None, **extra):
    """(response, None) or (None, a description of the server error)."""
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data or {}, **extra)
    except Exception as error:  # noqa: BLE001 - every server error is reported, whatever it is
        return (
            None,
            f"{method.upper()} {url[:120]} {_short(data)}: {type(error).__name__}: {str(error)[:200]}",
        )
    if response.status_code >= 500:
        return None, f"{method.upper()} {url[:120]} {_short(data)}: status {response.status_code}"
    return response, None


def written_state():
    """Everything a page may write, so that a refusal can be shown to have written nothing."""
    return {
        "projects": list(Project.objects.order_by("pk").values_list("pk", "version", "updated_at")),
        "investors": list(Investor.objects.order_by("pk").values_list("pk", "updated_at")),
        "events": list(StageEvent.objects.order_by("pk").values_list("pk", "voided_at")),
        "reviews": Review.objects.count(),
        "progress": list(MonthlyProgress.objects.order_by("pk").values_list("pk", "updated_at")),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "status", "unit_id", "updated_at")),
        "task_steps": TaskStep.objects.count(),
        "meetings": Meeting.objects.count(),
        "published": PublishedLedger.objects.count(),
    }


def form_errors(response) -> dict:
    context = response.context or {}
    form = context.get("form")
    return dict(form.errors) if form is not None else {}


@pytest.fixture
def world(unit, other_unit, foreign_unit, industry, manager, staff, today):
    """A district with projects at several stages, an investor, an open 诉求 and a month of
    progress; and a project of another district whose ids must never be reachable."""
    park = factories.ParkFactory(code="jlp-park", name="西部物流园", district=unit.district)
    investor = factories.InvestorFactory(name="重庆测试投资有限公司")
    start = today - dt.timedelta(days=200)
    negotiating = factories.make_project(
        unit=unit, industry=industry, by=manager, name="在谈项目", started=start, investor=investor
    )
    signed = factories.make_project(unit=unit, industry=industry, by=manager, name="签约项目", started=start)
    factories.advance(
        signed,
        (Stage.APPROVED, start + dt.timedelta(days=20)),
        (Stage.SIGNED, start + dt.timedelta(days=40)),
        by=manager,
    )
    foreign_manager = factories.manager_of(foreign_unit.district, username="foreign-manager")
    foreign = factories.make_project(
        unit=foreign_unit, industry=industry, by=foreign_manager, name="外区项目"
    )
    progress_save(
        project=negotiating,
        by=manager,
        month=today.replace(day=1),
        funds_in_place=1,
        investment_completed=1,
        progress="进展",
        problems="",
    )
    open_request = task_create(
        project=negotiating,
        by=manager,
        source="request",
        category="land",
        content="用地指标",
        unit=unit,
        due_date=today + dt.timedelta(days=30),
    )
    foreign_request = task_create(
        project=foreign,
        by=foreign_manager,
        source="request",
        category="land",
        content="外区诉求",
        unit=foreign_unit,
        due_date=today + dt.timedelta(days=30),
    )
    for project in (negotiating, signed, foreign):
        project.refresh_from_db()
    return {
        "park": park,
        "investor": investor,
        "negotiating": negotiating,
        "signed": signed,
        "foreign": foreign,
        "request": open_request,
        "foreign_request": foreign_request,
        "foreign_manager": foreign_manager,
    }


def walk_query(client, url, params, values=HOSTILE) -> list[str]:
    """GET `url` with each hostile value for each parameter, one at a time."""
    failures = []
    for name in params:
        for value in values:
            _response, failure = fetch(client, "get", url, {name: value})
            if failure:
                failures.append(failure)
    return failures


PROJECT_LIST_PARAMS = [
    "search",
    "stage",
    "district",
    "unit",
    "park",
    "industry",
    "source",
    "investor",
    "is_overdue",
    "is_high_tech",
    "min_investment",
    "max_investment",
    "signed_from",
    "signed_to",
    "started_from",
    "started_to",
    "updated_since",
    "sort",
    "page",
]


# --- pages read with hostile query strings ---------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "staff", "city"])
def test_no_list_page_answers_a_hostile_query_string_with_a_server_error(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    failures = []
    pages = {
        reverse("home"): ["page", "sort"],
        reverse("projects"): PROJECT_LIST_PARAMS,
        reverse("supervision"): ["status", "page", "unit", "source", "colour"],
        reverse("meetings"): ["page"],
        reverse("investors"): ["q", "page"],
        reverse("progress"): ["month", "unit"],
        reverse("dashboard"): ["month"],
    }
    for url, params in pages.items():
        failures += walk_query(client, url, params)
    assert not failures, "\n".join(failures)


def test_paging_and_sorting_out_of_range_fall_back_instead_of_failing(manager_client, world):
    for page in ("-1", "abc", "999999", HUGE_INT, "0", "1e30"):
        response = manager_client.get(reverse("projects"), {"page": page})
        assert response.status_code == 200, page
    response = manager_client.get(reverse("projects"), {"sort": "password"})
    assert response.status_code == 200 and response.context["sort"] == ""


def test_no_export_answers_a_hostile_query_string_with_a_server_error(manager_client, world):
    failures = walk_query(manager_client, reverse("projects-export"), PROJECT_LIST_PARAMS)
    failures += walk_query(
        manager_client,
        reverse("stats-export"),
        ["from", "to", "year", "group_by", "district", "unit", "park", "industry"],
    )
    failures += walk_query(
        manager_client,
        reverse("ledger-export", args=["2025-06"]),
        ["search", "district", "unit", "park", "industry", "stage", "is_overdue"],
    )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", ["manager", "city"])
def test_no_report_page_answers_a_hostile_query_string_with_a_server_error(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    failures = walk_query(
        client,
        reverse("ledger-month", args=["2025-06"]),
        ["search", "district", "unit", "park", "industry", "stage", "is_overdue", "version"],
    )
    failures += walk_query(
        client, reverse("stats"), ["from", "to", "year", "group_by", "district", "unit", "park", "industry"]
    )
    for date_from, date_to in [
        ("0001-01-01", "0001-12-31"),
        ("0001-01-01", "9999-12-31"),
        ("9999-12-31", "9999-12-31"),
        ("2025-02-29", "2025-03-01"),
        ("2025-06-01", "2025-01-01"),
    ]:
        for url in (reverse("stats"), reverse("stats-export")):
            _response, failure = fetch(client, "get", url, {"from": date_from, "to": date_to})
            if failure:
                failures.append(failure)
    for year in ("0", "1900", "9999", "10000", "-1", HUGE_INT):
        for group_by in ("", "month", "industry", "unit", "park", "district", "password"):
            for url in (reverse("stats"), reverse("stats-export")):
                _response, failure = fetch(client, "get", url, {"year": year, "group_by": group_by})
                if failure:
                    failures.append(failure)
    assert not failures, "\n".join(failures)


MONTHS = [
    "2025-13",
    "0000-01",
    "0001-01",
    "1899-12",
    "1900-01",
    "9999-12",
    "2999-01",
    "abc",
    "2025-1",
    "２０２５-０１",
    "\x00",
    "x" * 2000,
    HUGE_INT,
]


@pytest.mark.parametrize("who", ["manager", "city", "staff"])
def test_a_malformed_or_far_month_in_a_ledger_address_is_a_clear_refusal(client, world, who, request):
    client.force_login(request.getfixturevalue(who))
    failures = []
    for month in MONTHS:
        for name in ("ledger-month", "ledger-export"):
            url = reverse(name, args=["PLACEHOLDER"]).replace("PLACEHOLDER", quote(month, safe=""))
            response, failure = fetch(client, "get", url)
            if failure:
                failures.append(failure)
            elif name == "ledger-month" and response.status_code == 200 and month != "1900-01":
                failures.append(f"{url[:80]}: a month that is not a real ledger month was shown as one")
    assert not failures, "\n".join(failures)


def test_detail_pages_of_another_district_or_unknown_ids_are_not_found(manager_client, world):
    foreign = world["foreign"]
    urls = [
        reverse(name, args=[pk])
        for pk in (foreign.pk, 10**18, 2**63 - 1)
        for name in ("project-detail", "project-edit", "milestone-record", "event-void", "request-create")
    ]
    urls += [reverse("task-detail", args=[world["foreign_request"].pk])]
    urls += [reverse("task-detail", args=[2**63 - 1]), reverse("investor-edit", args=[2**63 - 1])]
    urls += ["/projects/99999999999999999999999/", "/investors/99999999999999999999999/edit/"]
    failures = []
    for url in urls:
        for method in ("get", "post"):
            response, failure = fetch(manager_client, method, url, {"name": "x"})
            if failure:
                failures.append(failure)
            elif response.status_code != 404:
                failures.append(f"{method.upper()} {url}: {response.status_code}, expected 404")
    assert not failures, "\n".join(failures)


def test_hostile_query_strings_on_form_pages_do_not_fail(manager_client, world):
    project = world["negotiating"]
    failures = []
    for url, params in {
        reverse("project-create"): ["next"],
        reverse("project-edit", args=[project.pk]): ["next"],
        reverse("milestone-record", args=[project.pk]): ["stage"],
        reverse("event-void", args=[world["signed"].pk]): ["next"],
        reverse("request-create", args=[project.pk]): ["next"],
        reverse("task-detail", args=[world["request"].pk]): ["next"],
        reverse("investor-create"): ["next"],
        reverse("investor-edit", args=[world["investor"].pk]): ["next"],
    }.items():
        failures += walk_query(manager_client, url, params)
    assert not failures, "\n".join(failures)


# --- forms posted with hostile input ----------------------------------------------------------


def post_each(client, url, base, field_values, *, must_refuse=True, error_field=None) -> list[str]:
    """POST `base` with one field replaced at a time. A refusal must re-show the form with the
    error beside the field (or above it) and write nothing."""
    failures = []
    for field, values in field_values.items():
        for value in values:
            data = {**base, field: value}
            before = written_state()
            response, failure = fetch(client, "post", url, data)
            if failure:
                failures.append(failure)
                continue
            accepted = response.status_code in (301, 302)
            if accepted and must_refuse:
                failures.append(f"POST {url} {field}={_short(value)}: accepted, expected a refusal")
            if not accepted:
                if written_state() != before:
                    failures.append(f"POST {url} {field}={_short(value)}: refused but wrote something")
                expected = error_field or field
                errors = form_errors(response)
                if response.status_code == 200 and expected not in errors and "__all__" not in errors:
                    failures.append(
                        f"POST {url} {field}={_short(value)}: no error beside {expected} ({list(errors)})"
                    )
    return failures


def project_base(world, unit, industry):
    return {
        "name": "稳健性测试项目",
        "industry": industry.pk,
        "unit": unit.pk,
        "park": world["park"].pk,
        "investor": world["investor"].pk,
        "source": "exhibition",
        "total_investment": "1000",
        "lead_official": "张三",
        "task_force": "专班",
        "planned_sign_date": "",
        "planned_start_date": "",
        "planned_production_date": "",
        "description": "",
        "confirm_duplicate": "1",
    }


PROJECT_HOSTILE = {
    "name": ["", "\x00", "a\x00b", "x" * 201, LONG],
    "industry": BAD_IDS + [""],
    "unit": BAD_IDS + [""],
    "park": BAD_IDS,
    "investor": BAD_IDS,
    "source": ["password", "\x00", LONG],
    "lead_official": BAD_TEXT_64,
    "task_force": ["\x00", "x" * 201, LONG],
    "total_investment": BAD_MONEY,
    "expected_output": BAD_MONEY,
    "land_area_mu": BAD_MONEY,
    "building_area_m2": BAD_MONEY,
    "planned_sign_date": BAD_DATES,
    "planned_start_date": BAD_DATES,
    "planned_production_date": BAD_DATES,
    "description": ["\x00", "a\x00b"],
}


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_the_project_form_refuses_hostile_input_and_writes_nothing(
    client, world, unit, industry, foreign_unit, who, request
):
    client.force_login(request.getfixturevalue(who))
    base = project_base(world, unit, industry)
    hostile = {**PROJECT_HOSTILE, "negotiation_started_on": BAD_DATES + ["9999-12-31"]}
    hostile["unit"] = [*hostile["unit"], foreign_unit.pk]
    failures = post_each(client, reverse("project-create"), base, hostile)
    assert not failures, "\n".join(failures)


def test_the_project_edit_form_refuses_hostile_input_and_writes_nothing(
    manager_client, world, unit, industry
):
    project = world["negotiating"]
    base = {**project_base(world, unit, industry), "version": project.version}
    hostile = {**PROJECT_HOSTILE, "version": ["abc", "1e30", HUGE_INT, "-1", "\x00"]}
    failures = post_each(manager_client, reverse("project-edit", args=[project.pk]), base, hostile)
    assert not failures, "\n".join(failures)


def test_the_investor_form_refuses_hostile_input_and_writes_nothing(manager_client, world):
    base = {
        "name": "新的投资主体有限公司",
        "credit_code": make_credit_code("91500107MA5U000001"[:17]),
        "origin": "重庆",
        "confirm_duplicate": "1",
    }
    hostile = {
        "name": ["", "\x00", "a\x00b", "x" * 129, LONG],
        "credit_code": ["abc", "\x00", "9" * 18, "x" * 33, LONG, "91500107MA5U00000X"],
        "origin": BAD_TEXT_64,
    }
    failures = post_each(manager_client, reverse("investor-create"), base, hostile)
    edit = reverse("investor-edit", args=[world["investor"].pk])
    failures += post_each(manager_client, edit, base, hostile)
    # Booleans take anything a checkbox can send; none of it may fail.
    for value in ("on", "abc", "\x00", LONG, HUGE_INT):
        _response, failure = fetch(manager_client, "post", edit, {**base, "is_high_tech": value})
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)


def test_the_milestone_form_refuses_hostile_input_and_writes_nothing(manager_client, world, today):
    negotiating, signed = world["negotiating"], world["signed"]
    approve = {
        "stage": Stage.APPROVED,
        "date": today.isoformat(),
        "decision": "approved",
        "industry_opinion": "同意",
        "expert_opinion": "同意",
        "department_opinion": "同意",
        "version": negotiating.version,
    }
    url = reverse("milestone-record", args=[negotiating.pk])
    failures = post_each(
        manager_client,
        url,
        approve,
        {
            "stage": ["password", "\x00", LONG, "", "signed", "at_capacity"],
            "date": BAD_DATES + ["", "9999-12-31", "1900-01-01"],
            "decision": ["maybe", "\x00", LONG],
            "industry_opinion": ["", "\x00"],
            "version": ["abc", "1e30", HUGE_INT, "-1", "\x00", str(negotiating.version - 1)],
        },
    )
    start = {"stage": Stage.STARTED, "date": today.isoformat(), "version": signed.version}
    failures += post_each(
        manager_client,
        reverse("milestone-record", args=[signed.pk]),
        start,
        {"date": BAD_DATES + ["9999-12-31", "1900-01-01"], "note": ["\x00"]},
    )
    terminate = {
        "stage": Stage.TERMINATED,
        "date": today.isoformat(),
        "reason": "other",
        "reclaimed_land_mu": "1",
        "reclaimed_building_m2": "1",
        "version": signed.version,
    }
    failures += post_each(
        manager_client,
        reverse("milestone-record", args=[signed.pk]),
        terminate,
        {
            "reason": ["", "password", "\x00", LONG],
            "reclaimed_land_mu": BAD_MONEY,
            "reclaimed_building_m2": BAD_MONEY,
        },
    )
    assert not failures, "\n".join(failures)


def test_the_signing_form_refuses_hostile_amounts_and_contract_numbers(
    manager_client, manager, unit, industry, today
):
    project = factories.make_project(
        unit=unit, industry=industry, by=manager, name="待签约项目", started=today - dt.timedelta(days=60)
    )
    factories.advance(project, (Stage.APPROVED, today - dt.timedelta(days=30)), by=manager)
    project.refresh_from_db()
    base = {
        "stage": Stage.SIGNED,
        "date": today.isoformat(),
        "contract_no": "HT-1",
        "contract_investment": "100",
        "version": project.version,
    }
    failures = post_each(
        manager_client,
        reverse("milestone-record", args=[project.pk]),
        base,
        {"contract_investment": BAD_MONEY + ["", "0"], "contract_no": ["", "\x00", "x" * 65, LONG]},
    )
    assert not failures, "\n".join(failures)


def test_a_clerk_posting_a_stage_it_may_not_record_is_refused_without_a_write(clerk_client, world, today):
    project = world["signed"]
    url = reverse("milestone-record", args=[project.pk])
    failures = []
    for stage in ("terminated", "approved", "password", "\x00", LONG):
        before = written_state()
        data = {"stage": stage, "date": today.isoformat(), "reason": "other", "version": project.version}
        response, failure = fetch(clerk_client, "post", url, data)
        if failure:
            failures.append(failure)
        elif response.status_code in (301, 302) or written_state() != before:
            failures.append(
                f"clerk stage={_short(stage)}: {response.status_code}, wrote {written_state() != before}"
            )
    assert not failures, "\n".join(failures)


def test_the_void_form_refuses_hostile_input_and_writes_nothing(manager_client, world):
    project = world["signed"]
    url = reverse("event-void", args=[project.pk])
    failures = post_each(
        manager_client,
        url,
        {"reason": "录入错误", "version": project.version},
        {"reason": ["", " ", "\x00", "a\x00b"], "version": ["abc", "1e30", HUGE_INT, "-1", "\x00"]},
    )
    # A negotiating project has nothing to void: a refusal above the form, not a failure.
    negotiating = world["negotiating"]
    failures += post_each(
        manager_client,
        reverse("event-void", args=[negotiating.pk]),
        {"reason": "录入错误", "version": negotiating.version},
        {"reason": ["录入错误"]},
    )
    assert not failures, "\n".join(failures)


def sheet_data(rows, month_total=None, **management):
    data = {
        "form-TOTAL_FORMS": str(month_total if month_total is not None else len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        **management,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_the_progress_sheet_refuses_hostile_input_and_writes_nothing(client, world, staff, today):
    client.force_login(staff)
    negotiating, signed, foreign = world["negotiating"], world["signed"], world["foreign"]
    month = today.replace(day=1).strftime("%Y-%m")
    url = f"{reverse('progress')}?month={month}"

    def row(project, **fields):
        return {
            "project": project.pk,
            "funds_in_place": "5",
            "investment_completed": "5",
            "progress": "新进展",
            "problems": "",
            **fields,
        }

    failures = []
    cases = []
    for field in ("funds_in_place", "investment_completed"):
        cases += [(f"{field}={_short(value)}", [row(negotiating, **{field: value})]) for value in BAD_MONEY]
    cases += [
        (f"progress={_short(value)}", [row(negotiating, progress=value)]) for value in ("\x00", "a\x00b")
    ]
    cases += [(f"project={_short(value)}", [{**row(negotiating), "project": value}]) for value in BAD_IDS]
    cases += [
        ("another district's project", [row(foreign)]),
        ("one good row and one bad row", [row(signed), row(negotiating, funds_in_place="-5")]),
    ]
    for label, rows in cases:
        before = written_state()
        response, failure = fetch(client, "post", url, sheet_data(rows))
        if failure:
            failures.append(f"{label}: {failure}")
        elif response.status_code in (301, 302):
            failures.append(f"{label}: accepted")
        elif written_state() != before:
            failures.append(f"{label}: refused but wrote something")
    # The management form itself tampered with.
    for total in ("abc", "-1", "1e30", HUGE_INT, "100000", "\x00", ""):
        data = sheet_data([row(negotiating)], **{"form-TOTAL_FORMS": total})
        before = written_state()
        response, failure = fetch(client, "post", url, data)
        if failure:
            failures.append(f"TOTAL_FORMS={_short(total)}: {failure}")
        elif response.status_code not in (301, 302) and written_state() != before:
            failures.append(f"TOTAL_FORMS={_short(total)}: refused but wrote something")
    for month_value in MONTHS:
        _response, failure = fetch(
            client,
            "post",
            f"{reverse('progress')}?month={quote(month_value)}",
            sheet_data([row(negotiating)]),
        )
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)


def test_the_request_forms_refuse_hostile_input_and_write_nothing(manager_client, world, foreign_unit, today):
    project = world["negotiating"]
    base = {
        "category": "land",
        "content": "需要协调用地",
        "unit": project.unit_id,
        "due_date": (today + dt.timedelta(days=10)).isoformat(),
    }
    failures = post_each(
        manager_client,
        reverse("request-create", args=[project.pk]),
        base,
        {
            "category": ["password", "\x00", LONG, ""],
            "content": ["", "\x00", "a\x00b"],
            "unit": BAD_IDS + [foreign_unit.pk, ""],
            "due_date": BAD_DATES + [""],
        },
    )
    failures += post_each(
        manager_client,
        reverse("meeting-create"),
        {"date": today.isoformat(), "kind": "weekly", "title": "调度会", "chair": "王",
         "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0", "tasks-0-content": "x",
         "tasks-0-unit": project.unit_id, "tasks-0-due_date": (today + dt.timedelta(days=3)).isoformat()},
        {"date": BAD_DATES + ["9999-12-31"], "kind": ["\x00", LONG], "title": ["", "\x00", LONG]},
    )  # fmt: skip
    assert not failures, "\n".join(failures)


def test_publishing_a_ledger_refuses_hostile_months_without_a_write(manager_client, world):
    failures = []
    for month in [month for month in MONTHS if month != "1900-01"]:  # 1900-01 may be published
        url = reverse("ledger-publish", args=["PLACEHOLDER"]).replace("PLACEHOLDER", quote(month, safe=""))
        before = written_state()
        _response, failure = fetch(manager_client, "post", url, {"note": "发布"})
        if failure:
            failures.append(failure)
        elif written_state() != before:
            failures.append(f"POST {url[:80]}: a hostile month was published")
    for note in ("\x00", LONG * 3):
        url = reverse("ledger-publish", args=["2025-06"])
        _response, failure = fetch(manager_client, "post", url, {"note": note})
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)


def test_the_language_switch_ignores_hostile_input(manager_client, world):
    failures = []
    for language in ("en", "zh-hans", "xx", "\x00", LONG, ""):
        for target in (
            "/projects/",
            "https://evil.example/",
            "//evil.example/",
            "\x00",
            LONG,
            "javascript:alert(1)",
        ):
            response, failure = fetch(
                manager_client, "post", reverse("set_language"), {"language": language, "next": target}
            )
            if failure:
                failures.append(failure)
            elif response.status_code in (301, 302) and "evil" in response.get("Location", ""):
                failures.append(f"set_language next={target}: redirected off site")
    assert not failures, "\n".join(failures)


def test_a_read_only_user_posting_any_form_is_refused_without_a_write(client, world, city, unit, industry):
    client.force_login(city)
    project = world["negotiating"]
    posts = {
        reverse("project-create"): project_base(world, unit, industry),
        reverse("project-edit", args=[project.pk]): project_base(world, unit, industry),
        reverse("milestone-record", args=[project.pk]): {"stage": "approved", "date": "2025-01-01"},
        reverse("event-void", args=[world["signed"].pk]): {"reason": "x"},
        reverse("request-create", args=[project.pk]): {"content": "x"},
        reverse("task-report", args=[world["request"].pk]): {"text": "x"},
        reverse("task-verify", args=[world["request"].pk]): {"note": "x"},
        reverse("meeting-create"): {"title": "x"},
        reverse("task-force-edit", args=[project.pk]): {"leader": "x"},
        reverse("investor-create"): {"name": "x"},
        reverse("investor-edit", args=[world["investor"].pk]): {"name": "x"},
        reverse("progress"): sheet_data([{"project": project.pk, "funds_in_place": "1"}]),
        reverse("ledger-publish", args=["2025-06"]): {"note": "x"},
    }
    failures = []
    for url, data in posts.items():
        before = written_state()
        response, failure = fetch(client, "post", url, data)
        if failure:
            failures.append(failure)
        elif written_state() != before:
            failures.append(f"POST {url}: a read-only user wrote something")
        elif response.status_code == 200:
            failures.append(f"POST {url}: 200 to a read-only user")
    assert not failures, "\n".join(failures)


# --- the admin ----------------------------------------------------------------------------------


ADMIN_HOSTILE = ["\x00", "a\x00b", "abc", "-1", HUGE_INT, "9999", "0"]


def test_no_admin_list_answers_a_hostile_filter_with_a_server_error(client, world, district):
    """The admin runs any lookup on a list_filter field (?stage__gte=…) only while drawing the
    page; a NUL byte there, or a date drill-down past year 9998, was a server error."""
    from django.contrib import admin

    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    failures = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        names = ["q", "o", "p"]
        for item in model_admin.list_filter:
            name = item[0] if isinstance(item, tuple) else item
            if isinstance(name, str):
                names += [name, f"{name}__exact", f"{name}__gte", f"{name}__isnull"]
            else:
                names.append(name.parameter_name)
        if model_admin.date_hierarchy:
            names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        failures += walk_query(client, url, names, ADMIN_HOSTILE)
    assert not failures, "\n".join(failures)


def test_the_admin_refuses_a_nul_byte_in_its_query_string_with_a_400(client, world):
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    response = client.get(reverse("admin:accounts_user_changelist"), {"role__gte": "\x00"})
    assert response.status_code == 400
    response = client.get(reverse("admin:pipeline_stageevent_changelist"), {"date__year": "9999"})
    assert response.status_code == 400
    response = client.get(reverse("admin:pipeline_stageevent_changelist"), {"date__year": "2025"})
    assert response.status_code == 200


def test_a_nul_byte_on_our_own_pages_is_still_shown_beside_its_field(manager_client, world):
    """The admin's guard does not reach the pages, which name the field themselves."""
    response = manager_client.get(reverse("projects"), {"search": "a\x00b"})
    assert response.status_code == 200
    assert "search" in response.context["filter"].errors
