"""Load: many clients at once on gunicorn against PostgreSQL, mixing reads and writes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python -m benchmarks.load --clients 50 --seconds 60 --workers 4

Starts gunicorn (config.wsgi, DEBUG off, the given number of sync workers) on a free port
against the database (seeded by benchmarks.seed), gives each district's bench manager a token,
and runs `--clients` threads (on projects signed, started or producing: those that file
progress) for `--seconds`, each looping over a mix drawn at random:
65 % reads (a page of the project list, a project, its history, the statistics of a year, a
unit's ledger of last month) and 35 % writes (a project's description changed with its version, a
month's progress filed, a project created). Every answer other than the expected one counts
as an error. Prints the count, throughput, p50/p95/p99 per kind and overall.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict

from benchmarks.common import ROOT, setup_django

READ_SHARE = 0.65
ACTIVE = ("signed", "started", "producing")  # projects that file progress and may be edited


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base, method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def prepare():
    """Tokens of the districts' bench managers, some of their project ids, a unit and industry each."""
    setup_django()
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from projects.models import Industry, Project, Unit

    callers = []
    for user in User.objects.filter(username__startswith="bench-manager-").select_related("district"):
        token, _ = Token.objects.get_or_create(user=user)
        ids = list(
            Project.objects.filter(district=user.district, stage__in=ACTIVE)
            .order_by("?")
            .values_list("pk", flat=True)[:2000]
        )
        unit = Unit.objects.filter(district=user.district).first()
        callers.append({"token": token.key, "ids": ids, "unit": unit.code})
    industry = Industry.objects.filter(parent__isnull=False).first().code
    return callers, industry


def worker(base, callers, industry, until, results, rng):
    last_month = time.strftime("%Y-%m", time.localtime(time.time() - 32 * 86400))
    while time.monotonic() < until:
        caller = rng.choice(callers)
        token, pk = caller["token"], rng.choice(caller["ids"])
        if rng.random() < READ_SHARE:
            kind, method, path, body, ok = rng.choice(
                [
                    ("list", "GET", "/api/v1/projects/?page_size=50", None, (200,)),
                    ("project", "GET", f"/api/v1/projects/{pk}/", None, (200,)),
                    ("history", "GET", f"/api/v1/projects/{pk}/history/", None, (200,)),
                    ("stats", "GET", "/api/v1/stats/?year=2025", None, (200,)),
                    ("ledger", "GET", f"/api/v1/ledgers/{last_month}/?unit={caller['unit']}", None, (200,)),
                ]
            )
        else:
            kind = rng.choice(["edit", "progress", "create"])
            if kind == "edit":
                method, path, ok = "PATCH", f"/api/v1/projects/{pk}/", (200,)
                body = {"description": f"负载测试 {rng.random():.6f}"}
            elif kind == "progress":
                method, path, ok = "PUT", f"/api/v1/projects/{pk}/progress/{last_month}/", (200, 201)
                body = {"funds_in_place": f"{rng.randint(1, 999)}.00", "progress": "负载测试"}
            else:
                method, path, ok = "POST", "/api/v1/projects/", (201,)
                body = {"name": f"负载项目{rng.random():.8f}", "unit": caller["unit"], "industry": industry}
        started = time.perf_counter()
        try:
            status, _content = call(base, method, path, token, body)
        except OSError:
            status = 0
        elapsed = time.perf_counter() - started
        results.append((kind, elapsed, status in ok, status))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    callers, industry = prepare()
    static = tempfile.mkdtemp(prefix="tracker-load-static-")
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "STATIC_ROOT": static}
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    env["THROTTLE_USER"] = "100000000/hour"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(static, "gunicorn.log"), "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/v1/districts/", timeout=30)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        for caller in callers:  # warm every worker
            call(base, "GET", "/api/v1/projects/?page_size=1", caller["token"])
        results: list = []
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=worker, args=(base, callers, industry, until, results, random.Random(n)))
            for n in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    report(results, wall, args)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results, wall, args):
    by_kind = defaultdict(list)
    errors = defaultdict(int)
    for kind, elapsed, ok, status in results:
        by_kind[kind].append(elapsed)
        if not ok:
            errors[(kind, status)] += 1
    every = [elapsed for _kind, elapsed, _ok, _status in results]
    print(f"clients {args.clients}, {args.seconds} s, gunicorn sync workers {args.workers}")
    rate = len(results) / wall
    print(f"requests {len(results)} in {wall:.1f} s = {rate:.1f}/s; errors {sum(errors.values())}")
    print(f"{'kind':10s} {'n':>6s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}")
    for kind in sorted(by_kind):
        values = by_kind[kind]
        print(
            f"{kind:10s} {len(values):6d} {statistics.median(values) * 1000:8.0f} "
            f"{percentile(values, 0.95) * 1000:8.0f} {percentile(values, 0.99) * 1000:8.0f}"
        )
    print(
        f"{'all':10s} {len(every):6d} {statistics.median(every) * 1000:8.0f} "
        f"{percentile(every, 0.95) * 1000:8.0f} {percentile(every, 0.99) * 1000:8.0f}"
    )
    for (kind, status), count in sorted(errors.items()):
        print(f"error: {kind} answered {status} x{count}")


if __name__ == "__main__":
    main()
