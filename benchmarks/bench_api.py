"""Latency of the REST API on the seeded database: project list pages, project detail, and
recording a milestone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.bench_api

By default requests go through Django's test Client in this process (the whole middleware,
authentication, throttling, DRF and serializer stack, no network). With
`--base-url http://127.0.0.1:8000` they go over HTTP (one keep-alive connection) to a running
server, e.g. `gunicorn config.wsgi -b 127.0.0.1:8000 -w 2`.

The caller is the seeder's system account (`bench-system`, role system, all districts) with
its DRF token. Milestones: `started` projects are moved to `producing` (dated today), each
once; afterwards the benchmark puts those projects back exactly as they were (deletes its own
events, restores the derived fields and version), so it can be run again on the same data.
"""

import argparse
import http.client
import json
import random
import sys
import time
import urllib.parse

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

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
from benchmarks.seed import BENCH_SYSTEM_USER
from core.dates import local_today
from projects.models import Project

PAGE_SIZE = 50
# Filter mixes for the list (the project filters of docs/api.md); `pages` is filled in from each mix's count.
LIST_MIXES = {
    "district+stage": "district=jiulongpo&stage=signed",
    "district+2 stages": "district=jiangjin&stage=started&stage=producing",
    "industry subtree+overdue": "industry=ADV&is_overdue=true",
    "unit+investment+signed_from": "unit=jlp-xipeng&min_investment=50000&signed_from=2024-01-01",
    "updated_since (incremental pull)": "updated_since=2026-01-01T00:00:00%2B08:00",
    "search (name/code/investor)": "search=%E6%99%BA%E9%80%A0",  # 智造
    "no filter": "",
}
DEEP_PAGING = {"updated_since (incremental pull)"}
BROWSE_PAGES = 40  # other mixes: random pages among the first 40 (2,000 rows)
TARGETS_MS = {"list": 50, "detail": 20}


class InProcess:
    """Django's test Client: the full request stack, in this process."""

    name = "Django test Client (in-process)"

    def __init__(self, token: str):
        from django.test import Client

        self.client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def get(self, path):
        response = self.client.get(path)
        return response.status_code, response.content

    def post(self, path, payload):
        response = self.client.post(path, data=json.dumps(payload), content_type="application/json")
        return response.status_code, response.content


