"""Webhooks against a real local HTTP receiver: subscribing (system accounts, the secret shown
once), signed deliveries checked by an independent HMAC, retries of a receiver that fails
first, seq order, disabling after the retry window with the owner told, the delivery log,
redelivery, and a write that never waits for a slow receiver."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from changes.models import Change
from projects.services import project_update
from tests import factories
from tests.factories import make_project
from tests.webhooks.receiver import Receiver
from webhooks.dispatch import backoff, deliver_next, pump
from webhooks.models import Delivery, Webhook


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """The receiver's side of Standard Webhooks, written here without the product's code."""
    key = base64.b64decode(secret[len("whsec_") :])
    content = headers["webhook-id"] + "." + headers["webhook-timestamp"] + "." + body.decode()
    expected = base64.b64encode(hmac.new(key, content.encode(), hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(part.split(",", 1)[1], expected) for part in headers["webhook-signature"].split()
    )


@pytest.fixture
def owner(district):
    return factories.system_user(district, username="platform", email="ops@example.gov.cn")


@pytest.fixture
def fast_retries(settings):
    settings.WEBHOOK_RETRY_BASE = 0


def subscribe(api, owner, url, **fields):
    response = api.as_user(owner).post("/api/v1/webhooks/", {"url": url, **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def drain(webhook_id, limit=50):
    """Deliver what is due, as the worker's `deliver` job would, until nothing is."""
    outcomes = []
    for _ in range(limit):
        outcome = deliver_next(webhook_id)
        outcomes.append(outcome)
        if outcome in ("idle", "waiting", "busy"):
            return outcomes
    return outcomes


