"""The project row lock every write to a project takes first."""

from django.utils.translation import gettext as _

from core.errors import Conflict
from projects.models import Project


def lock_project(project_id: int, expected_version: int | None = None) -> Project:
    """Lock the project row for this transaction; refuse if the caller saw an older version."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if expected_version is not None and project.version != expected_version:
        raise Conflict(
            _("该项目已被他人修改（当前版本 %(current)s，您提交的版本 %(sent)s），请刷新后重试。")
            % {"current": project.version, "sent": expected_version}
        )
    return project
