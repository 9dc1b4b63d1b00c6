"""Django's error views (config/urls.py handler400/404/500), answering JSON under /api/.

Refusals inside an API view already go through api.errors.exception_handler. These cover what
happens before any view runs or outside DRF: a URL that matches no route (/api/v1/nope/,
/api/v1/projects/abc/), a body over DATA_UPLOAD_MAX_MEMORY_SIZE read by a middleware, a
server error. Integrators get the same ``{"detail", "code"}`` as every other refusal; pages
outside /api/ keep Django's HTML views.

With DEBUG on, Django shows its debug pages instead of these views (handlers are for production).
"""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, DataError, IntegrityError
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views import defaults
from psycopg.errors import QueryCanceled

from api.errors import too_large_body

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX) or request.path_info == API_PREFIX.rstrip("/")


def error_response(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request, exception=None):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    if isinstance(exception, Resolver404):
        detail = _("接口地址“%(path)s”不存在，请对照 /api/docs/ 检查。") % {"path": request.path[:200]}
    else:
        detail = _("记录不存在或不在您的查看范围内。")
    return error_response({"detail": detail, "code": "not_found"}, 404)


def bad_request(request, exception=None):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return error_response(too_large_body(), 413)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        detail = _("请求中的字段或文件过多。")
    else:
        detail = _("请求无效，无法处理。")
    return error_response({"detail": detail, "code": "bad_request"}, 400)


def server_error(request):
    failure = sys.exc_info()[1]
    if isinstance(failure, DatabaseError) and not isinstance(failure, DataError | IntegrityError):
        return database_unavailable(request, failure)
    if not is_api(request):
        return defaults.server_error(request)
    return error_response({"detail": _("服务器内部错误，请稍后重试。"), "code": "server_error"}, 500)


def database_unavailable(request, failure):
    """The database is gone (restarted, unreachable) or cancelled a statement that ran past
    STATEMENT_TIMEOUT: a 503 saying so, drawn without touching the database. The request's
    transaction was rolled back by the database; the next request reconnects
    (CONN_HEALTH_CHECKS)."""
    if isinstance(getattr(failure, "__cause__", None), QueryCanceled):
        detail = _("本次请求超过了 %(seconds)s 秒的处理时限，已取消，未作任何修改；请缩小范围后重试。")
        detail %= {"seconds": settings.STATEMENT_TIMEOUT}
        code, retry = "request_timeout", None
    else:
        detail = _("数据库暂时不可用，本次请求未作任何修改；请稍后重试。")
        code, retry = "database_unavailable", "5"
    if is_api(request):
        response = error_response({"detail": detail, "code": code}, 503)
    else:
        title = _("服务暂时不可用")
        response = HttpResponse(
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"</head><body><h1>{escape(title)}</h1><p>{escape(detail)}</p></body></html>",
            status=503,
        )
    if retry:
        response["Retry-After"] = retry
    return response
