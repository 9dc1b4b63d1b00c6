"""The 台账 import on PostgreSQL: a generated hand-kept workbook of N rows (default 10,000),
read by both readers, previewed and committed, against creating the same projects through the
REST API one by one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        nice -n 10 .venv/bin/python -m benchmarks.bench_import --rows 10000 [--record]

Needs a migrated database with the reference data (`manage.py loaddata reference`). Each run
imports into a new district of its own (units and parks named as 九龙坡区's), so it can be run
again. Prints: the readers' times (median of 3), the preview's and the commit's wall time and
rows per second, the process's peak RSS, and the REST API's rows per second over a sample
(POST /projects/, one POST /events/ per milestone, PUT /progress/), with the ratio.
"""

import argparse
import datetime as dt
import io
import os
import random
import resource
import statistics
import sys
import time

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from openpyxl import Workbook

from accounts.models import Role, User
from benchmarks.common import (
    context_block,
    machine,
    markdown_table,
    print_table,
    record_run,
    require_postgres,
)
from imports.models import ImportRun
from imports.reader import read_workbook
from imports.services import import_commit, import_preview
from projects.credit_code import make_credit_code
from projects.models import District, Industry, Park, Unit

STAGES = ("在谈", "已审定", "已签约", "已开工", "已投产")
HEADER = [
    "序号",
    "项目名称",
    "投资主体",
    "统一社会信用代码",
    "所属产业",
    "责任单位",
    "所在园区",
    "计划总投资（万元）",
    "合同投资额（万元）",
    "项目阶段",
    "对接时间",
    "审定时间",
    "签约时间",
    "开工时间",
    "投产时间",
    "到位资金",
    "项目进展",
]


def district_for_run() -> tuple[District, User]:
    source = District.objects.get(code="jiulongpo")
    number = District.objects.filter(code__startswith="bimp").count() + 1
    district = District.objects.create(
        code=f"bimp{number}", name=f"基准区{number}", short_code=f"BIMP{number}"
    )
    for unit in Unit.objects.filter(district=source):
        Unit.objects.create(
            code=f"bimp{number}-{unit.code}", name=unit.name, kind=unit.kind, district=district
        )
    for park in Park.objects.filter(district=source):
        Park.objects.create(code=f"bimp{number}-{park.code}", name=park.name, district=district)
    user = User.objects.create(
        username=f"bimp{number}-manager", role=Role.DISTRICT_MANAGER, district=district
    )
    return district, user


