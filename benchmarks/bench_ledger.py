"""Time and memory of the ledger and statistics selectors, each beside hand-written SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.bench_ledger

Cases (on the seeded database, see benchmarks/seed.py):
- one month's ledger summary (pipeline.ledger.ledger_summary), all districts;
- one full ledger with rows (pipeline.ledger.ledger), all districts;
- one year's statistics grouped by industry (pipeline.stats.statistics);
- the Excel export of a ~10,000-row ledger (one district, four columns; pipeline.exports).

Each selector is timed beside a hand-written SQL query computing the same figures straight
from docs/design.md's definitions (below, plain psycopg through Django's cursor); the runs
alternate selector / SQL so both see the same machine load. The result of the SQL is
compared with the selector's (counts and Decimal sums) and any difference is printed and
fails the run. Memory: tracemalloc's peak over one extra call (tracing slows the call, so it
is not timed), and for the export also the peak RSS (ru_maxrss) of a fresh subprocess.
"""

import argparse
import datetime as dt
import gc
import inspect
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from django.conf import settings
from django.db import connection, transaction

from benchmarks.common import (
    context_block,
    data_sizes,
    machine,
    markdown_table,
    print_table,
    record_run,
    require_postgres,
    summary,
)
from core.dates import add_months, local_today, month_end, month_start
from projects.lifecycle import PIPELINE_STAGES

PIPELINE = tuple(str(stage) for stage in PIPELINE_STAGES)
STALE = ("negotiating", "approved", "signed")
EXPORT_DISTRICT = "jiulongpo"
EXPORT_STAGES = ["approved", "signed", "started", "producing"]

# --- hand-written SQL, from docs/design.md --------------------------------------------------------

# Each project's stage on `day`: its latest standing (not voided) event effective on or before
# the day (ties on the date broken by the later entry); one index probe per project
# (event_project_date). Faster here than DISTINCT ON or a window over all events.
AS_OF_FROM = """
    projects_project p CROSS JOIN LATERAL (
        SELECT e.stage, e.date AS since
        FROM pipeline_stageevent e
        WHERE e.project_id = p.id AND e.voided_at IS NULL AND e.date <= %(day)s
        ORDER BY e.date DESC, e.id DESC
        LIMIT 1
    ) a"""
# Not the definition but an equivalent shortcut (measured as a finding, not as the baseline):
# a project whose current stage began on or before the day was in that stage on the day;
# only the others need the events.
AS_OF_FROM_DERIVED = """
    projects_project p CROSS JOIN LATERAL (
        SELECT p.stage, p.stage_since WHERE p.stage_since <= %(day)s
        UNION ALL (
            SELECT e.stage, e.date
            FROM pipeline_stageevent e
            WHERE p.stage_since > %(day)s AND e.project_id = p.id AND e.voided_at IS NULL
              AND e.date <= %(day)s
            ORDER BY e.date DESC, e.id DESC
            LIMIT 1
        )
    ) a (stage, since)"""
# The stale rule: negotiating/approved/signed for longer than N months, or started with the
# planned production date passed.
OVERDUE = """(
        (a.stage IN ('negotiating', 'approved', 'signed') AND a.since < %(cutoff)s)
        OR (a.stage = 'started' AND p.planned_production_date < %(day)s)
    )"""
PROJECT_FILTER = """
        AND (%(district)s::text IS NULL
           OR p.district_id = (SELECT id FROM projects_district WHERE code = %(district)s))
        AND a.stage = ANY(%(stages)s)"""

SUMMARY = """
    SELECT a.stage, count(*), sum(p.total_investment), count(*) FILTER (WHERE {overdue})
    FROM {as_of}
    WHERE TRUE {where}
    GROUP BY a.stage
"""
SQL_SUMMARY = SUMMARY.format(overdue=OVERDUE, as_of=AS_OF_FROM, where=PROJECT_FILTER)
SQL_SUMMARY_DERIVED = SUMMARY.format(overdue=OVERDUE, as_of=AS_OF_FROM_DERIVED, where=PROJECT_FILTER)

