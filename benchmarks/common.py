"""Shared by the benchmark scripts: Django set-up, summary statistics, machine facts, and the
docs/benchmarks.md writer (each script owns one marked section and appends its runs to it)."""

import datetime as dt
import os
import platform
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
KEEP_RUNS = 4  # runs kept per section; older ones drop off the file


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "The benchmarks need PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench"
        )


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0]
    load = os.getloadavg()
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": os.cpu_count(),
        "load": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "python": platform.python_version(),
        "postgres": pg_version,
        "database": database,
    }


def data_sizes() -> dict:
    from django.db import connection

    tables = {
        "projects": "projects_project",
        "investors": "projects_investor",
        "stage events": "pipeline_stageevent",
        "voided events": "pipeline_stageevent WHERE voided_at IS NOT NULL",
        "reviews": "pipeline_review",
        "monthly progress": "pipeline_monthlyprogress",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            sizes[label] = cursor.fetchone()[0]
    return sizes


def markdown_table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def print_table(headers, rows) -> None:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def context_block(info: dict, sizes: dict, command: str) -> str:
    size_text = ", ".join(f"{label} {count:,}" for label, count in sizes.items())
    return (
        f"- date: {info['date']}; machine: nproc={info['nproc']}, load average {info['load']} "
        f"(shared with other work); Python {info['python']}; PostgreSQL {info['postgres']} "
        f"(database `{info['database']}`)\n"
        f"- data: {size_text}\n"
        f"- command: `{command}`\n"
    )


def record_run(section: str, title: str, body: str) -> None:
    """Append a run to `section` of docs/benchmarks.md (between its markers), keeping the last
    KEEP_RUNS runs, so two consecutive runs are reported side by side."""
    DOC.parent.mkdir(exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start, end = f"<!-- {section}:start -->", f"<!-- {section}:end -->"
    if start not in text:
        text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    current, tail = rest.split(end, 1)
    runs = [
        run for run in re.split(r"(?m)^(?=#### Run )", current.strip("\n")) if run.startswith("#### Run ")
    ]
    runs.append(f"#### Run {title}\n\n{body.strip()}\n")
    runs = runs[-KEEP_RUNS:]
    DOC.write_text(
        head + start + "\n" + "\n".join(runs) + end + tail,
        encoding="utf-8",
    )
    print(f"\nrecorded in {DOC.relative_to(ROOT)} ({section})")