def workbook(rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    units = list(Unit.objects.filter(district__code="jiulongpo").values_list("name", flat=True))
    parks = list(Park.objects.filter(district__code="jiulongpo").values_list("name", flat=True))
    industries = list(Industry.objects.filter(parent__isnull=False).values_list("name", flat=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["九龙坡区招商引资项目台账（2025年6月）"])
    sheet.append(["编制单位：区招商投资局　　金额单位：万元"])
    sheet.append(HEADER)
    for index in range(1, rows + 1):
        stage = rng.choice(STAGES)
        level = STAGES.index(stage)
        start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        dates = [start + dt.timedelta(days=30 * step + rng.randrange(20)) for step in range(5)]
        dates = [day.isoformat() if step <= level else None for step, day in enumerate(dates)]
        total = rng.randrange(1000, 200000)
        credit = make_credit_code(f"9150010{index:010d}") if rng.random() < 0.5 else ""
        sheet.append(
            [
                index,
                f"基准项目{index:06d}",
                f"基准企业{index:06d}有限公司",
                credit,
                rng.choice(industries),
                rng.choice(units),
                rng.choice(parks) if rng.random() < 0.6 else None,
                total,
                int(total * 0.8) if level >= 2 else None,
                stage,
                *dates,
                rng.randrange(0, 500) if level >= 2 else None,
                "按计划推进" if level >= 2 else None,
            ]
        )
    sheet.append(["合计"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def time_readers(content: bytes) -> dict:
    times = {}
    for reader in ("calamine", "openpyxl"):
        runs = []
        for _ in range(3):
            began = time.perf_counter()
            read_workbook(content, reader=reader)
            runs.append(time.perf_counter() - began)
        times[reader] = statistics.median(runs)
    return times


def api_sample(district: District, user: User, count: int) -> float:
    """Seconds per row through the REST API: create, then one milestone per step, then progress."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    unit = Unit.objects.filter(district=district).first()
    industry = Industry.objects.filter(parent__isnull=False).first()
    began = time.perf_counter()
    for index in range(count):
        project = client.post(
            "/api/v1/projects/",
            {
                "name": f"接口项目{index}",
                "unit": unit.code,
                "industry": industry.code,
                "total_investment": "5000.00",
                "negotiation_started_on": "2024-01-02",
            },
            content_type="application/json",
        ).json()
        steps = [
            {
                "stage": "approved",
                "date": "2024-02-01",
                "industry_opinion": "同意",
                "expert_opinion": "同意",
                "department_opinion": "同意",
            },
            {"stage": "signed", "date": "2024-03-01", "contract_no": "HT", "contract_investment": "4000.00"},
            {"stage": "started", "date": "2024-04-01"},
        ]
        for step in steps:
            response = client.post(
                f"/api/v1/projects/{project['id']}/events/", step, content_type="application/json"
            )
            assert response.status_code == 201, response.content
        client.put(
            f"/api/v1/projects/{project['id']}/progress/2025-06/",
            {"funds_in_place": "100.00"},
            content_type="application/json",
        )
    return (time.perf_counter() - began) / count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--api-sample", type=int, default=200)
    parser.add_argument("--record", action="store_true", help="append the run to docs/benchmarks.md")
    args = parser.parse_args(argv)
    require_postgres()
    content = workbook(args.rows)
    district, user = district_for_run()
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began, cpu = time.perf_counter(), time.process_time()
    run = import_preview(by=user, district=district, file_name="bench.xlsx", content=content)
    preview, preview_cpu = time.perf_counter() - began, time.process_time() - cpu
    assert run.status == ImportRun.Status.PREVIEWED, [r for r in run.report["rows"] if r["errors"]][:3]
    began, cpu = time.perf_counter(), time.process_time()
    run = import_commit(run=run, by=user)
    commit, commit_cpu = time.perf_counter() - began, time.process_time() - cpu
    assert run.status == ImportRun.Status.DONE, run.report.get("detail")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the import's peak, before the rest
    readers = time_readers(content)
    api_district, api_user = district_for_run()
    per_row_api = api_sample(api_district, api_user, args.api_sample)
    rows = [
        (
            "read: python-calamine",
            f"{readers['calamine']:.2f} s",
            f"{args.rows / readers['calamine']:,.0f}",
            "",
        ),
        (
            "read: openpyxl read-only",
            f"{readers['openpyxl']:.2f} s",
            f"{args.rows / readers['openpyxl']:,.0f}",
            f"{readers['openpyxl'] / readers['calamine']:.1f}× calamine",
        ),
        (
            "preview (read, check, match)",
            f"{preview:.2f} s",
            f"{args.rows / preview:,.0f}",
            f"< 10 s; CPU of this process {preview_cpu:.2f} s",
        ),
        (
            "commit (re-check, write in one transaction)",
            f"{commit:.2f} s",
            f"{args.rows / commit:,.0f}",
            f"< 30 s; CPU of this process {commit_cpu:.2f} s",
        ),
        (
            f"REST API one by one (sample of {args.api_sample})",
            f"{per_row_api * args.rows:.1f} s (extrapolated)",
            f"{1 / per_row_api:,.0f}",
            f"commit is {per_row_api * args.rows / commit:.1f}× faster",
        ),
    ]
    headers = ("what", "time", "rows/s", "note")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    size = len(content) / 1024 / 1024
    print(
        f"{args.rows:,} rows, {size:.1f} MB; peak RSS of preview + commit {peak_mb:.0f} MB (< 300 MB; "
        f"{baseline_mb:.0f} MB before them); load average {load}"
    )
    print_table(headers, rows)
    if args.record:
        niceness = os.nice(0)
        command = (
            f".venv/bin/python -m benchmarks.bench_import --rows {args.rows} --api-sample {args.api_sample}"
        )
        command = f"nice -n {niceness} {command}" if niceness else command
        body = context_block(machine(), {"rows": args.rows}, command)
        body += (
            f"- peak RSS of the process through preview and commit: {peak_mb:.0f} MB ({baseline_mb:.0f} MB "
            f"before them: Django, the generated workbook); load average after the run: {load}\n\n"
        )
        body += markdown_table(headers, rows)
        record_run("import", f"{dt.datetime.now():%Y-%m-%d %H:%M}", body)


if __name__ == "__main__":
    sys.exit(main())
