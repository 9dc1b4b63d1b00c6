"""Fill a PostgreSQL database with a large, consistent data set for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.seed --projects 100000 --reset

What it writes (defaults for --projects 100000): ~20,000 investors with valid credit codes,
100,000 projects spread over the three reference districts and their units, parks and
industries, ~1,000,000 stage events (about ten per project) with a review row for every
`approved` event, and 36 months of monthly progress (ending last month) for every project
that reached `signed`.

Why not the services: project_create and milestone_record lock the project row, issue the
code from a locked sequence row, run full_clean and re-derive the project from all its events
on every call — some fifteen queries per event, hours for a million events on this machine.
The seeder instead simulates each project's history in Python under the same rules (the
transition table of projects.lifecycle, dates never in the future and never before the previous
standing event, a wrong entry corrected by voiding it and recording again) and writes the
rows with PostgreSQL COPY. The derived fields are computed by pipeline.transitions.derive_state
itself, on the simulated events, so they are what the service would have written; `--verify`
reads the histories back from the database and checks them against derive_state again.

A project's lifecycle has at most six standing events, so reaching the issue's ~10 events per
project means about half of all events are voided corrections (geometric count per project:
many have none, a few have many). That is heavier voiding than a real bureau would see, which
makes the "voided events never count" paths of the ledger and the statistics work harder.
"""

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Count

from accounts.models import Role, User
from core.dates import add_months, local_today, month_start
from pipeline.models import ExitReason, MonthlyProgress, Review, StageEvent
from pipeline.transitions import derive_state
from projects.credit_code import ALPHABET, make_credit_code, validate_credit_code
from projects.lifecycle import DATE_FIELDS, NEXT_STAGE, TRANSITIONS, Stage, can_transition
from projects.models import (
    PROJECT_DERIVED,
    District,
    Industry,
    Investor,
    Park,
    Project,
    ProjectCodeSequence,
    Source,
    Unit,
)

TZ = ZoneInfo("Asia/Shanghai")
HISTORY_START = dt.date(2016, 1, 1)
PROGRESS_MONTHS = 36
CHUNK = 2000
BENCH_SYSTEM_USER = "bench-system"

# Days spent in a stage before the next forward step: (minimum, mean of the exponential tail).
STAGE_DAYS = {
    Stage.NEGOTIATING: (15, 100),
    Stage.APPROVED: (7, 60),
    Stage.SIGNED: (14, 130),
    Stage.STARTED: (90, 300),
    Stage.PRODUCING: (60, 300),
}
# Chance that a project leaves the pool (exit review) instead of taking the next step.
TERMINATION_CHANCE = {
    Stage.NEGOTIATING: 0.08,
    Stage.APPROVED: 0.04,
    Stage.SIGNED: 0.06,
    Stage.STARTED: 0.03,
    Stage.PRODUCING: 0.03,
}
DISTRICT_WEIGHTS = {"jiulongpo": 0.5, "jiangjin": 0.25, "shapingba": 0.25}
AREA_CODES = {"jiulongpo": "500107", "jiangjin": "500116", "shapingba": "500106"}
ORIGINS = ["重庆市", "北京市", "上海市", "广东省", "浙江省", "江苏省", "四川省", "香港", "德国", "日本"]
NAME_WORDS = ["智造", "新材", "科技", "电子", "装备", "能源", "生物", "物流", "数字", "精密", "汽车", "食品"]
PRODUCTS = ["生产基地", "研发中心", "产业园", "总部", "智能工厂", "供应链中心", "扩能技改"]

