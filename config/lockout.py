"""What a caller locked out by django-axes sees (AXES_LOCKOUT_CALLABLE); the rules are in
accounts/signin.py."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from accounts.signin import API_PREFIX, lockout_message
from api.handlers import error_response


def lockout_response(request, original_response=None, credentials=None):
    """A 429 saying what happened and for how long: JSON under /api/, else the sign-in page."""
    if request.path_info.startswith(API_PREFIX):
        response = error_response({"detail": lockout_message(), "code": "locked_out"}, 429)
    else:
        context = {"form": AuthenticationForm(request), "locked_out": lockout_message()}
        response = render(request, "web/pages/login.html", context, status=429)
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response
