"""`Idempotency-Key` on POSTs under /api/v1/: a client that sends the same POST again with the
same key (a retry after a timeout) gets the first answer back, replayed, and nothing is
written twice.

- The key is the caller's (user, or token): two callers' keys never meet. It is kept for
  KEEP_FOR; after that the key may be used again.
- The same key with another method, path, query or body: 422 `idempotency_key_reused`.
- The same key while the first request is still being served: 409 `idempotency_key_in_use`.
- Only a success (2xx) is kept: a refusal wrote nothing, so sending it again is safe and is
  served afresh. A replay carries `Idempotent-Replayed: true`.

A middleware (after authentication) so that it covers every POST, whichever view serves it.
"""

import datetime as dt
import hashlib

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from api.handlers import error_response
from api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEEP_FOR = dt.timedelta(hours=24)
ABANDONED_AFTER = dt.timedelta(minutes=10)  # a claim whose request never finished
REPLAYED_HEADERS = ("Location", "ETag")


def _caller(request) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Token "):
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    return None


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None or not request.path_info.startswith("/api/v1/"):
            return self.get_response(request)
        if not (1 <= len(key) <= 255 and key.isascii() and key.isprintable()):
            return error_response(
                {
                    "detail": _("Idempotency-Key 应为 1 到 255 个可打印 ASCII 字符。"),
                    "code": "invalid_value",
                    "field": HEADER,
                },
                400,
            )
        caller = _caller(request)
        if caller is None:
            return self.get_response(request)  # refused as anonymous by the view
        try:
            fingerprint = _fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # refused with 413 by the view
        claim, earlier = self._claim(caller, key, fingerprint)
        if earlier is not None:
            return self._answer_again(earlier, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            claim.delete()
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            claim.status = response.status_code
            claim.content_type = response.get("Content-Type", "")
            claim.body = response.content
            claim.headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
            claim.save(update_fields=["status", "content_type", "body", "headers"])
        else:
            claim.delete()
        return response

    def _claim(self, caller, key, fingerprint):
        """Our own claim on the key, or the earlier request that holds it."""
        now = timezone.now()
        IdempotentRequest.objects.filter(caller=caller, key=key, created_at__lt=now - KEEP_FOR).delete()
        IdempotentRequest.objects.filter(
            caller=caller, key=key, status__isnull=True, created_at__lt=now - ABANDONED_AFTER
        ).delete()
        try:
            with transaction.atomic():
                return IdempotentRequest.objects.create(caller=caller, key=key, fingerprint=fingerprint), None
        except IntegrityError:
            return None, IdempotentRequest.objects.filter(caller=caller, key=key).first()

    def _answer_again(self, earlier, fingerprint):
        if earlier.fingerprint != fingerprint:
            return error_response(
                {
                    "detail": _(
                        "该 Idempotency-Key 已用于另一个请求（方法、地址或正文不同），请换一个新的。"
                    ),
                    "code": "idempotency_key_reused",
                    "field": HEADER,
                },
                422,
            )
        if earlier.status is None:
            return error_response(
                {
                    "detail": _("使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。"),
                    "code": "idempotency_key_in_use",
                    "field": HEADER,
                },
                409,
            )
        response = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type)
        for name, value in earlier.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response