SQL_ROWS = f"""
    WITH cumulative AS (
        SELECT project_id, sum(funds_in_place) AS total
        FROM pipeline_monthlyprogress WHERE month <= %(first)s GROUP BY project_id
    )
    SELECT p.id, p.code, p.name, a.stage, a.since, {OVERDUE} AS overdue,
           d.code, d.name, u.code, u.name, pk.code, pk.name, i.code, i.name, inv.name, inv.is_high_tech,
           p.lead_official, p.total_investment,
           CASE WHEN p.signed_on <= %(day)s THEN p.contract_investment END,
           CASE WHEN p.signed_on <= %(day)s THEN p.signed_on END,
           CASE WHEN p.started_on <= %(day)s THEN p.started_on END,
           p.planned_production_date,
           coalesce(m.funds_in_place, 0), coalesce(m.investment_completed, 0), m.progress, m.problems,
           coalesce(c.total, 0)
    FROM {AS_OF_FROM}
    JOIN projects_district d ON d.id = p.district_id
    JOIN projects_unit u ON u.id = p.unit_id
    JOIN projects_industry i ON i.id = p.industry_id
    LEFT JOIN projects_park pk ON pk.id = p.park_id
    LEFT JOIN projects_investor inv ON inv.id = p.investor_id
    LEFT JOIN pipeline_monthlyprogress m ON m.project_id = p.id AND m.month = %(first)s
    LEFT JOIN cumulative c ON c.project_id = p.id
    WHERE TRUE {PROJECT_FILTER}
    ORDER BY p.code
"""

# The month's movements: standing events effective within the month.
SQL_MOVEMENTS = """
    SELECT e.stage, count(*)
    FROM pipeline_stageevent e JOIN projects_project p ON p.id = e.project_id
    WHERE e.voided_at IS NULL AND e.date BETWEEN %(first)s AND %(day)s
      AND (%(district)s::text IS NULL
           OR p.district_id = (SELECT id FROM projects_district WHERE code = %(district)s))
    GROUP BY e.stage
"""
SQL_MOVEMENT_ITEMS = """
    SELECT e.project_id, p.code, p.name, u.name, e.from_stage, e.stage, e.date, e.contract_investment
    FROM pipeline_stageevent e
    JOIN projects_project p ON p.id = e.project_id JOIN projects_unit u ON u.id = p.unit_id
    WHERE e.voided_at IS NULL AND e.date BETWEEN %(first)s AND %(day)s
      AND (%(district)s::text IS NULL
           OR p.district_id = (SELECT id FROM projects_district WHERE code = %(district)s))
    ORDER BY e.date, e.id
"""

# Statistics of a period, per project's own industry node (docs/design.md, The figures). A milestone
# "falls in the period" when its standing event is dated within it; each project has at most
# one standing event per stage. Cohorts: signed and started (or producing) both in the period.
SQL_STATS = """
    WITH milestones AS (
        SELECT e.project_id,
               max(e.date) FILTER (WHERE e.stage = 'signed') AS signed,
               max(e.contract_investment) FILTER (WHERE e.stage = 'signed') AS contract,
               max(e.date) FILTER (WHERE e.stage = 'started') AS started,
               max(e.date) FILTER (WHERE e.stage = 'producing') AS producing,
               max(e.date) FILTER (WHERE e.stage = 'terminated') AS terminated
        FROM pipeline_stageevent e
        WHERE e.voided_at IS NULL AND e.stage IN ('signed', 'started', 'producing', 'terminated')
          AND e.date BETWEEN %(from)s AND %(to)s
        GROUP BY e.project_id
    ),
    figures AS (
        SELECT p.industry_id AS grp,
               count(m.signed) AS signed_count,
               coalesce(sum(m.contract) FILTER (WHERE m.signed IS NOT NULL), 0) AS contract_investment,
               count(m.started) AS started_count,
               coalesce(sum(p.contract_investment) FILTER (WHERE m.started IS NOT NULL), 0)
                   AS started_contract_investment,
               count(m.producing) AS producing_count,
               count(m.signed) FILTER (WHERE inv.is_high_tech) AS high_tech_signed_count,
               count(*) FILTER (WHERE m.signed IS NOT NULL AND m.started IS NOT NULL)
                   AS signed_and_started_count,
               count(*) FILTER (WHERE m.signed IS NOT NULL AND m.producing IS NOT NULL)
                   AS signed_and_producing_count,
               count(m.terminated) AS terminated_in_period_count
        FROM milestones m
        JOIN projects_project p ON p.id = m.project_id
        LEFT JOIN projects_investor inv ON inv.id = p.investor_id
        GROUP BY p.industry_id
    ),
    funds AS (
        SELECT p.industry_id AS grp, sum(mp.funds_in_place) AS funds_in_place
        FROM pipeline_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
        WHERE mp.month BETWEEN %(from_month)s AND %(to)s
        GROUP BY p.industry_id
    ),
    stocks AS (
        SELECT p.industry_id AS grp,
               count(*) FILTER (WHERE a.stage = 'terminated') AS terminated_count,
               count(*) FILTER (WHERE {OVERDUE_AS_OF_TO}) AS overdue_count
        FROM projects_project p CROSS JOIN LATERAL (
            SELECT e.stage, e.date AS since
            FROM pipeline_stageevent e
            WHERE e.project_id = p.id AND e.voided_at IS NULL AND e.date <= %(to)s
            ORDER BY e.date DESC, e.id DESC
            LIMIT 1
        ) a
        GROUP BY p.industry_id
    )
    SELECT i.code, f.*, coalesce(fu.funds_in_place, 0) AS funds_in_place,
           coalesce(o.terminated_count, 0) AS terminated_count,
           coalesce(o.overdue_count, 0) AS overdue_count
    FROM projects_industry i
    LEFT JOIN figures f ON f.grp = i.id
    LEFT JOIN funds fu ON fu.grp = i.id
    LEFT JOIN stocks o ON o.grp = i.id
    ORDER BY i.code
""".replace(
    "{OVERDUE_AS_OF_TO}",
    "(a.stage IN ('negotiating', 'approved', 'signed') AND a.since < %(cutoff)s)"
    " OR (a.stage = 'started' AND p.planned_production_date < %(to)s)",
)
STAT_FIGURES = (
    "signed_count",
    "contract_investment",
    "started_count",
    "started_contract_investment",
    "producing_count",
    "high_tech_signed_count",
    "signed_and_started_count",
    "signed_and_producing_count",
    "terminated_in_period_count",
    "funds_in_place",
    "terminated_count",
    "overdue_count",
)


