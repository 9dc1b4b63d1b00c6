"""Issue 12, faults: PostgreSQL restarted while the server runs. Against a private PostgreSQL
(tests/security/private_postgres.py) and the real server (gunicorn, config.wsgi, DEBUG off):
during the outage every request gets a clear 503 (JSON under /api/, a page elsewhere), a write
sent then leaves nothing behind, and once the database is back the same server answers again
without a restart."""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.security.private_postgres import PrivatePostgres, binaries, free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(binaries() is None, reason="no PostgreSQL binaries")]

SETUP = """
from rest_framework.authtoken.models import Token
from accounts.models import Role, User
from projects.models import District
district = District.objects.get(code="jiulongpo")
user = User.objects.create_user(
    "fault-manager", password="fault-pass-2025", role=Role.DISTRICT_MANAGER, district=district
)
print(Token.objects.create(user=user).key)
"""


def call(base, path, *, token=None, body=None, cookie=None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, headers=headers, method="POST" if body else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def server(tmp_path):
    pg = PrivatePostgres().init().start()
    pg.createdb("tracker")
    static = tmp_path / "static"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")},
        "DATABASE_URL": pg.url("tracker"),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, "manage.py"]
    for args in (["migrate", "-v0"], ["loaddata", "reference", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + args, cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)
    token = subprocess.run(
        manage + ["shell", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/api/v1/districts/", timeout=20)
        except urllib.error.HTTPError:
            break  # answered (401): up
        except OSError:  # not listening yet, or still loading
            time.sleep(0.2)
    yield pg, base, token
    gunicorn.terminate()
    gunicorn.wait(timeout=30)
    pg.destroy()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def signed_in_browser(base):
    """A cookie-keeping client signed in at /login/ as the fault test's manager."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
    page = browser.open(base + "/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "fault-manager", "password": "fault-pass-2025", "csrfmiddlewaretoken": token}
    ).encode()
    try:
        browser.open(
            urllib.request.Request(base + "/login/", data=form, headers={"Referer": base + "/login/"})
        )
    except urllib.error.HTTPError as answer:
        assert answer.code == 302  # signed in, sent on
    return browser


def page(browser, url):
    try:
        with browser.open(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def new_project(name):
    return {"name": name, "unit": "jlp-invest", "industry": "ADV-EIT", "negotiation_started_on": "2025-01-06"}


def count(base, token):
    status, _headers, body = call(base, "/api/v1/projects/?page_size=1", token=token)
    assert status == 200, body
    return json.loads(body)


def test_a_restart_of_postgresql_is_a_503_then_served_again(server):
    pg, base, token = server
    created = call(base, "/api/v1/projects/", token=token, body=new_project("故障前项目"))
    assert created[0] == 201, created[2]
    before = count(base, token)["results"]
    browser = signed_in_browser(base)
    assert page(browser, base + "/projects/")[0] == 200

    pg.stop()
    for path in ("/api/v1/projects/", "/api/v1/stats/?year=2025"):
        status, headers, body = call(base, path, token=token)
        assert status == 503, (path, body)
        answer = json.loads(body)
        assert answer["code"] == "database_unavailable" and headers["Retry-After"] == "5"
    status, _headers, body = call(base, "/api/v1/projects/", token=token, body=new_project("故障中项目"))
    assert status == 503 and json.loads(body)["code"] == "database_unavailable"
    status, text = page(browser, base + "/projects/")
    assert status == 503 and "数据库暂时不可用" in text

    pg.start()
    served = []
    for _ in range(10):  # each worker reconnects on its next request (CONN_HEALTH_CHECKS)
        served.append(call(base, "/api/v1/projects/", token=token)[0])
    assert served == [200] * 10
    assert page(browser, base + "/projects/")[0] == 200
    after = count(base, token)["results"]
    assert [p["name"] for p in after] == [p["name"] for p in before] == ["故障前项目"]
    assert call(base, "/api/v1/projects/", token=token, body=new_project("恢复后项目"))[0] == 201