INVESTOR_COLUMNS = [
    "id",
    "name",
    "credit_code",
    "origin",
    "is_high_tech",
    "is_foreign",
    "is_listed",
    "created_at",
    "updated_at",
]
# Every column of the project table, as the model declares it (rows are built as dicts).
PROJECT_COLUMNS = [field.attname for field in Project._meta.concrete_fields]
EVENT_COLUMNS = [
    "id",
    "project_id",
    "stage",
    "from_stage",
    "date",
    "note",
    "recorded_by_id",
    "recorded_at",
    "contract_no",
    "contract_investment",
    "actual_output",
    "reason",
    "reclaimed_land_mu",
    "reclaimed_building_m2",
    "voided_at",
    "voided_by_id",
    "void_reason",
    "updated_at",
]
REVIEW_COLUMNS = [
    "id",
    "project_id",
    "date",
    "industry_opinion",
    "expert_opinion",
    "department_opinion",
    "decision",
    "note",
    "event_id",
    "recorded_by_id",
    "recorded_at",
    "updated_at",
]
PROGRESS_COLUMNS = [
    "id",
    "project_id",
    "month",
    "funds_in_place",
    "investment_completed",
    "progress",
    "problems",
    "updated_by_id",
    "created_at",
    "updated_at",
]


def money(rng: random.Random, low: float, high: float) -> Decimal:
    """A random amount in 万元 with exactly two decimals (log-uniform between low and high)."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return Decimal(int(value * 100)).scaleb(-2)


def at(day: dt.date, minutes: int) -> dt.datetime:
    """A recording time on `day` (local), `minutes` after 09:00: keeps a project's writes ordered."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=TZ) + dt.timedelta(minutes=minutes)


def random_date(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max((high - low).days, 0)))


def geometric(rng: random.Random, mean: float) -> int:
    """Number of failures before a success, with the given mean (0 when mean <= 0)."""
    if mean <= 0:
        return 0
    p = 1 / (1 + mean)
    return int(math.log(1 - rng.random()) / math.log(1 - p))


class Reference:
    """The reference rows the projects hang on, loaded once."""

    def __init__(self):
        self.districts = list(District.objects.order_by("code"))
        if {d.code for d in self.districts} != set(DISTRICT_WEIGHTS):
            sys.exit("Reference data missing: run `manage.py loaddata reference` first.")
        self.units = defaultdict(list)
        for unit in Unit.objects.all():
            self.units[unit.district_id].append(unit.pk)
        self.parks = defaultdict(list)
        for park in Park.objects.all():
            self.parks[park.district_id].append(park.pk)
        industries = list(Industry.objects.all())
        # Most projects sit on a cluster (a child node); a few only on a top-level direction.
        self.industries = [i.pk for i in industries]
        self.industry_weights = [
            1 if i.parent_id is None else (6 if i.code.startswith("ADV") else 3) for i in industries
        ]
        self.industry_names = {i.pk: i.name for i in industries}
        self.district_weights = [DISTRICT_WEIGHTS[d.code] for d in self.districts]


def ensure_users(reference: Reference) -> dict:
    """One manager per district (records the seeded events) and the API's system account."""
    from rest_framework.authtoken.models import Token

    managers = {}
    for district in reference.districts:
        user, _created = User.objects.get_or_create(
            username=f"bench-manager-{district.code}",
            defaults={"role": Role.DISTRICT_MANAGER, "district": district, "last_name": "基准测试"},
        )
        managers[district.pk] = user.pk
    system, _created = User.objects.get_or_create(
        username=BENCH_SYSTEM_USER, defaults={"role": Role.SYSTEM, "last_name": "基准测试接口"}
    )
    Token.objects.get_or_create(user=system)
    return managers


def investor_rows(count: int, rng: random.Random, now: dt.datetime):
    for index in range(1, count + 1):
        # 9 = registered by market regulation, 1 = enterprise; area code; a base-31 serial
        # standing in for the organisation code, so every code is distinct; then the check char.
        serial, digits = index, []
        for _ in range(9):
            serial, rest = divmod(serial, len(ALPHABET))
            digits.append(ALPHABET[rest])
        area = rng.choice(list(AREA_CODES.values()))
        credit_code = make_credit_code("91" + area + "".join(reversed(digits)))
        name = f"{rng.choice(ORIGINS)[:2]}{rng.choice(NAME_WORDS)}{rng.choice(NAME_WORDS)}有限公司{index:05d}"
        yield (
            index,
            name,
            credit_code,
            rng.choice(ORIGINS),
            rng.random() < 0.3,
            rng.random() < 0.1,
            rng.random() < 0.05,
            now,
            now,
        )


