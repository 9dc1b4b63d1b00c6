"""A client this project did not write: openapi-python-client generates one from the live
/api/schema/, and a round trip runs through the generated code only (no hand-written request):
an investor and a project created, milestones recorded, one voided, progress put with its
ETag, a download read as a workbook, a full pull following `next`.

The generator runs as a subprocess (its own command line, pinned in requirements-dev.txt);
when it is not installed the test is skipped, saying so.
"""

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pipeline.models import MonthlyProgress, StageEvent
from projects.models import Investor, Project
from tests import factories

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PACKAGE = "tracker_generated_client"
# Downloads are binary: the generator reads a type it does not know by name as octet-stream.
CONFIG = """\
post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  application/vnd.openxmlformats-officedocument.wordprocessingml.document: application/octet-stream
  application/x-ndjson: application/octet-stream
"""


def _generator() -> str | None:
    beside_python = Path(sys.executable).parent / "openapi-python-client"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("openapi-python-client")


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The package generated from the schema as the server serves it, imported."""
    generator = _generator()
    if generator is None:
        pytest.skip("openapi-python-client is not installed (pip install -r requirements-dev.txt)")
    with django_db_blocker.unblock():
        schema = APIClient().get("/api/schema/?format=json").json()
    where = tmp_path_factory.mktemp("generated")
    (where / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (where / "config.yaml").write_text(CONFIG, encoding="utf-8")
    result = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            str(where / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / PACKAGE),
            "--config",
            str(where / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unsupported" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def _module(package, name):
    return importlib.import_module(f"{package.__name__}.{name}")


@pytest.fixture
def client(generated, live_server, manager):
    key = Token.objects.create(user=manager).key
    return generated.AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token")


def test_the_generated_package_has_ascii_modules_named_by_tag(generated):
    api_dir = Path(generated.__file__).parent / "api"
    modules = {path.name for path in api_dir.iterdir() if path.is_dir() and not path.name.startswith("_")}
    assert {"projects", "investors", "events", "progress", "reviews", "downloads", "reference"} <= modules
    assert all(name.isascii() for name in modules)
    models = _module(generated, "models")
    assert models.ReviewDecisionEnum.VOIDED.value == "voided"
    assert models.ErrorCode.CONFLICT.value == "conflict"


def test_a_round_trip_through_the_generated_client(generated, client, unit, industry):
    models = _module(generated, "models")
    investors_create = _module(generated, "api.investors.investors_create")
    investors_partial_update = _module(generated, "api.investors.investors_partial_update")
    projects_create = _module(generated, "api.projects.projects_create")
    projects_partial_update = _module(generated, "api.projects.projects_partial_update")
    events_create = _module(generated, "api.events.projects_events_create")
    events_void = _module(generated, "api.events.projects_events_void_create")
    events_list = _module(generated, "api.events.projects_events_list")
    reviews_list = _module(generated, "api.reviews.projects_reviews_list")
    progress_update = _module(generated, "api.progress.projects_progress_update")
    ledger_xlsx = _module(generated, "api.downloads.ledger_xlsx")

    # An investor, with a JSON boolean (finding 1), created once though sent twice (finding 8).
    body = models.InvestorInputRequest(name="重庆示例科技有限公司", is_high_tech=True)
    created = investors_create.sync_detailed(client=client, body=body, idempotency_key="investor-1")
    again = investors_create.sync_detailed(client=client, body=body, idempotency_key="investor-1")
    assert created.status_code == 201, created.content
    assert again.parsed.id == created.parsed.id and Investor.objects.count() == 1
    investor = created.parsed
    assert investor.is_high_tech is True
    patched = investors_partial_update.sync(
        id=investor.id, client=client, body=models.PatchedInvestorInputRequest(is_high_tech=False)
    )
    assert patched.is_high_tech is False

    # A project, its Location, and a null that clears a value (finding 1).
    made = projects_create.sync_detailed(
        client=client,
        body=models.ProjectCreateInputRequest(
            name="生成客户端项目",
            industry=industry.code,
            unit=unit.code,
            investor=investor.id,
            expected_output="3000.00",
            negotiation_started_on=dt.date(2025, 1, 6),
        ),
    )
    assert made.status_code == 201, made.content
    project = made.parsed
    assert made.headers["Location"].endswith(f"/api/v1/projects/{project.id}/")
    cleared = projects_partial_update.sync(
        id=project.id, client=client, body=models.PatchedProjectInputRequest(expected_output=None)
    )
    assert cleared.expected_output is None

    # Milestones: approved (with its review), signed; the signing and then the approval voided.
    approved = events_create.sync_detailed(
        project_id=project.id,
        client=client,
        body=models.EventInputRequest(
            stage=models.StageEnum.APPROVED,
            date=dt.date(2025, 2, 1),
            industry_opinion="符合产业导向",
            expert_opinion="可行",
            department_opinion="同意",
        ),
    )
    assert approved.status_code == 201, approved.content
    signed = events_create.sync_detailed(
        project_id=project.id,
        client=client,
        body=models.EventInputRequest(
            stage=models.StageEnum.SIGNED,
            date=dt.date(2025, 3, 1),
            contract_no="HT-2025-001",
            contract_investment="120000.00",
        ),
        if_match=approved.headers["ETag"],
    )
    assert signed.status_code == 201, signed.content
    for event in (signed.parsed, approved.parsed):
        voided = events_void.sync_detailed(
            project_id=project.id,
            event_id=event.id,
            client=client,
            body=models.VoidInputRequest(reason="录入有误"),
        )
        assert voided.status_code == 200, voided.content
    history = events_list.sync(project_id=project.id, client=client)
    assert [(e.stage, e.is_voided) for e in history.results] == [
        (models.StageEnum.NEGOTIATING, False),
        (models.StageEnum.APPROVED, True),
        (models.StageEnum.SIGNED, True),
    ]
    (review,) = reviews_list.sync(project_id=project.id, client=client).results
    assert review.decision == models.ReviewDecisionEnum.VOIDED
    assert StageEvent.objects.filter(project_id=project.id, voided_at__isnull=True).count() == 1

    # Progress: created, replaced with its ETag, refused with a stale one (finding 5).
    first = progress_update.sync_detailed(
        project_id=project.id,
        month="2025-02",
        client=client,
        body=models.ProgressInputRequest(funds_in_place="12.50", progress="办理用地"),
    )
    assert first.status_code == 201, first.content
    replaced = progress_update.sync_detailed(
        project_id=project.id,
        month="2025-02",
        client=client,
        body=models.ProgressInputRequest(funds_in_place="20.00"),
        if_match=first.headers["ETag"],
    )
    assert replaced.status_code == 200, replaced.content
    stale = progress_update.sync_detailed(
        project_id=project.id,
        month="2025-02",
        client=client,
        body=models.ProgressInputRequest(funds_in_place="1.00"),
        if_match=first.headers["ETag"],
    )
    assert stale.status_code == 412
    assert stale.parsed.code == models.ErrorCode.CONFLICT
    assert MonthlyProgress.objects.get(project_id=project.id).funds_in_place == 20

    # A download is a workbook, not JSON (finding 7).
    workbook = ledger_xlsx.sync_detailed(month="2025-02", client=client)
    assert workbook.status_code == 200
    assert openpyxl.load_workbook(BytesIO(workbook.content)).sheetnames

    # The changes feed tells all of it, in order, followed by its `after` (finding 9).
    changes_list = _module(generated, "api.sync.changes_list")
    seen, after = [], 0
    while True:
        page = changes_list.sync(client=client, project=project.id, after=after, limit=3)
        seen += [(entry.seq, entry.type_) for entry in page.results]
        if not page.next_:
            break
        after = page.results[-1].seq
    assert [seq for seq, _type in seen] == sorted(seq for seq, _type in seen)
    assert [t for _seq, t in seen] == [
        "project.created",
        "event.recorded",  # negotiating, with the project
        "project.updated",  # expected_output cleared
        "review.recorded",  # the approval's review, with its event
        "event.recorded",
        "event.recorded",  # signed
        "event.voided",
        "review.voided",  # the approval voided reaches its review
        "event.voided",
        "progress.saved",
        "progress.saved",  # the stale If-Match wrote nothing
    ]


def test_a_full_pull_follows_next_through_the_cursor(generated, client, unit, industry, manager):
    projects_list = _module(generated, "api.projects.projects_list")
    for i in range(7):
        factories.make_project(unit=unit, industry=industry, by=manager, name=f"拉取项目{i}")
    seen, cursor, pages = [], None, 0
    while True:
        kwargs = {"cursor": cursor} if cursor else {}
        page = projects_list.sync(client=client, page_size=3, **kwargs)
        seen += [project.id for project in page.results]
        pages += 1
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    assert pages == 3
    assert sorted(seen) == sorted(Project.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == page.count == 7
