"""`loaddata reference` and `load_demo`: they load, they are idempotent, and the demo's
histories are ones the rules accept (built through the services, derived fields consistent)."""

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Min

from accounts.models import Role, User
from core.dates import add_months, local_today, month_start
from demo.details import EXTRA_PROJECTS
from demo.generated import generated
from demo.specs import DEMO_PASSWORD, USERS
from pipeline.models import MonthlyProgress, Reminder, Review, StageEvent
from pipeline.transitions import derive_state
from projects.credit_code import validate_credit_code
from projects.lifecycle import DATE_FIELDS, Stage
from projects.models import District, Industry, Investor, Park, Project, Source, Unit
from projects.overdue import is_overdue
from supervision.models import Letter, Meeting, Task

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"
MODELS = (
    District,
    Unit,
    Park,
    Industry,
    Investor,
    Project,
    StageEvent,
    Review,
    MonthlyProgress,
    Task,
    Meeting,
    Letter,
    Reminder,
    User,
    Group,
)


def rows(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, verbosity=1)
    return out.getvalue()


@pytest.fixture
def reference(db):
    call_command("loaddata", "reference", verbosity=0)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The reference and the demo, built once for this module's demo tests (committed), and
    flushed afterwards so other modules start from an empty database."""
    with django_db_blocker.unblock():
        call_command("loaddata", "reference", verbosity=0)
        output = run("load_demo")
    yield output
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_data, db):
    """Each test sees the demo inside its own transaction, rolled back afterwards."""
    return demo_data


# --- reference --------------------------------------------------------------------------------


def test_reference_loads_every_row_of_the_reference_csvs(reference):
    assert {(d.code, d.name) for d in District.objects.all()} == {
        (r["code"], r["name"]) for r in rows("districts.csv")
    }
    assert {(u.code, u.name, u.kind, u.district.code) for u in Unit.objects.select_related("district")} == {
        (r["code"], r["name"], r["kind"], r["district"]) for r in rows("units.csv")
    }
    assert {(p.code, p.name, p.district.code) for p in Park.objects.select_related("district")} == {
        (r["code"], r["name"], r["district"]) for r in rows("parks.csv")
    }
    assert {
        (i.code, i.name, i.parent.code if i.parent else "") for i in Industry.objects.select_related("parent")
    } == {(r["code"], r["name"], r["parent"]) for r in rows("industries.csv")}
    assert (
        District.objects.values_list("short_code", flat=True).distinct().count() == District.objects.count()
    )


def test_loading_the_reference_twice_changes_nothing(reference):
    before = counts()
    call_command("loaddata", "reference", verbosity=0)
    assert counts() == before


def test_the_industry_tree_includes_descendants(reference):
    future = Industry.objects.get(code="ADV-FUT")
    codes = set(
        Industry.objects.filter(pk__in=Industry.objects.subtree_ids(future)).values_list("code", flat=True)
    )
    assert {"ADV-FUT", "ADV-FUT-AIR", "ADV-FUT-MED"} <= codes
    assert "ADV-EIT" not in codes


# --- load_demo ----------------------------------------------------------------------------------


def test_load_demo_needs_the_reference_data(db):
    with pytest.raises(CommandError) as refused:
        run("load_demo")
    assert "loaddata reference" in str(refused.value)
    assert not Project.objects.exists() and not User.objects.exists()


def test_load_demo_names_the_missing_reference_rows_and_writes_nothing(reference):
    Park.objects.all().delete()
    with pytest.raises(CommandError) as refused:
        run("load_demo")
    assert "园区" in str(refused.value) and "loaddata reference" in str(refused.value)
    assert not Project.objects.exists() and not User.objects.exists()


@pytest.mark.parametrize("password", ["", "   ", "123", "password"])
def test_load_demo_refuses_an_empty_or_weak_password(reference, password):
    with pytest.raises(CommandError) as refused:
        run("load_demo", "--password", password)
    assert "--password" in str(refused.value)
    assert not User.objects.exists()


def test_load_demo_writes_nothing_when_a_service_refuses_half_way(reference):
    """No active manager to record the approvals: the users made before it are not kept."""
    district = District.objects.get(code="jiulongpo")
    User.objects.create(
        username="jlp-manager", role=Role.DISTRICT_MANAGER, district=district, is_active=False
    )
    User.objects.create(username="admin", role=Role.SYSTEM, is_superuser=True, is_active=False)
    with pytest.raises(CommandError) as refused:
        run("load_demo")
    assert "未写入任何数据" in str(refused.value)
    assert User.objects.count() == 2
    assert not Project.objects.exists() and not Investor.objects.exists()


def test_load_demo_on_a_database_without_tables_says_to_migrate(reference, monkeypatch):
    from django.db import OperationalError

    from demo.builder import DemoBuilder

    def no_tables(self):
        raise OperationalError("no such table: projects_district")

    monkeypatch.setattr(DemoBuilder, "build_all", no_tables)
    with pytest.raises(CommandError) as refused:
        run("load_demo")
    assert "migrate" in str(refused.value)


def test_load_demo_builds_every_csv_project_with_its_published_facts(demo):
    labels = {str(label): value for value, label in Source.choices}
    for row in rows("demo_projects.csv"):
        project = Project.objects.select_related("district", "unit", "industry", "park", "investor").get(
            district__code=row["district"], name=row["name"]
        )
        assert project.stage == row["stage"], row["name"]
        assert (project.unit.code, project.industry.code) == (row["unit"], row["industry"])
        if row["park"]:
            assert project.park.code == row["park"]
        if row["investor"]:
            assert project.investor.name == row["investor"]
        numbers = {
            "total_investment_wan": "total_investment",
            "expected_output_wan": "expected_output",
            "land_area_mu": "land_area_mu",
        }
        for column, field in numbers.items():
            if row[column]:
                assert getattr(project, field) == Decimal(row[column]), (row["name"], column)
        for column in ("negotiation_started_on", "approved_on", "signed_on", "started_on", "producing_on"):
            if row[column]:
                assert getattr(project, column) == dt.date.fromisoformat(row[column]), (row["name"], column)
        if row["source"]:
            assert project.source == labels[row["source"]]
    generated_count = len(generated(local_today())[0])
    assert Project.objects.count() == len(rows("demo_projects.csv")) + len(EXTRA_PROJECTS) + generated_count


def test_every_demo_history_is_one_the_rules_accept(demo):
    today = local_today()
    projects = Project.objects.prefetch_related("events", "reviews").select_related("investor")
    for project in projects:
        events = sorted(project.events.all(), key=lambda e: (e.date, e.id))
        state = derive_state(events)
        assert {name: getattr(project, name) for name in state} == state, project.name
        standing = [e for e in events if e.voided_at is None]
        assert standing[0].stage == Stage.NEGOTIATING
        for before, after in zip(standing, standing[1:], strict=False):
            assert after.from_stage == before.stage, project.name
            assert before.date <= after.date <= today, project.name
        for event in standing:
            if event.stage == Stage.APPROVED:
                assert event.review.decision == Review.Decision.APPROVED
            if event.stage == Stage.SIGNED:
                assert event.contract_no and event.contract_investment > 0
        assert (
            project.planned_sign_date is None
            or project.planned_start_date is None
            or (project.planned_sign_date <= project.planned_start_date)
        )
        assert project.investor is not None, project.name
        assert project.total_investment > 0, project.name
        if project.investor.credit_code:
            validate_credit_code(project.investor.credit_code)
        assert project.version == 1 + sum(1 for e in events if e.stage != Stage.NEGOTIATING) + sum(
            1 for e in events if e.voided_at
        ) + sum(1 for r in project.reviews.all() if r.decision == Review.Decision.REJECTED)
    assert all(i.credit_code for i in Investor.objects.all())


def test_the_demo_shows_every_stage_a_void_a_rejection_and_overdue_projects(demo):
    stages = set(Project.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert StageEvent.objects.filter(voided_at__isnull=False).exists()
    rejected = Review.objects.filter(decision=Review.Decision.REJECTED)
    assert rejected.exists() and {r.project.stage for r in rejected} == {Stage.NEGOTIATING}
    stale = [p for p in Project.objects.all() if is_overdue(p) and p.stage != Stage.STARTED]
    assert len(stale) >= 2, "谈而未定 / 定而未落"
    assert any(is_overdue(p) for p in Project.objects.filter(stage=Stage.STARTED))
    assert any(not is_overdue(p) for p in Project.objects.filter(stage=Stage.STARTED))


def test_signed_projects_have_progress_for_every_month_since_last_january(demo):
    """Every month up to the month before last; last month, being closed, by most projects."""
    last = add_months(month_start(local_today()), -1)
    before = add_months(last, -1)
    since = dt.date(local_today().year - 1, 1, 1)
    filed = {
        row["project"]: (row["n"], row["first"])
        for row in MonthlyProgress.objects.filter(month__lte=before)
        .values("project")
        .annotate(n=Count("id"), first=Min("month"))
    }
    live = Project.objects.filter(
        stage__in=[Stage.SIGNED, Stage.STARTED, Stage.PRODUCING], signed_on__lte=before
    )
    for project in live:
        first = max(since, month_start(project.signed_on))
        expected = (before.year - first.year) * 12 + before.month - first.month + 1
        assert filed.get(project.pk) == (expected, first), project.name
    owing = Project.objects.filter(stage__in=[Stage.SIGNED, Stage.STARTED, Stage.PRODUCING]).count()
    filed_last = MonthlyProgress.objects.filter(month=last).count()
    assert owing * 0.5 < filed_last < owing  # some still owe it
    assert not MonthlyProgress.objects.filter(month__gt=last).exists()
    assert not MonthlyProgress.objects.filter(funds_in_place__lt=0).exists()


def test_the_demo_has_open_resolved_and_past_due_requests(demo):
    """诉求 are tasks with source `request`."""
    today = local_today()
    requests = Task.objects.filter(source="request")
    assert requests.filter(status="closed").exists()
    assert requests.filter(status="open", due_date__gte=today).exists()
    assert requests.filter(status="open", due_date__lt=today).exists()
    for request in requests.select_related("project", "unit"):
        assert request.unit.district_id == request.project.district_id


def test_the_demo_has_a_month_of_supervision(demo):
    """Weekly meetings handing out tasks: some closed (one late), some reported, some overdue,
    some not yet due; 专班 with a late step; numbered letters, some replied."""
    from supervision.selectors import late_steps, with_flags

    today = local_today()
    tasks = with_flags(Task.objects.filter(source="meeting"))
    assert Meeting.objects.filter(kind="weekly").count() >= 2
    assert tasks.filter(status="closed", closed_on__lte=F("due_date")).exists()
    assert tasks.filter(status="closed", closed_on__gt=F("due_date")).exists()
    assert tasks.filter(status="reported").exists()
    assert tasks.filter(overdue=True, status="open").exists()
    assert tasks.filter(due_date__gt=today).exists()
    assert late_steps(User.objects.get(username="jlp-manager")).exists()
    assert Letter.objects.filter(replied_on__isnull=False).exists()
    numbers = sorted(Letter.objects.filter(district__code="jiulongpo").values_list("year", "number"))
    assert [n for _, n in numbers] == list(range(1, len(numbers) + 1))


def test_the_demo_users_cover_every_role_and_are_printed(demo):
    for spec in USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.role == spec.role
        assert user.read_only == spec.read_only
        assert spec.username in demo
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="jlp-clerk").unit.code == "jlp-econ"
    assert User.objects.get(username="jj-manager").district.code == "jiangjin"
    reader = User.objects.get(username="api-reader")
    assert reader.role == Role.SYSTEM and reader.read_only
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert DEMO_PASSWORD in demo and "仅用于演示" in demo


def test_the_demo_has_the_last_two_months_reminders_some_signed_some_urging(demo):
    from pipeline.reminders import last_complete_month

    latest = last_complete_month()
    months = set(Reminder.objects.values_list("month", flat=True))
    assert months == {add_months(latest, -1), latest}
    earlier = Reminder.objects.filter(month=add_months(latest, -1))
    assert earlier.filter(acknowledged_at__isnull=False).exists()
    assert not Reminder.objects.filter(month=latest, acknowledged_at__isnull=False).exists()
    assert Reminder.objects.filter(month=latest, kind=Reminder.Kind.URGING).exists()


def test_running_load_demo_twice_changes_nothing(demo):
    from exits.models import ExitReview

    reviews = ExitReview.objects.count()
    before = counts()
    versions = dict(Project.objects.values_list("pk", "updated_at"))
    output = run("load_demo")
    assert counts() == before and ExitReview.objects.count() == reviews
    assert dict(Project.objects.values_list("pk", "updated_at")) == versions
    assert "跳过" in output
    assert "新建项目 0 个" in output


def test_load_demo_fills_in_only_what_is_missing(demo):
    User.objects.get(username="city").delete()
    before = counts()
    output = run("load_demo")
    assert User.objects.filter(username="city").exists()
    assert counts() == {**before, "User": before["User"] + 1}
    assert "新建账号 1 个" in output


def test_the_demo_clerks_and_city_user_are_kept_out_of_the_admin(demo, client):
    # The system account signs in with its token only (accounts.roles.can_sign_in_with_password).
    assert not client.login(username="api-reader", password=DEMO_PASSWORD)
    for username in ("jlp-clerk", "city"):
        assert User.objects.get(username=username).is_staff is False, username
        assert client.login(username=username, password=DEMO_PASSWORD)
        response = client.get("/admin/projects/project/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), username


def test_a_demo_manager_reads_only_their_district_in_the_admin(demo, client):
    assert client.login(username="jlp-manager", password=DEMO_PASSWORD)
    response = client.get("/admin/projects/project/")
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list.values_list("district__code", flat=True))
    assert shown == {"jiulongpo"}


def test_demo_dates_are_set_not_typed(demo):
    """Every stage date on a project is the date of its standing event."""
    for project in Project.objects.prefetch_related("events"):
        standing = {e.stage: e.date for e in project.events.all() if e.voided_at is None}
        for stage, field in DATE_FIELDS.items():
            assert getattr(project, field) == standing.get(stage), (project.name, field)


def test_the_demos_future_dates_stay_ahead_of_the_calendar():
    """Loaded a year on, the demo still has projects on schedule and requests not yet due."""
    from demo.builder import DemoBuilder
    from demo.details import DETAILS
    from demo.specs import WRITTEN_ON

    later = WRITTEN_ON + dt.timedelta(days=400)
    builder = DemoBuilder(today=later)
    assert builder.ahead("2026-12-31") == later + dt.timedelta(days=30)
    assert builder.ahead("2025-06-30") == dt.date(2025, 6, 30)  # the past stays where it was
    assert builder.ahead(None) is None
    assert DemoBuilder(today=WRITTEN_ON - dt.timedelta(days=3)).ahead("2026-12-31") == dt.date(2026, 12, 31)
    on_schedule = [
        spec["planned"][2] for spec in DETAILS.values() if spec.get("planned") and spec["planned"][2]
    ]
    assert any(builder.ahead(value) > later for value in on_schedule)
    open_requests = [r for spec in DETAILS.values() for r in spec.get("requests", ()) if not r.resolved_on]
    assert any(builder.ahead(r.due_date) > later for r in open_requests)
    assert any(dt.date.fromisoformat(r.due_date) < WRITTEN_ON for r in open_requests), "one past due"


def test_the_demo_walks_a_month_end(demo):
    from exits.models import ExitReview
    from monthend.models import Publication, TargetSheet
    from pipeline.reminders import last_complete_month

    # every 终止 went through a review; a kept project and a review under way
    assert (
        ExitReview.objects.filter(decision="exit").count()
        == Project.objects.filter(stage=Stage.TERMINATED).count()
    )
    assert ExitReview.objects.filter(decision="keep").exists()
    assert ExitReview.objects.filter(decision="").exists()
    assert all(review.opinions.exists() for review in ExitReview.objects.all())
    # the month before last published in each district, its gaps kept, its report built; last
    # month is being closed (not published)
    publications = Publication.objects.filter(ledger__month=add_months(last_complete_month(), -1))
    assert not Publication.objects.filter(ledger__month=last_complete_month()).exists()
    assert publications.count() == District.objects.filter(projects__isnull=False).distinct().count()
    assert all(p.report and p.report_docx for p in publications)
    assert TargetSheet.objects.filter(year=local_today().year).count() == publications.count()


def test_the_demo_is_a_districts_years(demo):
    """Several hundred projects over three districts, signings in each of the last three years
    (九龙坡区 the largest), funds in place up to last month."""
    from pipeline.stats import statistics

    assert Project.objects.count() >= 300
    today = local_today()
    last = add_months(month_start(today), -1)
    by_year = {}
    for year in (today.year - 2, today.year - 1):
        result = statistics(dt.date(year, 1, 1), dt.date(year, 12, 31), group_by="district")
        by_year[year] = {entry["group"]: entry["figures"]["signed_count"] for entry in result["results"]}
        assert set(by_year[year]) == {"jiulongpo", "jiangjin", "shapingba"}
        assert by_year[year]["jiulongpo"] >= 40 > by_year[year]["shapingba"]
    assert MonthlyProgress.objects.filter(month=last).count() > 100
    this_year = statistics(dt.date(today.year, 1, 1), today)["figures"]
    assert this_year["signed_count"] > 30 and this_year["funds_in_place"] > 0


def test_the_clerks_unit_holds_every_stage_and_kind_of_record(demo):
    from exits.models import ExitReview
    from supervision.models import Task

    unit = Unit.objects.get(code="jlp-econ")
    projects = Project.objects.filter(unit=unit)
    assert set(projects.values_list("stage", flat=True)) == set(Stage.values)
    # a signed project the clerk can record the groundbreaking of, not yet overdue
    assert any(not is_overdue(p) for p in projects.filter(stage=Stage.SIGNED))
    assert any(is_overdue(p) for p in projects.filter(stage=Stage.SIGNED)), "定而未落"
    assert any(is_overdue(p) for p in projects.filter(stage=Stage.STARTED)), "past planned production"
    assert StageEvent.objects.filter(project__unit=unit, voided_at__isnull=False).exists()
    assert MonthlyProgress.objects.filter(project__unit=unit).exists()
    requests = Task.objects.filter(project__unit=unit, source=Task.Source.REQUEST)
    assert requests.filter(status=Task.Status.CLOSED).exists()
    assert requests.filter(status=Task.Status.OPEN, due_date__lt=local_today()).exists()
    assert ExitReview.objects.filter(project__unit=unit, decision="exit").exists()
    assert ExitReview.objects.filter(project__unit=unit, decision="", origin="unit").exists(), "to decide"
    assert Reminder.objects.filter(unit=unit).exists()


def test_the_demo_is_chinese_throughout(demo):
    """No English sentence on a Chinese page: descriptions, notes, progress and 诉求 (a project's
    name is its own: "Micro LED" stays)."""
    import re

    from supervision.models import Task

    english = re.compile(r"[A-Za-z]{3,} [A-Za-z]{3,}")
    texts = [
        *Project.objects.values_list("description", "lead_official", "task_force"),
        *StageEvent.objects.values_list("note", flat=False),
        *MonthlyProgress.objects.values_list("progress", "problems"),
        *Task.objects.values_list("content", flat=False),
        *Investor.objects.values_list("name", "origin"),
    ]
    found = [text for row in texts for text in row if text and english.search(text)]
    assert found == []


def test_the_generated_projects_are_the_same_for_the_same_day():
    today = dt.date(2026, 12, 3)
    first, _investors = generated(today)
    again, _investors = generated(today)
    assert [(p.name, p.dates) for p in first] == [(p.name, p.dates) for p in again]
    assert len({(p.district, p.name) for p in first}) == len(first)
    for spec in first:
        dates = list(spec.dates.values())
        assert dates == sorted(dates) and dates[-1] <= dt.date(2026, 11, 30), spec.name
