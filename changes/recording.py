"""Recording changes: services call `record` inside `atomic`; the rows are written at the end of
the outermost `atomic` block, just before its transaction commits.

Why at the end: `seq` comes from one counter row, updated (and so locked) by the writer. Held from
the update to the commit, that lock makes seq order the commit order with no gaps, which is what
lets a feed reader never miss a change. Taken at the very end of the transaction, it is held for
milliseconds, even by a long import that wraps thousands of service calls in one `atomic` block.
"""

import datetime as dt
import functools
import json
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from changes.models import Change, ChangeCounter, Channel
from core.bulk import bulk_insert

BULK_INSERT_FROM = 500  # changes written at once, from which COPY beats one INSERT

_channel: ContextVar[str] = ContextVar("change_channel", default=Channel.COMMAND)
_source: ContextVar[dict | None] = ContextVar("change_source", default=None)
_depth: ContextVar[int] = ContextVar("change_depth", default=0)
_pending: ContextVar[list | None] = ContextVar("change_pending", default=None)
_committed_hooks: list = []


def on_changes_committed(hook) -> None:
    """Call `hook()` after each transaction that wrote changes has committed (the webhooks app
    registers its dispatcher here, which only enqueues a background job: a slow receiver never
    slows the write). A hook that fails is logged, never the writer's error."""
    if hook not in _committed_hooks:
        _committed_hooks.append(hook)


def _run_committed_hooks() -> None:
    for hook in list(_committed_hooks):
        hook()


@contextmanager
def channel(name: str, *, source: dict | None = None):
    """The channel (and source) of every change recorded inside: set per request by
    changes.middleware.ChannelMiddleware; commands run as `command`; an import says `import`
    with its file: `with channel("import", source={"import": 7, "file": name, "sha256": digest})`."""
    channel_token = _channel.set(Channel(name))
    source_token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(source_token)
        _channel.reset(channel_token)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def _block():
    depth = _depth.get()
    list_token = _pending.set([]) if depth == 0 else None
    pending = _pending.get()
    mark = len(pending)
    depth_token = _depth.set(depth + 1)
    try:
        with transaction.atomic():
            yield
            if depth == 0 and pending:
                _write(pending)
    except BaseException:
        del pending[mark:]  # a rolled-back block recorded nothing
        raise
    finally:
        _depth.reset(depth_token)
        if list_token is not None:
            _pending.reset(list_token)


def atomic(func=None):
    """`transaction.atomic` that also writes the changes recorded inside it. Use it as a
    decorator (`@atomic`) or a context manager (`with atomic():`). A caller grouping several
    services into one transaction (an import, a command) wraps them in `atomic()` too, so the
    changes are written once, at its end."""
    if callable(func):

        @functools.wraps(func)
        def inner(*args, **kwargs):
            with _block():
                return func(*args, **kwargs)

        return inner
    return _block()


_PLAIN = (str, int, float, bool, type(None))
_ENCODER = DjangoJSONEncoder()


def to_json(value):
    """A value as the change log stores it: money and dates as text, as the API sends them.
    Plain values and a single Decimal, date or time (nearly all of them) skip the JSON round
    trip: an import records some 130,000 values."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Decimal | dt.date | dt.time | dt.timedelta | uuid.UUID):
        return _ENCODER.default(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance, fields: Iterable[str]) -> dict:
    """The instance's values of `fields` as stored: a foreign key as its id, a decimal with its
    field's places (a Decimal("5") about to be saved reads back as 5.00)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if isinstance(value, Decimal) and getattr(field, "decimal_places", None) is not None:
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        values[name] = to_json(value)
    return values


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for every field whose value differs (a missing side is null)."""
    return {
        name: [before.get(name), after.get(name)]
        for name in dict.fromkeys([*before, *after])
        if before.get(name) != after.get(name)
    }


def created(after: dict) -> dict:
    return diff({}, {name: value for name, value in after.items() if value not in (None, "")})


def record(type: str, obj, *, by, changes: dict | None = None, project=None, district_id=None) -> Change:
    """Record that `obj` changed (`type` is `<object>.<what happened>`, e.g. project.updated).

    The change belongs to `project` when given (or to `obj` itself when it is a project, or to
    the project `obj` points at), and through it to a unit and a district, for scoping readers.
    Must run inside `atomic`; outside one, it is written at once in a transaction of its own."""
    owner = project
    if owner is None and obj._meta.model_name == "project":
        owner = obj
    scope = owner if owner is not None else obj
    change = Change(
        at=timezone.now(),
        type=type,
        object_type=type.partition(".")[0],
        object_id=obj.pk,
        project_id=owner.pk if owner is not None else getattr(obj, "project_id", None),
        district_id=district_id or getattr(scope, "district_id", None),
        unit_id=getattr(scope, "unit_id", None),
        user=by if getattr(by, "pk", None) else None,
        channel=_channel.get(),
        changes=to_json(changes or {}),
        source=_source.get(),
    )
    if _depth.get() == 0:
        with atomic():
            _pending.get().append(change)
    else:
        _pending.get().append(change)
    return change


def _write(pending: list[Change]) -> None:
    first = _take_seqs(len(pending))
    for offset, change in enumerate(pending):
        change.seq = first + offset
    if len(pending) > BULK_INSERT_FROM:
        bulk_insert(Change, pending)  # an import's tens of thousands: COPY on PostgreSQL
    else:
        Change.objects.bulk_create(pending)
    if _committed_hooks:
        transaction.on_commit(_run_committed_hooks, robust=True)


def _take_seqs(count: int) -> int:
    """The first of `count` new seqs. One statement both locks the counter row until commit
    and moves it on (UPDATE … RETURNING, on PostgreSQL and SQLite alike)."""
    table = ChangeCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + %s WHERE id = 1 RETURNING last", [count])
        row = cursor.fetchone()
    if row is None:  # a fresh (or flushed) database: the first writer creates the row
        try:
            with transaction.atomic():
                ChangeCounter.objects.create(pk=1, last=count)
            return 1
        except IntegrityError:  # created by a concurrent writer meanwhile
            return _take_seqs(count)
    return row[0] - count + 1
