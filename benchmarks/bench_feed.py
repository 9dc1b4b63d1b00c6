"""The changes feed's throughput over a large change log, and a webhook's commit-to-delivery
latency with one worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.bench_feed --changes 1000000

Feed: the change log is filled up to `--changes` rows (written with one INSERT … SELECT, each
row pointing at a real project, event or monthly progress row of the seeded data, so every
entry's `data` is rendered as in production); then a city-wide system account and a district
manager read pages of `--limit` entries through the whole API stack (Django's test Client,
token auth, in this process) — `--pages` pages at random `after` positions spread over the log,
and the first and last pages — and the rows per second are reported. `--full` also reads the
whole log from seq 0, following `next`, as the city-wide account.

Webhook: a local HTTP receiver (http.server in a thread) is subscribed; one
`manage.py db_worker` runs as a separate process (`--interval` as `make run` starts it, 1 s, and
optionally a shorter one); the script commits `--deliveries` project updates one by one at
random intervals and measures, for each, the time from its commit to the receiver's having the
POST.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time

if __name__ == "__main__":
    from benchmarks.common import setup_django

    setup_django()

from django.db import connection

from benchmarks.common import (
    ROOT,
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

FILL_SQL = """
WITH p AS (SELECT id, district_id, unit_id, row_number() OVER (ORDER BY id) - 1 AS rn
           FROM projects_project),
     e AS (SELECT ev.id, ev.project_id, pr.district_id, pr.unit_id,
                  row_number() OVER (ORDER BY ev.id) - 1 AS rn
           FROM pipeline_stageevent ev JOIN projects_project pr ON pr.id = ev.project_id),
     m AS (SELECT mp.id, mp.project_id, pr.district_id, pr.unit_id,
                  row_number() OVER (ORDER BY mp.id) - 1 AS rn
           FROM pipeline_monthlyprogress mp JOIN projects_project pr ON pr.id = mp.project_id),
     n AS (SELECT (SELECT count(*) FROM p) AS np, (SELECT count(*) FROM e) AS ne,
                  (SELECT count(*) FROM m) AS nm),
     g AS (SELECT s FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS s)
INSERT INTO changes_change
    (seq, at, type, object_type, object_id, district_id, unit_id, project_id, channel, changes)
SELECT g.s, now() - make_interval(secs => %(last)s - g.s),
       CASE g.s %% 3 WHEN 0 THEN 'project.updated' WHEN 1 THEN 'event.recorded' ELSE 'progress.saved' END,
       CASE g.s %% 3 WHEN 0 THEN 'project' WHEN 1 THEN 'event' ELSE 'progress' END,
       CASE g.s %% 3 WHEN 0 THEN p.id WHEN 1 THEN e.id ELSE m.id END,
       CASE g.s %% 3 WHEN 0 THEN p.district_id WHEN 1 THEN e.district_id ELSE m.district_id END,
       CASE g.s %% 3 WHEN 0 THEN p.unit_id WHEN 1 THEN e.unit_id ELSE m.unit_id END,
       CASE g.s %% 3 WHEN 0 THEN p.id WHEN 1 THEN e.project_id ELSE m.project_id END,
       'command',
       CASE g.s %% 3 WHEN 0 THEN '{"name": ["旧名称", "新名称"]}'::jsonb
                     WHEN 1 THEN '{"stage": [null, "signed"]}'::jsonb
                     ELSE '{"funds_in_place": ["0.00", "12.50"]}'::jsonb END
