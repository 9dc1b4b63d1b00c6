"""The background commit of a large import (django-tasks, worked by `manage.py db_worker`)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from imports.models import ImportRun
from imports.services import import_commit


@task()
def commit_import(run_id: int, user_id: int) -> str:
    run = ImportRun.objects.select_related("district").filter(pk=run_id).first()
    if run is None:
        return "missing"
    user = get_user_model().objects.get(pk=user_id)
    return import_commit(run=run, by=user).status