class History:
    """One project's simulated events, in the order they were recorded."""

    def __init__(
        self, rng: random.Random, start: dt.date, today: dt.date, voids_mean: float, amount: Decimal
    ):
        self.events = []  # SimpleNamespace per event, oldest first
        chain = [(Stage.NEGOTIATING, start)]
        stage, day = Stage.NEGOTIATING, start
        while NEXT_STAGE[stage] is not None:
            minimum, mean = STAGE_DAYS[stage]
            step = dt.timedelta(days=minimum + int(rng.expovariate(1 / mean)))
            target = Stage.TERMINATED if rng.random() < TERMINATION_CHANCE[stage] else NEXT_STAGE[stage]
            if day + step > today:
                break  # still in this stage today
            stage, day = target, day + step
            chain.append((stage, day))
        self.standing = chain

        # Voided corrections: each sits in a slot before a standing step (a wrong entry of that
        # step, voided, then recorded right) or after the last step when the project can move on.
        slots = list(range(1, len(chain)))
        if TRANSITIONS[chain[-1][0]]:
            slots.append(len(chain))
        voids = defaultdict(int)
        for _ in range(geometric(rng, voids_mean) if slots else 0):
            voids[rng.choice(slots)] += 1

        for position in range(len(chain) + 1):
            previous_stage, previous_day = chain[position - 1] if position else (None, None)
            if position:
                high = chain[position][1] if position < len(chain) else today
                days = sorted(random_date(rng, previous_day, high) for _ in range(voids[position]))
                for void_day in days:
                    if position < len(chain) and rng.random() < 0.8:
                        void_stage = chain[position][0]
                    else:
                        void_stage = rng.choice(sorted(TRANSITIONS[previous_stage]))
                    self._add(rng, void_stage, previous_stage, void_day, amount, voided=True)
            if position < len(chain):
                standing_stage, standing_day = chain[position]
                self._add(rng, standing_stage, previous_stage or "", standing_day, amount, voided=False)

    def _add(self, rng, stage, from_stage, day, amount, *, voided):
        data = {"contract_no": "", "contract_investment": None, "actual_output": None, "reason": ""}
        data["reclaimed_land_mu"] = None
        if stage == Stage.SIGNED:
            data["contract_no"] = f"HT-{day.year}-{rng.randint(1, 99999):05d}"
            # a voided signing usually carried a mistyped amount
            factor = Decimal(rng.choice(["0.10", "10.00", "1.05"])) if voided else Decimal("1")
            data["contract_investment"] = (amount * factor).quantize(Decimal("0.01"))
        elif stage == Stage.AT_CAPACITY:
            data["actual_output"] = (amount * Decimal(rng.uniform(0.5, 2.0))).quantize(Decimal("0.01"))
        elif stage == Stage.TERMINATED:
            data["reason"] = rng.choice(ExitReason.values)
            data["reclaimed_land_mu"] = (
                Decimal(rng.randint(0, 20000)).scaleb(-2) if rng.random() < 0.3 else None
            )
        self.events.append(
            SimpleNamespace(stage=stage, from_stage=from_stage, date=day, voided=voided, **data)
        )


