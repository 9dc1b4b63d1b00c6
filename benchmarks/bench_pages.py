"""The pages and downloads a district manager opens, timed through the whole request stack.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.bench_pages

As the seeded 九龙坡区 manager (benchmarks/seed.py, user bench-manager-jiulongpo), through
Django's test Client in this process (middleware, templates and all), for last month and last
year by default:

- the ledger page /ledger/<month>/ (time and the size of the HTML it sends), and the page of
  the month before once published (its frozen version beside the corrections made since);
- the ledger's Excel /ledger/<month>/export.xlsx, beside the hand-written SQL for the same
  rows (benchmarks.bench_ledger.SQL_ROWS, the district's five columns), timed in alternation;
  and of which writing the workbook alone (pipeline.exports on an already computed ledger);
- the project list's Excel /projects/export.xlsx (the first 20,000 of the district's projects),
  beside a hand-written query of the same rows and columns;
- the statistics page /stats/?year=<year> and its Excel, and the dashboard /dashboard/.

Prints the medians (and p95) and appends the run to docs/benchmarks.md (section bench_pages).
Each workbook downloaded is opened with openpyxl once, so a broken file fails the run.
"""

import argparse
import datetime as dt
import gc
import io
import sys
import time

from django.conf import settings

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from benchmarks.bench_ledger import PIPELINE, SQL_ROWS, ledger_params, run_sql
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
from core.dates import add_months, local_today, month_start

DISTRICT = "jiulongpo"
MANAGER = f"bench-manager-{DISTRICT}"

# The project list's Excel columns (web/pages/exports.py) for the district, newest first: what a
# hand-written export would read.
SQL_PROJECTS = """
    SELECT p.code, p.name, inv.name, i.name, pk.name, u.name, p.stage, p.stage_since,
           (p.stage IN ('negotiating', 'approved', 'signed') AND p.stage_since < %(cutoff)s)
             OR (p.stage = 'started' AND p.planned_production_date < %(day)s),
           p.total_investment, p.contract_investment, p.planned_sign_date, p.signed_on,
           p.planned_start_date, p.started_on, p.planned_production_date, p.producing_on
    FROM projects_project p
    JOIN projects_unit u ON u.id = p.unit_id
    JOIN projects_industry i ON i.id = p.industry_id
    LEFT JOIN projects_park pk ON pk.id = p.park_id
    LEFT JOIN projects_investor inv ON inv.id = p.investor_id
    WHERE p.district_id = (SELECT id FROM projects_district WHERE code = %(district)s)
    ORDER BY p.id DESC
    LIMIT 20000
"""


def timed(fn):
    gc.collect()
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def client_for(username: str):
    from django.conf import settings
    from django.test import Client

    # Static URLs without `collectstatic`'s manifest (the names, not the files, are rendered).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        sys.exit(f"No user {username!r}: seed the database first (python -m benchmarks.seed).")
    client = Client()
    client.force_login(user)
    return client


def get(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}")
    return response


