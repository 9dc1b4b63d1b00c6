"""Bounds on the work one web request may make the database do.

`limit_statements()` (called by config/wsgi.py and config/asgi.py, so by gunicorn and
runserver but not by management commands, imports or the task worker) gives every new
PostgreSQL connection of the web process a `statement_timeout` of STATEMENT_TIMEOUT seconds
(default 20, below gunicorn's 30 s worker timeout; 0 turns it off). A query cancelled by it
raises django.db.OperationalError, which api.handlers.server_error answers as a clear 503
instead of a worker killed mid-request.
"""

from django.conf import settings
from django.db.backends.signals import connection_created


def set_statement_timeout(sender, connection, **kwargs) -> None:
    seconds = settings.STATEMENT_TIMEOUT
    if connection.vendor == "postgresql" and seconds > 0:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds * 1000}"])


def limit_statements() -> None:
    connection_created.connect(set_statement_timeout, dispatch_uid="web-statement-timeout")
