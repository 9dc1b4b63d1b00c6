"""Every refusal as JSON with a stable `code` and a Chinese `detail`.

- ServiceError (core.errors): its status, ``{"detail", "code"(, "field")}``.
- Validation errors (DRF serializers, filters, Django's full_clean): 400 with the field map
  DRF gives (``{"<field>": ["..."]}``) plus ``detail``, ``code`` and, for one field, ``field``.
- Other DRF errors keep their shape (``{"detail"}``) plus a ``code``.
- Anonymous or bad credentials: 401 with ``WWW-Authenticate: Token``.
- Values the database itself refuses (out-of-range numbers that slipped through): 400,
  never a 500.
- A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 with code ``request_too_large``.
- A body that is not JSON, or JSON nested too deep (api.parsers): 400 with code ``parse_error``.

What fails before a view runs (no route, a body read by a middleware) is answered in the same
shape by api.handlers.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from api.parsers import NestedTooDeep
from core.errors import ServiceError

# DRF's per-field codes folded into the vocabulary the services use.
MISSING_CODES = {"required", "null", "blank"}
KEPT_CODES = {"unknown_parameter", "unknown_field", "invalid_value", "missing_field"}

# Every `code` a response of the API carries: the services' (core.errors), the input checks',
# DRF's own refusals and those answered before a view (api.handlers). The schema's Error.code
# is this enum (api.openapi) and tests/api/test_error_codes.py holds every response to it.
ERROR_CODES = frozenset(
    {
        # 400
        "missing_field",
        "invalid_value",
        "unknown_parameter",
        "unknown_field",
        "illegal_transition",
        "date_out_of_order",
        "date_in_future",
        "not_voidable",
        "duplicate",
        "gaps_not_confirmed",
        "parse_error",
        "bad_request",
        # 401, 403, 404, 405, 406
        "not_authenticated",
        "authentication_failed",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "not_acceptable",
        # 409, 412, 413, 415, 422, 429
        "idempotency_key_in_use",
        "conflict",
        "request_too_large",
        "unsupported_media_type",
        "idempotency_key_reused",
        "throttled",
        "locked_out",
        # 500, 503
        "server_error",
        "request_timeout",
        "database_unavailable",
    }
)


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses to read the body (request.body); unhandled it would be an HTML 400.
        return Response(too_large_body(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        # Django's own 404 (get_object_or_404, an unmatched ?format=): DRF answers it, and
        # the body below needs DRF's exception to read its code from.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, DataError):
        exc = exceptions.ValidationError(_("提交的数值超出允许范围。"), code="invalid_value")
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(_("与已有记录冲突，未保存。"), code="duplicate")

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, NestedTooDeep):
        response.data = {"detail": str(exc.detail), "code": "parse_error"}
    elif isinstance(exc, exceptions.ParseError):
        response.data = {
            "detail": _("请求正文不是合法的 JSON（%(reason)s）。") % {"reason": _first_message(exc.detail)},
            "code": "parse_error",
        }
    else:
        response.data = _plain_body(exc, response)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF answers 403 when the first authenticator (session) sends no challenge;
        # docs/api.md says 401 for anonymous callers.
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def too_large_body() -> dict:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return {
        "detail": _("请求正文过大（上限 %(limit)s 字节），未处理。") % {"limit": limit},
        "code": "request_too_large",
    }


def _django_errors(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return exc.messages


def _first_code(codes) -> str:
    while isinstance(codes, dict | list):
        if not codes:
            return "invalid"
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def _api_code(raw: str) -> str:
    if raw in MISSING_CODES:
        return "missing_field"
    if raw in KEPT_CODES or raw == "duplicate":
        return raw
    return "invalid_value"


def _first_message(detail) -> str:
    while isinstance(detail, dict | list):
        if not detail:
            return ""
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


# What an error echoes of the request is capped: 200,000 unknown keys came back as 11.5 MB.
MAX_ECHOED_FIELDS = 20
MAX_ECHOED_NAME = 64


def _echoed(name) -> str:
    name = str(name)
    return name if len(name) <= MAX_ECHOED_NAME else name[:MAX_ECHOED_NAME] + "…"


def _validation_body(exc: exceptions.ValidationError) -> dict:
    code = _api_code(_first_code(exc.get_codes()))
    if isinstance(exc.detail, dict):
        fields = [name for name in exc.detail if name != "non_field_errors"]
        shown = fields[:MAX_ECHOED_FIELDS]
        body = {_echoed(name): exc.detail[name] for name in shown}
        if "non_field_errors" in exc.detail:
            body["non_field_errors"] = exc.detail["non_field_errors"]
        if fields:
            names = "、".join(_echoed(name) for name in shown)
            if len(fields) > len(shown):
                names = _("%(names)s 等 %(count)s 个字段") % {"names": names, "count": len(fields)}
            body["detail"] = _("请求有误，请检查：%(fields)s。%(message)s") % {
                "fields": names,
                "message": _first_message(exc.detail),
            }
        else:
            body["detail"] = _first_message(exc.detail)
        body["code"] = code
        if len(fields) == 1:
            body["field"] = _echoed(fields[0])
        return body
    return {"detail": _first_message(exc.detail), "code": code}


def _plain_body(exc, response) -> dict:
    data = response.data if isinstance(response.data, dict) else {"detail": _first_message(response.data)}
    # One code for every 403, whether DRF or a service refused.
    code = "forbidden" if isinstance(exc, exceptions.PermissionDenied) else _first_code(exc.get_codes())
    if code not in ERROR_CODES:  # a refusal DRF names otherwise keeps to the documented codes
        code = "bad_request" if response.status_code < 500 else "server_error"
    return {**data, "code": code}