def run_sql(sql: str, params: dict, *, jit: bool = False) -> list[tuple]:
    """Run one query; JIT off by default (it costs more than it saves on these queries, and the
    selectors turn it off too)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def ledger_params(month: dt.date, *, district=None, stages=PIPELINE) -> dict:
    day = month_end(month)
    return {
        "first": month,
        "day": day,
        "cutoff": add_months(day, -settings.STALE_MONTHS),
        "district": district,
        "stages": list(stages),
    }


# --- the hand-written computations --------------------------------------------------------------


def hand_summary(params, sql=SQL_SUMMARY) -> dict:
    return {stage: (n, total, overdue) for stage, n, total, overdue in run_sql(sql, params)}


def hand_ledger(params) -> dict:
    return {
        "summary": hand_summary(params),
        "movements": dict(run_sql(SQL_MOVEMENTS, params)),
        "items": run_sql(SQL_MOVEMENT_ITEMS, params),
        "rows": run_sql(SQL_ROWS, params),
    }


def hand_stats(params) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(SQL_STATS, params)
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    result = {}
    for row in rows:
        figures = {name: row.get(name) or 0 for name in STAT_FIGURES}
        if any(figures.values()):
            result[row["code"]] = figures
    return result


# --- comparisons (selector result vs SQL) ---------------------------------------------------------


def entry(value, *names):
    for name in names:
        if isinstance(value, dict) and name in value:
            return value[name]
    return None


def compare_summary(selector: dict, hand: dict) -> list[str]:
    problems = []
    for stage in PIPELINE:
        got = selector.get(stage) or {}
        n, total, overdue = hand.get(stage, (0, Decimal("0"), 0))
        expected = {"count": n, "total_investment": total or Decimal("0.00"), "overdue": overdue}
        for key, want in expected.items():
            if key in got and got[key] != want:
                problems.append(f"summary {stage}.{key}: selector {got[key]!r}, SQL {want!r}")
    return problems


def compare_ledger(selector: dict, hand: dict) -> list[str]:
    problems = compare_summary(selector["summary"], hand["summary"])
    moves = selector.get("movements", {})
    by_stage = moves.get("by_stage", {})
    for stage, n in hand["movements"].items():
        if by_stage and by_stage.get(stage, 0) != n:
            problems.append(f"movements {stage}: selector {by_stage.get(stage)}, SQL {n}")
    if "items" in moves and len(moves["items"]) != len(hand["items"]):
        problems.append(f"movement items: selector {len(moves['items'])}, SQL {len(hand['items'])}")
    rows = selector.get("rows", [])
    if len(rows) != len(hand["rows"]):
        problems.append(f"rows: selector {len(rows)}, SQL {len(hand['rows'])}")
    mismatched = 0
    for got, want in zip(rows, hand["rows"], strict=False):
        expected = {
            "id": want[0],
            "code": want[1],
            "stage": want[3],
            "stage_since": want[4],
            "is_overdue": want[5],
            "total_investment": want[17],
            "contract_investment": want[18],
            "month_funds_in_place": want[22],
            "funds_in_place_total": want[26],
        }
        bad = [key for key, value in expected.items() if key in got and got[key] != value]
        if bad:
            mismatched += 1
            if mismatched <= 3:
                problems.append(
                    f"row {want[1]}: {', '.join(f'{k} {got[k]!r} != {expected[k]!r}' for k in bad)}"
                )
    if mismatched:
        problems.append(f"{mismatched} rows differ")
    for key, index in (("funds_in_place_total", 26), ("month_funds_in_place", 22), ("total_investment", 17)):
        got_sum = sum((row.get(key) or Decimal(0) for row in rows), Decimal(0))
        want_sum = sum((row[index] or Decimal(0) for row in hand["rows"]), Decimal(0))
        if got_sum != want_sum:
            problems.append(f"sum of {key}: selector {got_sum}, SQL {want_sum}")
    return problems


def stats_groups(result) -> dict:
    """{group code: {figure: value}} from whatever shape the selector returns."""
    if isinstance(result, dict) and "results" in result:
        result = result["results"]
    groups = {}
    for item in result:
        code = entry(item, "group", "code", "industry", "industry__code")
        groups[code] = {**item, **item.get("figures", {})}
    return groups


def compare_stats(selector, hand: dict) -> list[str]:
    problems = []
    groups = stats_groups(selector)
    for code in sorted(set(groups) | set(hand)):
        got, want = groups.get(code, {}), hand.get(code, dict.fromkeys(STAT_FIGURES, 0))
        for figure in STAT_FIGURES:
            if figure in got and Decimal(str(got[figure] or 0)) != Decimal(str(want[figure] or 0)):
                problems.append(f"stats {code}.{figure}: selector {got[figure]!r}, SQL {want[figure]!r}")
    missing = sorted({f for g in groups.values() for f in STAT_FIGURES if f not in g})
    if groups and missing:
        print(f"  note: the selector's groups lack {', '.join(missing)} (not compared)")
    return problems


# --- timing -------------------------------------------------------------------------------------


def timed(fn):
    gc.collect()
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def alternate(selector, hand, repeat: int, warmup: int = 1):
    """Times of `repeat` calls each, alternating, after `warmup` untimed calls of each."""
    for _ in range(warmup):
        selector()
        hand()
    selector_times, hand_times = [], []
    selector_result = hand_result = None
    for _ in range(repeat):
        elapsed, selector_result = timed(selector)
        selector_times.append(elapsed)
        elapsed, hand_result = timed(hand)
        hand_times.append(elapsed)
    return selector_times, hand_times, selector_result, hand_result


def traced_peak_mb(fn) -> float:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


# --- adapters to the selectors (found by name, so the benchmark follows their signatures) --------


def statistics_selector():
    try:
        from pipeline import stats
    except ImportError:
        return None
    return getattr(stats, "statistics", None)


def export_callable():
    """A callable(month, filters) -> bytes for the ledger's Excel export, or None."""
    try:
        from pipeline import exports
    except ImportError:
        return None
    from pipeline.ledger import ledger

    for name in (
        "ledger_xlsx_bytes",
        "ledger_workbook",
        "ledger_xlsx",
        "export_ledger",
        "ledger_export",
        "export_ledger_xlsx",
    ):
        fn = getattr(exports, name, None)
        if fn is None:
            continue
        parameters = inspect.signature(fn).parameters

        def call(month, filters, fn=fn, parameters=parameters):
            if "filters" in parameters:  # takes the month and filters, computes the ledger
                result = fn(month, filters=filters)
            else:  # takes a computed ledger
                result = fn(ledger(month, filters=filters))
            if hasattr(result, "getvalue"):
                result = result.getvalue()
            elif hasattr(result, "save"):
                import io

                buffer = io.BytesIO()
                result.save(buffer)
                result = buffer.getvalue()
            return result

        call.__name__ = f"pipeline.exports.{name}"
        return call
    return None