FROM g CROSS JOIN n
JOIN p ON p.rn = (g.s * 7919) %% n.np
JOIN e ON e.rn = (g.s * 104729) %% n.ne
JOIN m ON m.rn = (g.s * 1299709) %% n.nm
"""


def fill_change_log(target: int) -> int:
    from changes.models import Change, ChangeCounter

    have = Change.objects.count()
    top = Change.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if have < target:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            step = 200_000
            for first in range(top + 1, top + 1 + target - have, step):
                last = min(first + step - 1, top + target - have)
                cursor.execute(FILL_SQL, {"first": first, "last": last})
            cursor.execute("ANALYZE changes_change")
        top = Change.objects.order_by("-seq").values_list("seq", flat=True).first()
        ChangeCounter.objects.update_or_create(pk=1, defaults={"last": top})
        print(
            f"change log filled to {Change.objects.count():,} rows in {time.perf_counter() - started:.0f} s"
        )
    return top


def reader_clients():
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from projects.models import District

    system = User.objects.get(username=BENCH_SYSTEM_USER)
    district = District.objects.get(code="jiulongpo")
    manager, _ = User.objects.get_or_create(
        username="bench-feed-manager", defaults={"role": Role.DISTRICT_MANAGER, "district": district}
    )
    clients = {}
    for label, user in (("city-wide system account", system), ("district manager (jiulongpo)", manager)):
        token, _ = Token.objects.get_or_create(user=user)
        clients[label] = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    return clients


def read_page(client, after: int, limit: int):
    started = time.perf_counter()
    response = client.get("/api/v1/changes/", {"after": after, "limit": limit})
    took = time.perf_counter() - started
    assert response.status_code == 200, response.content[:300]
    body = json.loads(response.content)
    return took, body


def bench_feed(top: int, *, pages: int, limit: int, full: bool):
    rows = []
    rng = random.Random(20251231)
    for label, client in reader_clients().items():
        read_page(client, 0, limit)  # warm-up
        positions = [0, max(0, top - limit * 3)] + [
            rng.randrange(0, max(1, top - limit)) for _ in range(pages)
        ]
        times, counts = [], 0
        for after in positions:
            took, body = read_page(client, after, limit)
            times.append(took)
            counts += len(body["results"])
        total = sum(times)
        stats = summary([t * 1000 for t in times])
        rows.append(
            [
                label,
                f"{len(positions)} pages of ≤{limit} at random `after`",
                f"{counts:,}",
                f"{counts / total:,.0f}",
                f"{stats['median']:.0f} ms",
                f"{stats['p95']:.0f} ms",
            ]
        )
        if full and label.startswith("city"):  # once: the whole log is the same work for both
            after, counts, started = 0, 0, time.perf_counter()
            while True:
                _, body = read_page(client, after, limit)
                counts += len(body["results"])
                if not body["results"] or body["next"] is None:
                    break
                after = body["results"][-1]["seq"]
            total = time.perf_counter() - started
            rows.append(
                [
                    label,
                    "the whole log from seq 0, following `next`",
                    f"{counts:,}",
                    f"{counts / total:,.0f}",
                    "",
                    "",
                ]
            )
    return rows


class Receiver:
    def __init__(self):
        import http.server

        self.arrivals: dict[str, float] = {}
        arrivals = self.arrivals

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                arrivals.setdefault(self.headers["webhook-id"], time.time())
                del body
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def bench_webhook(*, deliveries: int, interval: float):
    from accounts.models import Role, User
    from changes.models import Change
    from projects.models import Project
    from projects.services import project_update
    from webhooks.models import Webhook
    from webhooks.services import webhook_create

    receiver = Receiver()
    owner, _ = User.objects.get_or_create(username="bench-webhook", defaults={"role": Role.SYSTEM})
    Webhook.objects.filter(owner=owner).delete()
    webhook = webhook_create(by=owner, url=receiver.url, types=["project.updated"])
    writer, _ = User.objects.get_or_create(username="bench-webhook-writer", defaults={"role": Role.SYSTEM})
    projects = list(Project.objects.order_by("id")[:deliveries])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", str(interval), "--no-startup-delay"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker starts
        rng = random.Random(7)
        committed, writes = {}, []
        for number, project in enumerate(projects):
            started = time.perf_counter()
            project_update(project=project, by=writer, description=f"bench {time.time():.6f} {number}")
            writes.append((time.perf_counter() - started) * 1000)
            at = time.time()  # committed, and the pump job enqueued (what the write pays)
            seq = (
                Change.objects.filter(type="project.updated", object_id=project.pk)
                .order_by("-seq")
                .first()
                .seq
            )
            committed[f"msg_{seq}"] = at
            time.sleep(rng.uniform(0.2, 0.6))
        deadline = time.time() + 30
        while len(receiver.arrivals) < len(committed) and time.time() < deadline:
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(10)
        receiver.server.shutdown()
        webhook.delete()
    latencies = [(receiver.arrivals[m] - at) * 1000 for m, at in committed.items() if m in receiver.arrivals]
    stats = summary(latencies)
    return [
        f"one worker, `db_worker --interval {interval:g}`",
        f"{len(latencies)}/{len(committed)}",
        f"{stats['median']:.0f} ms",
        f"{stats['p95']:.0f} ms",
        f"{stats['max']:.0f} ms",
        f"{summary(writes)['median']:.1f} ms",
    ]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=1_000_000, help="rows the change log is filled to")
    parser.add_argument("--pages", type=int, default=100, help="feed pages read at random positions")
    parser.add_argument("--limit", type=int, default=1000, help="entries per feed page")
    parser.add_argument("--full", action="store_true", help="also read the whole log from seq 0")
    parser.add_argument("--deliveries", type=int, default=100, help="webhook deliveries timed")
    parser.add_argument(
        "--intervals", default="1,0.1", help="worker poll intervals to time (s), comma-separated"
    )
    parser.add_argument("--no-record", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    require_postgres()
    info = machine()
    top = fill_change_log(args.changes)
    feed_headers = ["reader", "what", "entries", "entries/s", "page median", "page p95"]
    feed_rows = bench_feed(top, pages=args.pages, limit=args.limit, full=args.full)
    print_table(feed_headers, feed_rows)
    hook_headers = ["worker", "delivered", "median", "p95", "max", "the write itself (median)"]
    hook_rows = [
        bench_webhook(deliveries=args.deliveries, interval=float(i)) for i in args.intervals.split(",")
    ]
    print_table(hook_headers, hook_rows)
    if args.no_record:
        return
    from changes.models import Change

    sizes = {**data_sizes(), "changes": Change.objects.count()}
    command = "python -m benchmarks.bench_feed " + " ".join(argv if argv is not None else sys.argv[1:])
    body = (
        context_block(info, sizes, command.strip())
        + "\n**Changes feed** (GET /api/v1/changes/, whole API stack in-process, "
        + "`data` rendered for every entry)\n\n"
        + markdown_table(feed_headers, feed_rows)
        + "\n\n**Webhook, commit to delivery** "
        + "(a project update committed → the local receiver has the POST)\n\n"
        + markdown_table(hook_headers, hook_rows)
        + "\n"
    )
    record_run("bench_feed", info["date"], body)


if __name__ == "__main__":
    main()
