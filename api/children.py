"""Records under /projects/{project_id}/…: the project is looked up in the caller's scope
first (404 outside it), and a write answers with the project's new version as its ETag."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.base import ApiViewSet
from api.concurrency import etag
from projects.models import Project
from projects.selectors import project_queryset

PROJECT_ID = OpenApiParameter("project_id", int, OpenApiParameter.PATH, description=gettext_lazy("项目 id"))


class ProjectChildViewSet(ApiViewSet):
    """Records under /projects/{project_id}/…: the project is looked up in the caller's
    scope first (404 outside it)."""

    lookup_value_regex = r"[0-9]+"

    def get_project(self):
        if not hasattr(self, "_project"):
            try:
                self._project = project_queryset(self.request.user).get(pk=self.kwargs["project_id"])
            except (ValueError, OverflowError, Project.DoesNotExist):
                raise NotFound(_("项目不存在或不在您的查看范围内。")) from None
        return self._project

    def _with_etag(self, data, project, status_code):
        project.refresh_from_db(fields=["version"])  # the service moved it on
        return Response(data, status=status_code, headers={"ETag": etag(project)})