def test_system_accounts_subscribe_and_see_the_secret_once(api, owner, manager, district):
    created = subscribe(
        api, owner, "https://receiver.example.gov.cn/hook", types=["event.*", "project.created"]
    )
    assert created["secret"].startswith("whsec_") and len(base64.b64decode(created["secret"][6:])) == 32
    assert created["types"] == ["event.*", "project.created"] and created["active"] is True
    client = api.as_user(owner)
    detail = client.get(f"/api/v1/webhooks/{created['id']}/").json()
    assert "secret" not in detail
    assert "secret" not in json.dumps(client.get("/api/v1/webhooks/").json())
    assert api.as_user(manager).get("/api/v1/webhooks/").status_code == 403
    assert (
        api.as_user(manager)
        .post("/api/v1/webhooks/", {"url": "https://x.example"}, format="json")
        .status_code
        == 403
    )
    other = factories.system_user(district, username="other-platform")
    assert api.as_user(other).get(f"/api/v1/webhooks/{created['id']}/").status_code == 404
    assert api.as_user(other).get(f"/api/v1/webhooks/{created['id']}/deliveries/").status_code == 404
    reader = factories.system_user(district, username="ro-platform", read_only=True)
    assert (
        api.as_user(reader)
        .post("/api/v1/webhooks/", {"url": "https://r.example/h"}, format="json")
        .status_code
        == 201
    )
    client = api.as_user(owner)  # the one test client, signed in as the owner again
    patched = client.patch(f"/api/v1/webhooks/{created['id']}/", {"active": False}, format="json").json()
    assert patched["active"] is False
    assert client.delete(f"/api/v1/webhooks/{created['id']}/").status_code == 204
    assert not Webhook.objects.filter(pk=created["id"]).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": "ftp://x.example/h"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": ""}, "url"),
        ({"url": "https://x.example/h", "types": ["Project Created"]}, "types"),
        ({"url": "https://x.example/h", "types": "event.recorded"}, "types"),
        ({"url": "https://x.example/h", "secret": "whsec_mine"}, "secret"),
    ],
)
def test_a_bad_subscription_is_a_400_naming_the_field(api, owner, fields, field):
    response = api.as_user(owner).post("/api/v1/webhooks/", fields, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert not Webhook.objects.exists()


def test_deliveries_are_signed_feed_entries_in_seq_order(api, owner, project, manager):
    with Receiver() as receiver:
        hook = subscribe(api, owner, receiver.url)
        for name in ("一期", "二期", "三期"):
            project_update(project=project, by=manager, name=name)
        pump.call()
        assert drain(hook["id"])[-1] == "idle"
    feed = api.as_user(owner).get("/api/v1/changes/", {"after": hook["last_seq"]}).json()["results"]
    assert [entry["type"] for entry in feed] == ["project.updated"] * 3
    bodies = [json.loads(got["body"]) for got in receiver.received]
    assert [body["seq"] for body in bodies] == [entry["seq"] for entry in feed]
    assert [body["changes"]["name"][1] for body in bodies] == ["一期", "二期", "三期"]
    assert bodies[0]["data"]["id"] == project.pk and bodies[0]["project"]["code"] == project.code
    for got in receiver.received:
        assert verify(hook["secret"], got["headers"], got["body"])
        assert got["headers"]["webhook-id"] == f"msg_{json.loads(got['body'])['seq']}"
        assert abs(int(got["headers"]["webhook-timestamp"]) - time.time()) < 60
        assert got["headers"]["content-type"] == "application/json"
    tampered = dict(receiver.received[0]["headers"], **{"webhook-timestamp": "1"})
    assert not verify(hook["secret"], tampered, receiver.received[0]["body"])
    log = api.as_user(owner).get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert [(row["status"], row["attempts"], row["response_code"]) for row in log] == [
        ("succeeded", 1, 200)
    ] * 3
    assert all(row["duration_ms"] is not None for row in log)


def test_a_receiver_that_fails_first_gets_the_same_message_again_before_the_next(
    api, owner, project, manager, fast_retries
):
    with Receiver(statuses=[500, 503]) as receiver:
        hook = subscribe(api, owner, receiver.url)
        project_update(project=project, by=manager, name="一期")
        project_update(project=project, by=manager, name="二期")
        pump.call()
        assert drain(hook["id"]) == ["failed", "failed", "delivered", "delivered", "idle"]
    ids = [got["headers"]["webhook-id"] for got in receiver.received]
    assert [got["status"] for got in receiver.received] == [500, 503, 200, 200]
    assert ids[0] == ids[1] == ids[2] != ids[3]
    assert json.loads(receiver.received[2]["body"]) == json.loads(receiver.received[0]["body"])
    assert all(verify(hook["secret"], got["headers"], got["body"]) for got in receiver.received)
    first = Delivery.objects.filter(webhook_id=hook["id"]).order_by("seq").first()
    assert (first.status, first.attempts, first.response_code, first.error) == ("succeeded", 3, 200, "")
    # each failure scheduled the next attempt as a background job
    assert DBTaskResult.objects.filter(task_path="webhooks.dispatch.deliver").count() >= 2


def test_backoff_doubles_up_to_its_cap_and_retries_last_at_least_a_day(settings):
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff(40).total_seconds() == 4 * 3600
    assert settings.WEBHOOK_RETRY_FOR >= 24 * 3600


def test_a_delivery_failing_past_the_retry_window_disables_the_subscription_and_tells_its_owner(
    api, owner, project, manager, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[500] * 10) as receiver:
        hook = subscribe(api, owner, receiver.url)
        project_update(project=project, by=manager, name="一期")
        project_update(project=project, by=manager, name="二期")
        pump.call()
        assert drain(hook["id"]) == ["failed", "waiting"]  # its retry is scheduled, not yet due
        head = Delivery.objects.filter(webhook_id=hook["id"]).order_by("seq").first()
        assert head.next_attempt_at - head.last_attempt_at == dt.timedelta(seconds=10)
        # a day later, still failing
        Delivery.objects.filter(pk=head.pk).update(
            first_attempt_at=timezone.now() - dt.timedelta(hours=24, minutes=1),
            next_attempt_at=timezone.now(),
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert drain(hook["id"]) == ["failed", "idle"]
        assert len(receiver.received) == 2
    detail = api.as_user(owner).get(f"/api/v1/webhooks/{hook['id']}/").json()
    assert detail["active"] is False and detail["disabled_at"]
    assert "msg_" in detail["disabled_reason"] and "HTTP 500" in detail["disabled_reason"]
    head.refresh_from_db()
    assert (head.status, head.attempts) == ("failed", 2)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@example.gov.cn"]
    assert receiver.url in mail.outbox[0].body
    # nothing more is posted while disabled; the second entry waits in the log
    assert drain(hook["id"]) == ["idle"]
    assert Delivery.objects.filter(webhook_id=hook["id"], status="pending").count() == 1


def test_redelivery_on_request_and_resuming_a_disabled_subscription(
    api, owner, project, manager, fast_retries, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        hook = subscribe(api, owner, receiver.url)
        project_update(project=project, by=manager, name="一期")
        pump.call()
        drain(hook["id"])
        delivery = Delivery.objects.get(webhook_id=hook["id"])
        client = api.as_user(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery.pk}/redeliver/")
        assert response.status_code == 202 and response.json()["status"] == "pending"
        drain(hook["id"])
        assert [got["headers"]["webhook-id"] for got in receiver.received] == [delivery.message_id] * 2
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("succeeded", 2)
        foreign = factories.system_user(None, username="elsewhere")
        response = api.as_user(foreign).post(
            f"/api/v1/webhooks/{hook['id']}/deliveries/{delivery.pk}/redeliver/"
        )
        assert response.status_code == 404
        client = api.as_user(owner)
        # disabled, then turned back on: what was committed meanwhile is delivered
        client.patch(f"/api/v1/webhooks/{hook['id']}/", {"active": False}, format="json")
        project_update(project=project, by=manager, name="二期")
        pump.call()
        assert drain(hook["id"]) == ["idle"]
        with django_capture_on_commit_callbacks(execute=True):
            client.patch(f"/api/v1/webhooks/{hook['id']}/", {"active": True}, format="json")
        pump.call()
        drain(hook["id"])
        assert json.loads(receiver.received[-1]["body"])["changes"]["name"] == ["一期", "二期"]


def test_types_and_the_owners_scope_choose_what_is_delivered(
    api, district, unit, foreign_unit, industry, manager, fast_retries
):
    owner = factories.system_user(district, username="jlp-platform")
    with Receiver() as receiver:
        hook = subscribe(api, owner, receiver.url, types=["project.*"])
        mine = make_project(unit=unit, industry=industry, by=manager)
        make_project(unit=foreign_unit, industry=industry)  # another district's
        project_update(project=mine, by=manager, name="改名")
        pump.call()
        drain(hook["id"])
    bodies = [json.loads(got["body"]) for got in receiver.received]
    assert [(body["type"], body["id"]) for body in bodies] == [
        ("project.created", mine.pk),
        ("project.updated", mine.pk),
    ]
    assert Webhook.objects.get(pk=hook["id"]).last_seq == Change.objects.order_by("-seq").first().seq


@pytest.mark.django_db(transaction=True)
def test_a_write_only_enqueues_and_the_worker_delivers(api, owner, project, manager):
    """The write pays for one queued job, however slow the receiver; `manage.py db_worker`
    (the worker `make run` starts) then delivers. Committed for real: the job is enqueued
    after the commit, and the worker reads it from its own transactions."""
    with Receiver(delay=1.5) as receiver:
        subscribe(api, owner, receiver.url)
        client = api.as_user(manager)
        started = time.monotonic()
        response = client.patch(f"/api/v1/projects/{project.pk}/", {"name": "慢接收方"}, format="json")
        took = time.monotonic() - started
        assert response.status_code == 200 and took < 1.0
        assert receiver.received == []
        assert DBTaskResult.objects.filter(task_path="webhooks.dispatch.pump", status="READY").count() == 1
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert len(receiver.received) == 1
    assert json.loads(receiver.received[0]["body"])["changes"]["name"] == ["立琻半导体项目", "慢接收方"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_racing_on_one_subscription_still_deliver_in_seq_order_once_each(
    api, owner, project, manager
):
    import threading

    from django.db import connection

    with Receiver(delay=0.02) as receiver:
        hook = subscribe(api, owner, receiver.url)
        for number in range(12):
            project_update(project=project, by=manager, name=f"第{number}期")
        pump.call()
        outcomes: list[str] = []

        def worker():
            try:
                while (outcome := deliver_next(hook["id"])) != "idle":
                    outcomes.append(outcome)
                    if outcome == "busy":
                        time.sleep(0.005)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    seqs = [json.loads(got["body"])["seq"] for got in receiver.received]
    assert len(seqs) == 12 and seqs == sorted(set(seqs))
    assert outcomes.count("delivered") == 12


def test_the_delivery_log_is_in_the_admin_and_redelivers_from_there(
    client, api, owner, project, manager, fast_retries, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[502]) as receiver:
        hook = subscribe(api, owner, receiver.url)
        project_update(project=project, by=manager, name="一期")
        pump.call()
        drain(hook["id"])
        delivery = Delivery.objects.get(webhook_id=hook["id"])
        admin_user = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
        client.force_login(admin_user)
        html = client.get("/admin/webhooks/delivery/").content.decode()
        assert delivery.message_id in html or str(delivery.seq) in html
        assert "已送达" in html and ">2<" in html  # status and attempts (a 502, then the 200)
        webhook_page = client.get(f"/admin/webhooks/webhook/{hook['id']}/change/").content.decode()
        assert hook["secret"] not in webhook_page
        client.post("/admin/webhooks/webhook/", {"action": "pause", "_selected_action": [hook["id"]]})
        assert Webhook.objects.get(pk=hook["id"]).active is False
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/admin/webhooks/webhook/", {"action": "resume", "_selected_action": [hook["id"]]})
        assert Webhook.objects.get(pk=hook["id"]).active is True
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/webhooks/delivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}
            )
        assert response.status_code == 302
        drain(hook["id"])
    assert [got["status"] for got in receiver.received] == [502, 200, 200]
    assert receiver.received[-1]["headers"]["webhook-id"] == delivery.message_id


def test_an_inactive_owners_subscription_waits_instead_of_skipping_entries(api, owner, project, manager):
    with Receiver() as receiver:
        hook = subscribe(api, owner, receiver.url)
        owner.is_active = False
        owner.save()
        project_update(project=project, by=manager, name="停用期间")
        pump.call()
        assert drain(hook["id"]) == ["idle"] and receiver.received == []
        owner.is_active = True
        owner.save()
        pump.call()
        drain(hook["id"])
    assert [json.loads(got["body"])["changes"]["name"][1] for got in receiver.received] == ["停用期间"]


def test_pruning_keeps_recent_pending_and_failed_deliveries(owner):
    from io import StringIO

    webhook = Webhook.objects.create(owner=owner, url="https://x.example/h", secret="whsec_AAAA")
    old = timezone.now() - dt.timedelta(days=40)
    rows = {
        "old delivered": Delivery(seq=1, status="succeeded", delivered_at=old),
        "new delivered": Delivery(seq=2, status="succeeded", delivered_at=timezone.now()),
        "old failed": Delivery(seq=3, status="failed"),
        "pending": Delivery(seq=4),
    }
    for row in rows.values():
        row.webhook, row.type, row.message_id, row.body = webhook, "project.updated", f"msg_{row.seq}", "{}"
        row.save()
    out = StringIO()
    call_command("prune_webhook_deliveries", "--days", "30", stdout=out)
    assert "1 delivered" in out.getvalue()
    assert sorted(Delivery.objects.values_list("seq", flat=True)) == [2, 3, 4]


def test_a_stage_change_arrives_with_the_project_its_previous_and_new_stage_and_date(
    api, owner, project, manager
):
    from projects.lifecycle import Stage
    from tests.factories import reach

    with Receiver() as receiver:
        hook = subscribe(api, owner, receiver.url, types=["event.recorded"])
        reach(project, Stage.SIGNED, start=dt.date(2025, 3, 1), by=manager)
        pump.call()
        drain(hook["id"])
    bodies = [json.loads(got["body"]) for got in receiver.received]
    signing = bodies[-1]
    assert signing["type"] == "event.recorded"
    assert signing["project"] == {"id": project.pk, "code": project.code}
    assert (signing["data"]["from_stage"], signing["data"]["stage"]) == ("approved", "signed")
    assert signing["data"]["date"] == signing["changes"]["date"][1]
    assert [body["data"]["stage"] for body in bodies] == ["approved", "signed"]