class OverHttp:
    """One keep-alive HTTP connection to a running server."""

    def __init__(self, base_url: str, token: str):
        parts = urllib.parse.urlsplit(base_url)
        self.name = f"HTTP to {base_url}"
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def _request(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def get(self, path):
        return self._request("GET", path)

    def post(self, path, payload):
        return self._request("POST", path, json.dumps(payload).encode())


def timed_requests(requester, calls, *, warmup: int, expect: int):
    """Latencies (s) of `calls` (each a function returning (status, body)), after warm-up."""
    for call in calls[:warmup]:
        call()
    times, failures = [], []
    for call in calls[warmup:]:
        started = time.perf_counter()
        status, body = call()
        times.append(time.perf_counter() - started)
        if status != expect:
            failures.append(f"{status}: {body[:200]!r}")
    return times, failures


def queries_of(call) -> int:
    """SQL queries one request runs (in-process only)."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def page_call(requester, query: str, page: int):
    return lambda: requester.get(f"/api/v1/projects/?{query}&page_size={PAGE_SIZE}&page={page}")


def detail_call(requester, pk: int):
    return lambda: requester.get(f"/api/v1/projects/{pk}/")


def list_calls(requester, mixes, count: int, rng: random.Random):
    """`count` list requests per mix, on random pages within each mix's result."""
    plans = {}
    for label, query in mixes.items():
        status, body = requester.get(f"/api/v1/projects/?{query}&page_size={PAGE_SIZE}")
        if status != 200:
            sys.exit(f"list {label}: {status} {body[:300]!r}")
        total = json.loads(body)["count"]
        pages = max(1, -(-total // PAGE_SIZE))
        plans[label] = (query, total, pages)
    calls = {}
    for label, (query, _total, pages) in plans.items():
        # People page through the first screens; an incremental pull walks every page.
        last = pages if label in DEEP_PAGING else min(pages, BROWSE_PAGES)
        calls[label] = [page_call(requester, query, rng.randint(1, last)) for _ in range(count)]
    return plans, calls


def snapshot(project_ids):
    fields = ["stage", "stage_since", "producing_on", "version", "updated_at"]
    rows = Project.objects.filter(pk__in=project_ids).values("pk", *fields)
    return {row["pk"]: row for row in rows}, fields


def restore(saved, fields, first_new_event_id: int) -> int:
    """Put the benchmark's projects back: drop the events it recorded, restore derived fields."""
    ids = list(saved)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM pipeline_stageevent WHERE project_id = ANY(%s) AND id >= %s",
            [ids, first_new_event_id],
        )
        deleted = cursor.rowcount
        assignments = ", ".join(f"{field} = %s" for field in fields)
        cursor.executemany(
            f"UPDATE projects_project SET {assignments} WHERE id = %s",  # noqa: S608 - fixed names
            [[row[field] for field in fields] + [pk] for pk, row in saved.items()],
        )
    return deleted


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="API latency benchmark")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first (default 20)")
    parser.add_argument("--base-url", help="benchmark a running server instead of the in-process client")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    require_postgres()
    from rest_framework.authtoken.models import Token

    token = Token.objects.filter(user__username=BENCH_SYSTEM_USER).first()
    if token is None:
        sys.exit("No bench-system token: seed the database first (python -m benchmarks.seed).")
    requester = OverHttp(args.base_url, token.key) if args.base_url else InProcess(token.key)
    rng = random.Random(args.seed)
    n, warm = args.requests, args.warmup
    results, notes, failures = [], [], []
    in_process = isinstance(requester, InProcess)

    def record(case, kind, times, failed, queries=None, extra=""):
        s = summary(times)
        target = TARGETS_MS.get(kind)
        results.append(
            (
                case,
                s["n"],
                f"{s['median'] * 1000:.1f}",
                f"{s['p95'] * 1000:.1f}",
                f"{s['max'] * 1000:.1f}",
                "" if queries is None else queries,
                f"p95 < {target} ms: {'met' if s['p95'] * 1000 < target else 'NOT met'}" if target else extra,
            )
        )
        failures.extend(f"{case}: {f}" for f in failed)
        return s

    # 1. List pages.
    plans, calls = list_calls(requester, LIST_MIXES, n + warm, rng)
    all_list_times = []
    for label, mix_calls in calls.items():
        query, total, pages = plans[label]
        print(f"- list {label} ({total:,} projects, {pages:,} pages) ...", flush=True)
        times, failed = timed_requests(requester, mix_calls, warmup=warm, expect=200)
        all_list_times += times
        queries = queries_of(mix_calls[0]) if in_process else None
        record(
            f"list `?{urllib.parse.unquote(query) or '(none)'}` ({total:,} rows)",
            "list",
            times,
            failed,
            queries,
        )
    record("list, all mixes together", "list", all_list_times, [])

    # 1b. The incremental pull as an integrator runs it: follow `next` (keyset cursors) from
    # the first page, oldest change first, for as many pages as the other cases time.
    pull = f"{LIST_MIXES['updated_since (incremental pull)']}&ordering=updated_at&page_size={PAGE_SIZE}"
    print("- list incremental pull following next links ...", flush=True)
    url, times, failed, pages_walked = f"/api/v1/projects/?{pull}", [], [], 0
    while url and pages_walked < n + warm:
        started = time.perf_counter()
        status, body = requester.get(url)
        elapsed = time.perf_counter() - started
        if status != 200:
            failed.append(f"{status}: {body[:200]!r}")
            break
        if pages_walked >= warm:
            times.append(elapsed)
        pages_walked += 1
        link = json.loads(body)["next"]
        url = link[link.index("/api/") :] if link else None
    record(
        f"list `?{urllib.parse.unquote(pull)}` following `next` ({pages_walked} pages)",
        "list",
        times,
        failed,
        queries_of(lambda: requester.get(f"/api/v1/projects/?{pull}")) if in_process else None,
    )

    # 2. Detail.
    ids = list(Project.objects.values_list("pk", flat=True))
    detail_calls = [detail_call(requester, rng.choice(ids)) for _ in range(n + warm)]
    print("- detail ...", flush=True)
    times, failed = timed_requests(requester, detail_calls, warmup=warm, expect=200)
    record("project detail", "detail", times, failed, queries_of(detail_calls[0]) if in_process else None)

    # 3. Recording a milestone: started → producing, today, each project once; then restored.
    candidates = list(Project.objects.filter(stage="started").values_list("pk", flat=True))
    chosen = rng.sample(candidates, min(len(candidates), n + warm + 1))
    saved, fields = snapshot(chosen)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM pipeline_stageevent")
        first_new_event = cursor.fetchone()[0]
    today = local_today().isoformat()
    payload = {"stage": "producing", "date": today, "note": "基准测试"}
    post_calls = [
        (lambda pk=pk: requester.post(f"/api/v1/projects/{pk}/events/", payload)) for pk in chosen[: n + warm]
    ]
    print("- milestone POST ...", flush=True)
    try:
        times, failed = timed_requests(requester, post_calls, warmup=warm, expect=201)
        post_queries = None
        if in_process:
            pk = chosen[-1]
            post_queries = queries_of(lambda: requester.post(f"/api/v1/projects/{pk}/events/", payload))
        record("record a milestone (POST events, started→producing)", "post", times, failed, post_queries)
    finally:
        deleted = restore(saved, fields, first_new_event)
        notes.append(
            f"milestones: {deleted} recorded events removed and {len(saved)} projects restored afterwards"
        )

    headers = ["case", "n", "median ms", "p95 ms", "max ms", "SQL queries / request", "target"]
    print()
    print_table(headers, results)
    for note in notes:
        print("  " + note)
    for failure in failures[:20]:
        print("  FAILED", failure)

    if not args.no_record:
        info = machine()
        command = " ".join(["python -m benchmarks.bench_api", *(argv or sys.argv[1:])])
        body = (
            context_block(info, data_sizes(), command)
            + f"- client: {requester.name}; {n} timed requests per case after {warm} warm-up; "
            f"list pages of {PAGE_SIZE}, random pages among the first {BROWSE_PAGES} of each filter mix "
            f"(every page for the incremental pull); detail of random projects\n\n"
            + markdown_table(headers, results)
            + "\n\n"
            + "".join(f"- {note}\n" for note in notes)
            + "".join(f"- FAILED {failure}\n" for failure in failures[:20])
        )
        record_run("bench_api", info["date"], body)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
