"""Brute-force protection (django-axes): what is counted, and the message a locked-out caller
reads. config/lockout.py draws the response; api/authentication.py counts failed tokens.

Failed sign-ins at /login/ and /admin/login/ count against the account and, separately,
against the address (LOGIN_FAILURE_LIMIT each, within LOGIN_LOCKOUT_MINUTES); failed API
tokens against the address only (a token names no account). A successful sign-in clears that
account's and address's count. An administrator unlocks from the admin (Axes → access
attempts: delete the rows) or with `manage.py axes_reset_username NAME`, `axes_reset_ip
ADDRESS` or `axes_reset`.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """By account and, separately, by address; API tokens by address only."""
    if (getattr(request_or_attempt, "path_info", "") or "").startswith(API_PREFIX):
        return ["ip_address"]
    return ["username", "ip_address"]


def lockout_message() -> str:
    return _(
        "登录失败次数过多，该账号或该地址已被暂时锁定；请 %(minutes)s 分钟后再试，或请系统管理员解锁。"
    ) % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is: a locked-out account or address is refused. A call
    without a request (a script, the test client's login) comes from no caller to count."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class AccountBackend(ModelBackend):
    """Django's password check, for the accounts that may sign in with one
    (accounts.roles.can_sign_in_with_password): a system account's password does not open the
    pages or the admin."""

    def user_can_authenticate(self, user):
        from accounts.roles import can_sign_in_with_password

        return super().user_can_authenticate(user) and can_sign_in_with_password(user)
