"""OPTIONS for every API view (REST_FRAMEWORK's DEFAULT_METADATA_CLASS); its own module, with
nothing to import, because DRF loads it while reading its settings."""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    """OPTIONS describes what it can: a view whose input or object cannot be worked out without
    a real request (a record under a project, a body not tied to a serializer_class) is
    described without its actions rather than answered with a 500."""

    def determine_actions(self, request, view):
        try:
            return super().determine_actions(request, view)
        except Exception:  # noqa: BLE001 - a description is best effort, never a server error
            return {}
