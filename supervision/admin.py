"""The 督办 records in the admin: read-only (every write goes through the services, which record
the change); a unit's leaders (the names its letters are addressed to) are kept here."""

from django.contrib import admin

from accounts.roles import district_scope, project_scope
from supervision.letters import unit_leaders_set
from supervision.models import Letter, Meeting, Task, TaskForce, UnitLeaders


class ScopedByDistrict(admin.ModelAdmin):
    """Rows of the districts the user sees (accounts.roles), like everywhere else."""

    district_field = "district_id"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(district_scope(request.user, self.district_field))


class ReadOnly(ScopedByDistrict):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("content", "unit", "project", "source", "status", "due_date", "closed_on")
    list_filter = ("source", "status", "district")


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("date", "title", "kind", "chair", "district")


@admin.register(TaskForce)
class TaskForceAdmin(ReadOnly):
    list_display = ("project", "leader", "lead_unit")

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).filter(project_scope(request.user, "project__"))


@admin.register(Letter)
class LetterAdmin(ReadOnly):
    list_display = ("document_number", "reminder", "reply_due", "replied_on")


@admin.register(UnitLeaders)
class UnitLeadersAdmin(ScopedByDistrict):
    """Kept through the service, so a change is recorded like any other."""

    district_field = "unit__district_id"
    list_display = ("unit", "district_leader", "head")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = unit_leaders_set(
            unit=obj.unit, by=request.user, district_leader=obj.district_leader, head=obj.head
        )
        obj.pk = saved.pk
