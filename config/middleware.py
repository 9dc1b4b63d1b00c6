"""Request guards that sit in front of views we do not write ourselves."""

from django.http import HttpResponseBadRequest
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.translation import gettext as _

ADMIN_PREFIX = "/admin/"
# The admin's date drill-down (date_hierarchy) builds datetimes from these and steps one
# day, month or year past them without catching an overflow: keep them where that works.
DATE_PART_RANGES = {"__year": (1, 9998), "__month": (1, 12), "__day": (1, 31)}


BIGGEST_ID = 2**63 - 1
SEARCH = "q"


def _too_big(value: str) -> bool:
    """A whole number no id can be (SQLite cannot even bind it)."""
    digits = value.removeprefix("-")
    return digits.isascii() and digits.isdigit() and (len(digits) > 19 or int(digits) > BIGGEST_ID)


def _bad_admin_parameter(key: str, values: list[str]) -> bool:
    if "\x00" in key or any("\x00" in value for value in values):
        return True
    if key != SEARCH and any(_too_big(value) for value in values):
        return True
    for suffix, (low, high) in DATE_PART_RANGES.items():
        if key.endswith(suffix):
            return not all(
                value.isascii() and value.isdigit() and len(value) <= 4 and low <= int(value) <= high
                for value in values
            )
    return False


class AdminQueryGuard:
    """A query string the admin would answer with a server error is a 400 instead.

    The admin filters its lists by any lookup on a list_filter field (``?role__gte=…``) and
    runs the query only while drawing the page, where PostgreSQL refuses a NUL byte and SQLite
    a number beyond 64 bits; and its date drill-down overflows past year 9999. Our own pages
    and the API validate their parameters themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIX) and any(
            _bad_admin_parameter(key, values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(f"<p>{escape(_('参数值含有非法字符。'))}</p>")
        return self.get_response(request)


class ApiSlashOptional:
    """Under /api/, a path without its trailing slash is served as the path with it.

    Django's APPEND_SLASH would answer 301, and a client following it turns a POST into a GET:
    `POST /api/v1/projects` came back as 200 with the list, nothing created and no error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        bare = path.startswith("/api/") and not path.endswith("/")
        if bare and not _resolves(path) and _resolves(path + "/"):
            request.path_info += "/"
            request.path += "/"
        return self.get_response(request)


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class ChineseUnlessChosen:
    """Pages are Chinese unless the user chose English with the language switch (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser got the English site; the bureau's product is Chinese. The API keeps the header: an
    integrator asks for the English OpenAPI document with `Accept-Language: en`. Sits before
    LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
