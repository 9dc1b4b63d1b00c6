"""OPTIONS for every API view (REST_FRAMEWORK's DEFAULT_METADATA_CLASS); its own module, importing
no model, because DRF loads it while reading its settings."""

from rest_framework.exceptions import APIException
from rest_framework.metadata import SimpleMetadata

from core.errors import ServiceError


class ApiMetadata(SimpleMetadata):
    """OPTIONS describes what it can: a view whose input or object cannot be worked out without
    a real request (a record under a project, a body not tied to a serializer_class) is
    described without its actions rather than answered with a 500; a refusal of the
    request itself (a malformed path parameter) stays the refusal."""

    def determine_actions(self, request, view):
        try:
            return super().determine_actions(request, view)
        except (APIException, ServiceError):
            raise  # a refusal of the request itself (a malformed month, a record out of scope)
        except Exception:  # noqa: BLE001 - a description is best effort, never a server error
            return {}
