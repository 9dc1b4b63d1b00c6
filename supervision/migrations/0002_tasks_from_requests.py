"""Every 诉求 (pipeline.Request) becomes a 督办事项 with source `request`, nothing lost: its
project, category, content, unit, dates and who raised it; a resolved one becomes a closed task
with its resolution as the reported 办理情况 and its resolution date as the closing date, so the
counts and the rates (resolved ↔ closed, resolved_on ≤ due_date ↔ closed on time) are the same."""

from django.db import migrations


def forward(apps, schema_editor):
    Request = apps.get_model("pipeline", "Request")
    Task = apps.get_model("supervision", "Task")
    TaskStep = apps.get_model("supervision", "TaskStep")
    for request in Request.objects.select_related("project").order_by("id").iterator():
        if Task.objects.filter(legacy_request_id=request.pk).exists():
            continue
        resolved = request.status == "resolved"
        task = Task.objects.create(
            district_id=request.project.district_id,
            project_id=request.project_id,
            unit_id=request.assigned_unit_id,
            source="request",
            category=request.category,
            content=request.description,
            assigned_on=request.raised_on,
            due_date=request.due_date,
            status="closed" if resolved else "open",
            reported_on=request.resolved_on if resolved else None,
            closed_on=request.resolved_on if resolved else None,
            closed_by_id=request.resolved_by_id if resolved else None,
            created_by_id=request.raised_by_id,
            legacy_request_id=request.pk,
        )
        steps = [
            TaskStep(task=task, kind="assigned", date=request.raised_on, to_unit_id=request.assigned_unit_id,
                     by_id=request.raised_by_id)
        ]
        if resolved:
            steps.append(TaskStep(task=task, kind="reported", date=request.resolved_on, text=request.resolution,
                                  by_id=request.resolved_by_id))
            steps.append(TaskStep(task=task, kind="closed", date=request.resolved_on, by_id=request.resolved_by_id))
        TaskStep.objects.bulk_create(steps)


def backward(apps, schema_editor):
    Task = apps.get_model("supervision", "Task")
    TaskStep = apps.get_model("supervision", "TaskStep")
    TaskStep.objects.filter(task__legacy_request_id__isnull=False).delete()
    Task.objects.filter(legacy_request_id__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial"), ("pipeline", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
