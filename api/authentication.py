"""Token authentication that counts failures (django-axes, accounts/signin.py).

DRF's TokenAuthentication checks a token without going through Django's authenticate(), so
a caller guessing tokens was never counted. Here a wrong token is reported as a failed sign-in
(user_login_failed, the signal axes listens to) and counted against the caller's address; once
the address is locked out, even a good token from it is refused with a 429 until the lockout
ends or an administrator lifts it."""

import re

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, status

from accounts.signin import lockout_message


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message(), "locked_out")


# DRF's tokens: 40 hexadecimal digits. Anything else is refused before the database is asked
# (a NUL byte in a header was a PostgreSQL DataError answered as a 400).
TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))  # DRF's own words
        return super().authenticate_credentials(key)

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        django_request = request._request
        AxesProxyHandler.update_request(django_request)
        if not AxesProxyHandler.is_allowed(django_request, {}):
            raise LockedOut()
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            user_login_failed.send(sender=__name__, credentials={}, request=django_request)
            raise