def peak_rss_mb() -> tuple[float, float]:
    """(VmHWM from /proc, ru_maxrss) in MB. Linux carries ru_maxrss across fork+exec (the
    parent's resident size at the spawn counts), so a child spawned by a large parent reports
    the parent's size; VmHWM belongs to the process's own address space and starts at exec."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024, maxrss
    except OSError:
        pass
    return maxrss, maxrss


def export_child(month: str, filters: dict) -> None:
    """Run in a fresh process: one export, then report time and peak RSS as JSON."""
    export = export_callable()
    before, maxrss_before = peak_rss_mb()
    started = time.perf_counter()
    data = export(dt.date.fromisoformat(month), filters)
    elapsed = time.perf_counter() - started
    after, maxrss_after = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "rss_before_mb": before,
                "rss_peak_mb": after,
                "maxrss_before_mb": maxrss_before,
                "maxrss_peak_mb": maxrss_after,
                "bytes": len(data),
            }
        )
    )


def export_in_subprocesses(month: dt.date, filters: dict, runs: int = 3) -> list[dict]:
    """The export in `runs` fresh processes, each reporting its time and peak memory."""
    children = []
    for _ in range(runs):
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_ledger",
                "--child-export",
                month.isoformat(),
                json.dumps(filters),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        children.append(json.loads(output.strip().splitlines()[-1]))
    return children


# --- the benchmark ------------------------------------------------------------------------------


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Ledger and statistics benchmark")
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--year", type=int, help="statistics year (default: last full year)")
    parser.add_argument("--repeat", type=int, default=11, help="timed calls per case (default 11)")
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--child-export", nargs=2, metavar=("MONTH", "FILTERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    require_postgres()
    if args.child_export:
        export_child(args.child_export[0], json.loads(args.child_export[1]))
        return

    from pipeline.ledger import ledger, ledger_summary

    today = local_today()
    month = dt.date.fromisoformat(args.month + "-01") if args.month else add_months(month_start(today), -1)
    year = args.year or today.year - 1
    repeat = args.repeat
    results, problems, notes = [], [], []
    export = export_callable()
    export_filters = {"district": EXPORT_DISTRICT, "stage": EXPORT_STAGES}
    if export is not None:
        print("- Excel export in fresh processes ...", flush=True)
        children = export_in_subprocesses(month, export_filters)

    def case(name, selector, hand, compare, repeat, *, peak=True):
        print(f"- {name} ...", flush=True)
        selector_times, hand_times, got, want = alternate(selector, hand, repeat)
        found = compare(got, want)
        problems.extend(f"{name}: {p}" for p in found)
        s, h = summary(selector_times), summary(hand_times)
        results.append(
            {
                "case": name,
                "n": s["n"],
                "median_ms": s["median"] * 1000,
                "p95_ms": s["p95"] * 1000,
                "sql_median_ms": h["median"] * 1000,
                "sql_p95_ms": h["p95"] * 1000,
                "ratio": s["median"] / h["median"],
                "peak_mb": traced_peak_mb(selector) if peak else None,
                "sql_peak_mb": traced_peak_mb(hand) if peak else None,
                "equal": "yes" if not found else f"NO ({len(found)})",
            }
        )
        return got

    params = ledger_params(month)
    got = case(
        f"ledger summary {month:%Y-%m}, all districts",
        lambda: ledger_summary(month),
        lambda: hand_summary(params),
        compare_summary,
        repeat * 2,
    )
    summary_rows = sum(entry["count"] for entry in got.values())
    derived_times, _times, derived, _result = alternate(
        lambda: hand_summary(params, SQL_SUMMARY_DERIVED), lambda: None, repeat * 2
    )
    problems.extend(
        f"derived-field summary: {p}"
        for p in compare_summary(
            {
                stage: dict(zip(("count", "total_investment", "overdue"), v, strict=True))
                for stage, v in derived.items()
            },
            hand_summary(params),
        )
    )
    d = summary(derived_times)
    notes.append(
        f"finding: the same summary by SQL that reads the projects' derived stage and only looks up "
        f"events for projects changed after the day: median {fmt_ms(d['median'])} ms, "
        f"p95 {fmt_ms(d['p95'])} ms (n={d['n']}), same result"
    )

    full = case(
        f"full ledger with rows {month:%Y-%m}, all districts",
        lambda: ledger(month),
        lambda: hand_ledger(params),
        compare_ledger,
        max(repeat // 2, 3),
    )
    notes.append(f"full ledger: {len(full.get('rows', [])):,} rows, {summary_rows:,} projects in the columns")

    statistics = statistics_selector()
    if statistics is None:
        notes.append("statistics: pipeline.stats.statistics not found — not measured")
    else:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        stats_params = {
            "from": first,
            "to": last,
            "from_month": first,
            "cutoff": add_months(last, -settings.STALE_MONTHS),
        }
        case(
            f"statistics {year}, group_by=industry",
            lambda: statistics(first, last, group_by="industry"),
            lambda: hand_stats(stats_params),
            compare_stats,
            repeat,
        )

    export_params = ledger_params(month, district=EXPORT_DISTRICT, stages=EXPORT_STAGES)
    if export is None:
        notes.append("Excel export: no export function in pipeline/exports.py — not measured")
    else:
        export_rows = len(run_sql(SQL_ROWS, export_params))
        case(
            f"Excel export {month:%Y-%m}, {EXPORT_DISTRICT} {'+'.join(EXPORT_STAGES)} ({export_rows:,} rows)",
            lambda: export(month, export_filters),
            lambda: run_sql(SQL_ROWS, export_params),
            lambda got, want: [] if got[:2] == b"PK" else ["the export is not an xlsx (zip) file"],
            max(repeat // 2, 3),
        )
        from pipeline import exports

        if hasattr(exports, "ledger_xlsx_bytes"):
            data = ledger(month, filters=export_filters)
            write_times = [timed(lambda: exports.ledger_xlsx_bytes(data))[0] for _ in range(3)]
            notes.append(
                f"Excel export: of which writing the workbook alone (ledger_xlsx_bytes on a computed "
                f"ledger of {len(data['rows']):,} rows): median {fmt_ms(summary(write_times)['median'])} ms"
            )
        rss = summary([c["rss_peak_mb"] for c in children])
        cold = summary([c["seconds"] for c in children])
        notes.append(
            f"Excel export in a fresh process ({export.__name__}, 3 runs, spawned first while this "
            f"process is small): peak RSS (VmHWM) median {rss['median']:.0f} MB, max {rss['max']:.0f} MB "
            f"(of which {children[0]['rss_before_mb']:.0f} MB before the export: Python + Django); "
            f"ru_maxrss {children[0]['maxrss_peak_mb']:.0f} MB (includes the spawning parent, see "
            f"peak_rss_mb); "
            f"cold time median {cold['median']:.2f} s; file {children[0]['bytes'] / 1024:,.0f} KB"
        )

    headers = [
        "case",
        "n",
        "median ms",
        "p95 ms",
        "SQL median ms",
        "SQL p95 ms",
        "ratio (median)",
        "peak MB (tracemalloc)",
        "SQL peak MB",
        "same result",
    ]
    table = [
        (
            r["case"],
            r["n"],
            fmt_ms(r["median_ms"] / 1000),
            fmt_ms(r["p95_ms"] / 1000),
            fmt_ms(r["sql_median_ms"] / 1000),
            fmt_ms(r["sql_p95_ms"] / 1000),
            f"{r['ratio']:.2f}×",
            f"{r['peak_mb']:.1f}" if r["peak_mb"] is not None else "",
            f"{r['sql_peak_mb']:.1f}" if r["sql_peak_mb"] is not None else "",
            r["equal"],
        )
        for r in results
    ]
    print()
    print_table(headers, table)
    for note in notes:
        print("  " + note)
    for problem in problems[:30]:
        print("  MISMATCH", problem)

    if not args.no_record:
        info = machine()
        body = (
            context_block(
                info, data_sizes(), " ".join(["python -m benchmarks.bench_ledger", *(argv or sys.argv[1:])])
            )
            + "\n"
            + markdown_table(headers, table)
            + "\n\n"
            + "".join(f"- {note}\n" for note in notes)
            + "".join(f"- MISMATCH {problem}\n" for problem in problems[:30])
        )
        record_run("bench_ledger", info["date"], body)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