def project_chunk(first_id, count, *, rng, reference, managers, today, ids, counters, stats):
    """Rows of `count` projects starting at id `first_id`, and of their events, reviews and
    monthly progress. `ids` holds the next id per table; `counters` the code sequences."""
    projects, events, reviews, progress = [], [], [], []
    last_month = add_months(month_start(today), -1)
    first_month = add_months(last_month, -(PROGRESS_MONTHS - 1))
    history_days = (today - HISTORY_START).days
    for project_id in range(first_id, first_id + count):
        district = rng.choices(reference.districts, reference.district_weights)[0]
        industry_id = rng.choices(reference.industries, reference.industry_weights)[0]
        start = HISTORY_START + dt.timedelta(days=rng.randint(0, history_days))
        total = money(rng, 500, 800_000)
        contract_amount = (total * Decimal(rng.uniform(0.7, 1.0))).quantize(Decimal("0.01"))
        mean_standing = stats["standing"] / max(stats["projects"], 1) if stats["projects"] else 5.0
        history = History(rng, start, today, stats["events_per_project"] - mean_standing, contract_amount)
        stats["projects"] += 1
        stats["standing"] += len(history.standing)

        manager = managers[district.pk]
        version = 0
        minute = 0
        for event in history.events:
            event_id = ids["event"]
            ids["event"] += 1
            recorded_at = at(event.date, minute)
            voided_at = at(event.date, minute + 1) if event.voided else None
            minute += 2
            version += 2 if event.voided else 1
            event.voided_at = voided_at
            events.append(
                (
                    event_id,
                    project_id,
                    event.stage,
                    event.from_stage,
                    event.date,
                    "",
                    manager,
                    recorded_at,
                    event.contract_no,
                    event.contract_investment,
                    event.actual_output,
                    event.reason,
                    event.reclaimed_land_mu,
                    None,
                    voided_at,
                    manager if event.voided else None,
                    "录入有误，已重新登记" if event.voided else "",
                    voided_at or recorded_at,
                )
            )
            if event.stage == Stage.APPROVED:
                reviews.append(
                    (
                        ids["review"],
                        project_id,
                        event.date,
                        "符合产业方向",
                        "专家论证通过",
                        "相关部门无异议",
                        Review.Decision.APPROVED,
                        "",
                        event_id,
                        manager,
                        recorded_at,
                        recorded_at,
                    )
                )
                ids["review"] += 1
            stats["voided"] += event.voided
        updated_at = events[-1][-1]

        state = derive_state(history.events)
        year = start.year
        counters[(district.pk, year)] += 1
        code = f"{district.short_code}-{year}-{counters[(district.pk, year)]:04d}"
        planned_sign = start + dt.timedelta(days=rng.randint(60, 240))
        planned_start = planned_sign + dt.timedelta(days=rng.randint(60, 200))
        planned_production = planned_start + dt.timedelta(days=rng.randint(300, 700))
        parks = reference.parks[district.pk]
        industry_name = reference.industry_names[industry_id]
        row = {
            "id": project_id,
            "code": code,
            "name": f"{rng.choice(NAME_WORDS)}{industry_name}{rng.choice(PRODUCTS)}项目{project_id}",
            "lead_official": "",
            "task_force": "",
            "source": rng.choice(Source.values),
            "total_investment": total,
            "expected_output": (total * Decimal(rng.uniform(0.8, 3.0))).quantize(Decimal("0.01")),
            "land_area_mu": Decimal(rng.randint(500, 50000)).scaleb(-2) if rng.random() < 0.7 else None,
            "building_area_m2": None,
            "planned_sign_date": planned_sign,
            "planned_start_date": planned_start,
            "planned_production_date": planned_production,
            "description": "",
            **{name: state[name] for name in PROJECT_DERIVED},
            "version": version,
            "created_at": at(start, 0),
            "updated_at": updated_at,
            "created_by_id": manager,
            "district_id": district.pk,
            "industry_id": industry_id,
            "investor_id": rng.randint(1, stats["investors"]) if rng.random() < 0.97 else None,
            "park_id": rng.choice(parks) if parks and rng.random() < 0.8 else None,
            "unit_id": rng.choice(reference.units[district.pk]),
        }
        projects.append(tuple(row[column] for column in PROJECT_COLUMNS))

        # Monthly progress for the months from signing to full capacity / exit, in the window.
        if state["signed_on"]:
            end = state["at_capacity_on"] or state["terminated_on"] or last_month
            month = max(first_month, month_start(state["signed_on"]))
            last = min(last_month, month_start(end))
            monthly = state["contract_investment"] / 30
            while month <= last:
                funds = (
                    Decimal(0)
                    if rng.random() < 0.2
                    else (monthly * Decimal(rng.uniform(0.2, 1.8))).quantize(Decimal("0.01"))
                )
                done = (funds * Decimal(rng.uniform(0.6, 1.2))).quantize(Decimal("0.01"))
                stamp = at(min(add_months(month, 1), today), 600)
                progress.append(
                    (
                        ids["progress"],
                        project_id,
                        month,
                        funds,
                        done,
                        "按计划推进",
                        "" if rng.random() < 0.9 else "用地指标待落实",
                        manager,
                        stamp,
                        stamp,
                    )
                )
                ids["progress"] += 1
                month = add_months(month, 1)
    return projects, events, reviews, progress


