"""Issue 12, backup and restore (the procedure of README.md "Backup and restore"): the demo
district year in a private PostgreSQL, `pg_dump -Fc`, `pg_restore` into a fresh database, and
every table's count, every district's ledger summary for every month of the demo's years,
every published ledger and the next project code of every district and year are identical."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.private_postgres import PrivatePostgres, binaries

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(binaries() is None, reason="no PostgreSQL binaries")]

# What a restore must give back, as JSON (run in the database named by DATABASE_URL).
FINGERPRINT = """
import hashlib, json
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from core.dates import month_range
from pipeline.ledger import ledger_summary
from pipeline.models import PublishedLedger
from projects.models import District, ProjectCodeSequence, Project
import datetime as dt
counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
first = min(Project.objects.values_list("negotiation_started_on", flat=True))
months = [f"{m:%Y-%m}" for m in month_range(first.replace(day=1), dt.date.today())]
summaries = {
    f"{d.code} {m}": ledger_summary(m, filters={"district": d.code})
    for d in District.objects.all() for m in months
}
published = {
    f"{p.district.code} {p.month} v{p.version}": hashlib.sha256(
        json.dumps(p.data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    for p in PublishedLedger.objects.select_related("district")
}
codes = {f"{s.district_id}-{s.year}": s.last_value + 1 for s in ProjectCodeSequence.objects.all()}
print("FINGERPRINT" + json.dumps(
    {"counts": counts, "summaries": summaries, "published": published, "next_codes": codes},
    sort_keys=True, cls=DjangoJSONEncoder,
))
"""


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
        **kwargs,
    )


def fingerprint(env) -> dict:
    out = manage(env, "shell", "-c", FINGERPRINT).stdout
    return json.loads(out[out.index("FINGERPRINT") + len("FINGERPRINT") :])


@pytest.fixture
def pg():
    server = PrivatePostgres().init().start()
    yield server
    server.destroy()


def test_a_dump_restored_into_a_fresh_database_is_the_same_record(pg, tmp_path):
    pg.createdb("tracker")
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    original = {**base, "DATABASE_URL": pg.url("tracker"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage(original, "migrate", "-v0")
    manage(original, "loaddata", "reference", "-v0")
    manage(original, "load_demo")
    before = fingerprint(original)
    assert before["counts"]["projects.Project"] > 10 and before["published"]

    dump = tmp_path / "tracker.dump"
    pg.tool("pg_dump", "-Fc", "-f", str(dump), "tracker")
    pg.createdb("restored")
    pg.tool("pg_restore", "--no-owner", "-d", "restored", str(dump))
    restored = {**original, "DATABASE_URL": pg.url("restored")}
    after = fingerprint(restored)

    assert after["counts"] == before["counts"]
    assert after["summaries"] == before["summaries"]
    assert after["published"] == before["published"]
    assert after["next_codes"] == before["next_codes"]
