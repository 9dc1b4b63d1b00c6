"""Turn every refusal into JSON with a stable `code` and a Chinese `detail` (filled in by the API issue)."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    return drf_exception_handler(exc, context)
