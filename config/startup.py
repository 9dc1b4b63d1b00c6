"""Refuse to serve with a configuration that would answer every page with a 500.

With DEBUG=false static files are named through the manifest `collectstatic` writes into
STATIC_ROOT; before it has run, drawing any page failed ("The file 'web/app.css' could not be
found"). The web process (config/wsgi.py, config/asgi.py) now stops at start-up saying what
to run, and `manage.py check --deploy` reports it (tracker.E001)."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


def missing_static_manifest() -> str | None:
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" not in backend:
        return None
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        return None
    return (
        f"The static files manifest {manifest} is missing (DEBUG is off, so pages name static files "
        "through it): run `manage.py collectstatic --noinput` before starting the server."
    )


def refuse_to_start_without_static_files() -> None:
    problem = missing_static_manifest()
    if problem:
        raise ImproperlyConfigured(problem)


@register(deploy=True)
def static_manifest_check(app_configs=None, **kwargs):
    problem = missing_static_manifest()
    return [Error(problem, id="tracker.E001")] if problem else []
