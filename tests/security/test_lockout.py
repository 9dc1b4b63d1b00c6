"""Finding 5 (issue 12): 100 wrong passwords in a minute all got 200 and the right one then
signed in. Now failures lock out the account and the address (django-axes) at /login/,
/admin/login/ and for API tokens, with a clear 429, until the lockout ends or an
administrator lifts it."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

LIMIT = settings.LOGIN_FAILURE_LIMIT
PASSWORD = "right-password-2025"


@pytest.fixture
def clerk(staff):
    staff.set_password(PASSWORD)
    staff.save()
    return staff


def sign_in(client, username, password, url="/login/"):
    return client.post(url, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account(clerk, url):
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [sign_in(client, clerk.username, f"guess-{n}", url).status_code for n in range(LIMIT)]
    assert answers[:-1] == [200] * (LIMIT - 1)
    assert answers[-1] == 429
    response = sign_in(client, clerk.username, PASSWORD, url)
    assert response.status_code == 429 and not signed_in(client)
    assert "登录失败次数过多" in response.content.decode()
    assert int(response["Retry-After"]) == settings.LOGIN_LOCKOUT_MINUTES * 60
    # Locked by account: another address does not help.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert sign_in(other, clerk.username, PASSWORD).status_code == 429 and not signed_in(other)


def test_guessing_many_accounts_locks_the_address(clerk):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(LIMIT):
        sign_in(client, f"nobody-{n}", "guess")
    assert sign_in(client, clerk.username, PASSWORD).status_code == 429 and not signed_in(client)
    elsewhere = Client(REMOTE_ADDR="198.51.100.10")
    assert sign_in(elsewhere, clerk.username, PASSWORD).status_code == 302 and signed_in(elsewhere)


def test_an_administrator_unlocks_the_account(clerk):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(LIMIT):
        sign_in(client, clerk.username, f"guess-{n}")
    assert sign_in(client, clerk.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", clerk.username)
    call_command("axes_reset_ip", "203.0.113.9")
    assert sign_in(client, clerk.username, PASSWORD).status_code == 302 and signed_in(client)


def test_a_success_clears_the_count(clerk):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _round in range(3):
        for n in range(LIMIT - 1):
            assert sign_in(client, clerk.username, f"guess-{n}").status_code == 200
        assert sign_in(client, clerk.username, PASSWORD).status_code == 302
        client.logout()


def test_wrong_api_tokens_lock_the_address(db):
    reader = factories.system_user(username="reader", read_only=True)
    good = Token.objects.create(user=reader).key
    guesser = APIClient(REMOTE_ADDR="203.0.113.11")
    answers = []
    for n in range(LIMIT):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {n:040x}")
        answers.append(guesser.get("/api/v1/projects/").status_code)
    assert answers[:-1] == [401] * (LIMIT - 1)
    assert answers[-1] == 429
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    response = guesser.get("/api/v1/projects/")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "登录失败次数过多" in response.json()["detail"]
    honest = APIClient(REMOTE_ADDR="198.51.100.12")
    honest.credentials(HTTP_AUTHORIZATION=f"Token {good}")
    assert honest.get("/api/v1/projects/").status_code == 200


def test_lockouts_are_lifted_in_the_admin_by_an_administrator_only(clerk, manager):
    locked = Client(REMOTE_ADDR="203.0.113.12")
    for n in range(LIMIT):
        sign_in(locked, clerk.username, f"guess-{n}")
    root = factories.UserFactory(is_superuser=True, is_staff=True, username="root")
    admin = Client()
    admin.force_login(root)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and clerk.username in listing.content.decode()
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(*Permission.objects.filter(codename__contains="accessattempt"))
    as_manager = Client()
    as_manager.force_login(manager)
    assert as_manager.get("/admin/axes/accessattempt/").status_code == 403
