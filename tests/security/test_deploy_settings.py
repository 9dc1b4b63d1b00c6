"""Finding 6 (issue 12): HTTPS is switched on from the environment, and the production
configuration passes `manage.py check --deploy` with no issue (before: W004, W008, W012, W016).
Each case runs in a fresh process, as the settings read the environment once, at start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "zsj.example.gov.cn",
    "HTTPS": "true",
    "BEHIND_PROXY": "true",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run(args, **env):
    # Not the test process's own switches either: the browser tests allow sync calls from
    # Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE), which the deployment check refuses.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def collected(tmp_path):
    """A STATIC_ROOT as collectstatic leaves it (the check looks for its manifest)."""
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    return str(tmp_path)


def test_the_production_configuration_passes_the_deployment_check(collected):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, STATIC_ROOT=collected
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_the_check_names_what_is_missing(collected):
    result = run(
        ["manage.py", "check", "--deploy"], **{**PRODUCTION, "HTTPS": "false", "STATIC_ROOT": collected}
    )
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout, warning


def test_the_server_refuses_to_start_before_collectstatic(tmp_path, collected):
    empty = tmp_path / "nothing-collected"
    result = run(["-c", "import config.wsgi"], **PRODUCTION, STATIC_ROOT=str(empty))
    assert result.returncode != 0
    assert "collectstatic" in result.stderr and "ImproperlyConfigured" in result.stderr
    check = run(["manage.py", "check", "--deploy"], **PRODUCTION, STATIC_ROOT=str(empty))
    assert "tracker.E001" in check.stderr + check.stdout
    assert run(["-c", "import config.wsgi"], **PRODUCTION, STATIC_ROOT=collected).returncode == 0


PROBE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
settings.ALLOWED_HOSTS = ["zsj.example.gov.cn"]
client = Client(HTTP_HOST="zsj.example.gov.cn")
plain = client.get("/api/v1/projects/")
print("plain", plain.status_code, plain.get("Location"))
proxied = client.get("/api/v1/projects/", HTTP_X_FORWARDED_PROTO="https")
print("hsts", proxied.get("Strict-Transport-Security"))
print("csp", proxied.get("Content-Security-Policy"))
print("cookies", settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
"""


@pytest.mark.parametrize("proxy", ["true", "false"])
def test_https_redirects_sets_hsts_and_secure_cookies(proxy):
    result = run(["-c", PROBE], **{**PRODUCTION, "BEHIND_PROXY": proxy, "STATIC_ROOT": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["plain"] == "301 https://zsj.example.gov.cn/api/v1/projects/"
    assert lines["cookies"] == "True True"
    if proxy == "true":
        assert lines["hsts"] == "max-age=31536000; includeSubDomains; preload"
        assert "default-src 'self'" in lines["csp"] and "script-src 'self'" in lines["csp"]
    else:
        # Without the proxy header trusted, a forwarded "https" is not believed.
        assert lines["hsts"] == "None"