def copy_rows(cursor, table: str, columns, rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def reset() -> None:
    """Empty the project tables (and everything hanging on projects) in this database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE projects_project, projects_investor, projects_projectcodesequence, "
            "pipeline_reminder, pipeline_publishedledger RESTART IDENTITY CASCADE"
        )


def seed(*, projects: int, investors: int, events_per_project: float, random_seed: int) -> dict:
    rng = random.Random(random_seed)
    today = local_today()
    reference = Reference()
    managers = ensure_users(reference)
    now = dt.datetime.now(tz=TZ)
    timings = {}

    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        copy_rows(cursor, "projects_investor", INVESTOR_COLUMNS, investor_rows(investors, rng, now))
    timings["investors"] = time.perf_counter() - began

    ids = {"event": 1, "review": 1, "progress": 1}
    counters = defaultdict(int)
    stats = {
        "projects": 0,
        "standing": 0,
        "voided": 0,
        "investors": investors,
        "events_per_project": events_per_project,
    }
    generate = write = 0.0
    for first in range(1, projects + 1, CHUNK):
        count = min(CHUNK, projects + 1 - first)
        t0 = time.perf_counter()
        rows = project_chunk(
            first,
            count,
            rng=rng,
            reference=reference,
            managers=managers,
            today=today,
            ids=ids,
            counters=counters,
            stats=stats,
        )
        t1 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            copy_rows(cursor, "projects_project", PROJECT_COLUMNS, rows[0])
            copy_rows(cursor, "pipeline_stageevent", EVENT_COLUMNS, rows[1])
            copy_rows(cursor, "pipeline_review", REVIEW_COLUMNS, rows[2])
            copy_rows(cursor, "pipeline_monthlyprogress", PROGRESS_COLUMNS, rows[3])
        t2 = time.perf_counter()
        generate += t1 - t0
        write += t2 - t1
        done = first + count - 1
        if done % 20000 == 0 or done == projects:
            print(
                f"  {done:>7,} projects, {ids['event'] - 1:>9,} events  ({time.perf_counter() - began:.0f} s)"
            )
    timings["generate (Python)"] = generate
    timings["write (COPY)"] = write

    t0 = time.perf_counter()
    ProjectCodeSequence.objects.bulk_create(
        [ProjectCodeSequence(district_id=d, year=y, last_value=n) for (d, y), n in counters.items()]
    )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Investor, Project, StageEvent, Review, MonthlyProgress, ProjectCodeSequence]
        ):
            cursor.execute(statement)
    timings["sequences"] = time.perf_counter() - t0

    # VACUUM ANALYZE: fresh statistics for the planner and a visibility map for index-only scans,
    # as a long-running database would have. It cannot run inside a transaction.
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "projects_investor",
            "projects_project",
            "pipeline_stageevent",
            "pipeline_review",
            "pipeline_monthlyprogress",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum analyze"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - began
    return timings


def verify(sample: int, random_seed: int) -> int:
    """Re-read `sample` projects' histories from the database and check them against the rules
    and against derive_state. Returns the number of problems found (and prints them)."""
    rng = random.Random(random_seed + 1)
    all_ids = list(Project.objects.values_list("pk", flat=True))
    ids = all_ids if len(all_ids) <= sample else rng.sample(all_ids, sample)
    by_project = defaultdict(list)
    for event in StageEvent.objects.filter(project_id__in=ids).order_by("project_id", "date", "id"):
        by_project[event.project_id].append(event)
    derived = [*DATE_FIELDS.values(), "contract_investment", "stage", "stage_since"]
    problems = []
    today = local_today()
    signed_ids = set()
    for project in Project.objects.filter(pk__in=ids):
        history = by_project[project.pk]
        state = derive_state(history)
        for field in derived:
            if getattr(project, field) != state[field]:
                problems.append(
                    f"{project.code}: {field} is {getattr(project, field)!r}, events say {state[field]!r}"
                )
        voided = sum(event.voided_at is not None for event in history)
        if project.version != len(history) + voided:
            problems.append(
                f"{project.code}: version {project.version} != {len(history)} events + {voided} voids"
            )
        current, previous_day = None, None
        for event in history:
            if event.date > today or (previous_day and event.date < previous_day):
                problems.append(f"{project.code}: event {event.pk} dated {event.date} out of order")
            legal = (
                event.stage == Stage.NEGOTIATING if current is None else can_transition(current, event.stage)
            )
            if not legal or event.from_stage != (current or ""):
                problems.append(
                    f"{project.code}: event {event.pk} {current}→{event.stage} is not a legal step"
                )
            previous_day = event.date
            if event.voided_at is None:
                current = event.stage
        if project.signed_on:
            signed_ids.add(project.pk)
    unsigned_with_progress = (
        MonthlyProgress.objects.filter(project_id__in=ids).exclude(project_id__in=signed_ids).count()
    )
    if unsigned_with_progress:
        problems.append(f"{unsigned_with_progress} progress rows on projects never signed")
    for code in Investor.objects.order_by("?").values_list("credit_code", flat=True)[:500]:
        try:
            validate_credit_code(code)
        except Exception as error:  # noqa: BLE001 - report every kind of failure
            problems.append(f"credit code {code}: {error}")
    for problem in problems[:20]:
        print("  PROBLEM", problem)
    print(
        f"verify: {len(ids):,} projects and their {sum(map(len, by_project.values())):,} events checked "
        f"against derive_state and the transition table: {len(problems)} problems"
    )
    return len(problems)


def main(argv=None) -> None:
    from benchmarks.common import data_sizes, print_table, require_postgres

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--investors", type=int, help="default: projects / 5")
    parser.add_argument("--events-per-project", type=float, default=10.0, help="target average (default 10)")
    parser.add_argument("--seed", type=int, default=20251231, help="random seed (same seed, same data)")
    parser.add_argument("--reset", action="store_true", help="empty the project tables first")
    parser.add_argument(
        "--force", action="store_true", help="allow --reset on a database whose name lacks 'bench'"
    )
    parser.add_argument("--verify", type=int, default=2000, metavar="N", help="projects to verify (0: none)")
    parser.add_argument("--verify-only", action="store_true", help="check the existing data, write nothing")
    args = parser.parse_args(argv)
    require_postgres()

    if not args.verify_only:
        existing = Project.objects.count()
        if existing and not args.reset:
            print(f"{existing:,} projects already in the database: nothing written (use --reset to reseed).")
        else:
            if args.reset:
                name = connection.settings_dict["NAME"]
                if "bench" not in name and not args.force:
                    sys.exit(f"Refusing to empty database {name!r}: its name lacks 'bench' (use --force).")
                reset()
            timings = seed(
                projects=args.projects,
                investors=args.investors or max(args.projects // 5, 1),
                events_per_project=args.events_per_project,
                random_seed=args.seed,
            )
            print("\nseconds:")
            print_table(["phase", "s"], [(phase, f"{secs:.1f}") for phase, secs in timings.items()])
    print("\nrows:")
    print_table(["table", "rows"], [(label, f"{count:,}") for label, count in data_sizes().items()])
    print("\nprojects by stage:")
    rows = Project.objects.order_by("stage").values_list("stage").annotate(n=Count("id"))
    print_table(["stage", "projects"], [(stage, f"{n:,}") for stage, n in rows])
    if args.verify and verify(args.verify, args.seed):
        sys.exit(1)


if __name__ == "__main__":
    main()