def check_workbook(content: bytes, url: str) -> int:
    """Open the workbook; return its largest sheet's row count."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = max(sum(1 for _row in sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    book.close()
    if rows < 2:
        sys.exit(f"{url}: the workbook has no rows")
    return rows


def publish_once(month: dt.date) -> str:
    """Publish the district's ledger of `month` as its manager, unless it already is."""
    from accounts.models import User
    from pipeline.publishing import ledger_publish, published_ledger
    from projects.models import District

    district = District.objects.get(code=DISTRICT)
    record = published_ledger(district, month)
    if record is not None:
        return f"{month:%Y-%m} published before this run ({len(record.data['rows']):,} rows)"
    elapsed, record = timed(
        lambda: ledger_publish(district=district, month=month, by=User.objects.get(username=MANAGER))
    )
    return f"{month:%Y-%m} published by this run in {fmt_ms(elapsed)} ms ({len(record.data['rows']):,} rows)"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Pages and downloads of a district manager")
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--year", type=int, help="statistics year (default: last year)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per case (default 5)")
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    require_postgres()

    from pipeline import exports
    from pipeline.ledger import ledger

    today = local_today()
    month = dt.date.fromisoformat(args.month + "-01") if args.month else add_months(month_start(today), -1)
    year = args.year or today.year - 1
    repeat = args.repeat
    client = client_for(MANAGER)
    rows, notes = [], []

    def case(name, fn, *, hand=None, target=""):
        print(f"- {name} ...", flush=True)
        fn()  # warm-up
        if hand is not None:
            hand()
        times, hand_times = [], []
        result = None
        for _ in range(repeat):
            elapsed, result = timed(fn)
            times.append(elapsed)
            if hand is not None:
                hand_times.append(timed(hand)[0])
        s = summary(times)
        h = summary(hand_times) if hand_times else None
        rows.append(
            (
                name,
                s["n"],
                fmt_ms(s["median"]),
                fmt_ms(s["p95"]),
                fmt_ms(h["median"]) if h else "",
                f"{s['median'] / h['median']:.2f}×" if h else "",
                target,
            )
        )
        return result, s

    # The ledger page.
    ledger_url = f"/ledger/{month:%Y-%m}/"
    params = ledger_params(month, district=DISTRICT, stages=PIPELINE)
    ledger_rows = len(run_sql(SQL_ROWS, params))
    response, page = case(f"ledger page {ledger_url} ({ledger_rows:,} rows)", lambda: get(client, ledger_url))
    html_kb = len(response.content) / 1024
    met = page["median"] <= 1 and html_kb <= 1024
    rows[-1] = (*rows[-1][:-1], f"≤ 1 s, ≤ 1 MB: {'met' if met else 'NOT met'}")
    notes.append(f"ledger page: {html_kb:,.0f} KB of HTML ({len(response.content):,} bytes)")

    # The page of a published month (the month before): the frozen version and its corrections.
    published_month = add_months(month, -1)
    published_url = f"/ledger/{published_month:%Y-%m}/"
    publish_note = publish_once(published_month)
    response, page = case(
        f"published ledger page {published_url} (its version and the corrections since)",
        lambda: get(client, published_url),
    )
    rows[-1] = (*rows[-1][:-1], f"≤ 1 s: {'met' if page['median'] <= 1 else 'NOT met'}")
    notes.append(f"published ledger page: {len(response.content) / 1024:,.0f} KB of HTML; {publish_note}")

    # The ledger's Excel beside the hand-written SQL of the same rows.
    export_url = f"{ledger_url}export.xlsx"
    response, _s = case(
        f"ledger Excel {export_url} vs hand SQL of the same rows",
        lambda: get(client, export_url),
        hand=lambda: run_sql(SQL_ROWS, params),
    )
    ratio = float(rows[-1][5].rstrip("×"))
    rows[-1] = (*rows[-1][:-1], f"≤ 2× SQL: {'met' if ratio <= 2 else 'NOT met'}")
    sheet_rows = check_workbook(response.content, export_url)
    data = ledger(month, filters={"district": DISTRICT})
    write_times = [timed(lambda: exports.ledger_xlsx_bytes(data, area="九龙坡区"))[0] for _ in range(3)]
    query_times = [timed(lambda: ledger(month, filters={"district": DISTRICT}))[0] for _ in range(3)]
    notes.append(
        f"ledger Excel: {len(response.content) / 1024:,.0f} KB, largest sheet {sheet_rows:,} rows; "
        "of which the ledger query (pipeline.ledger.ledger) "
        f"median {fmt_ms(summary(query_times)['median'])} ms "
        f"and writing the workbook alone median {fmt_ms(summary(write_times)['median'])} ms"
    )

    # The project list's Excel (20,000 rows).
    cutoff = add_months(today, -settings.STALE_MONTHS)
    response, project_export = case(
        "project list Excel /projects/export.xlsx (20,000 rows) vs hand SQL",
        lambda: get(client, "/projects/export.xlsx"),
        hand=lambda: run_sql(SQL_PROJECTS, {"district": DISTRICT, "day": today, "cutoff": cutoff}),
    )
    rows[-1] = (*rows[-1][:-1], f"≤ 3 s: {'met' if project_export['median'] <= 3 else 'NOT met'}")
    notes.append(
        f"project list Excel: {len(response.content) / 1024:,.0f} KB, "
        f"{check_workbook(response.content, '/projects/export.xlsx') - 1:,} rows after the header"
    )

    # Statistics and dashboard.
    for url in (f"/stats/?year={year}", f"/stats/?year={year}&group_by=industry", "/dashboard/"):
        _response, timing = case(url, lambda url=url: get(client, url))
        rows[-1] = (*rows[-1][:-1], f"≤ 0.5 s: {'met' if timing['median'] <= 0.5 else 'NOT met'}")
    stats_export = f"/stats/export.xlsx?year={year}&group_by=industry"
    response, _s = case(stats_export, lambda: get(client, stats_export))
    check_workbook(response.content, stats_export)

    headers = ["case", "n", "median ms", "p95 ms", "SQL median ms", "ratio (median)", "target"]
    print()
    print_table(headers, rows)
    for note in notes:
        print("  " + note)
    if not args.no_record:
        info = machine()
        command = " ".join(["python -m benchmarks.bench_pages", *(argv or sys.argv[1:])])
        body = (
            context_block(info, data_sizes(), command)
            + f"- client: Django test Client (in-process) logged in as {MANAGER} (九龙坡区 manager); "
            f"{repeat} timed requests per case after one warm-up\n\n"
            + markdown_table(headers, rows)
            + "\n\n"
            + "".join(f"- {note}\n" for note in notes)
        )
        record_run("bench_pages", info["date"], body)


if __name__ == "__main__":
    main()
