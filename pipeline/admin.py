from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import district_scope, project_scope, reminder_scope
from pipeline import project_admin  # noqa: F401  (registers the project admin)
from pipeline.models import MonthlyProgress, PublishedLedger, Reminder, Request, Review, StageEvent


class ScopedByProject(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(project_scope(request.user, prefix="project__"))


class ReadOnlyAdmin(ScopedByProject):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageEvent)
class StageEventAdmin(ReadOnlyAdmin):
    list_display = ("project", "stage", "date", "recorded_by", "recorded_at", "voided_at")
    list_filter = ("stage", "project__district")
    search_fields = ("project__name", "project__code", "contract_no")
    list_select_related = ("project", "recorded_by")
    date_hierarchy = "date"


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("project", "date", "decision", "recorded_by")
    list_filter = ("decision", "project__district")
    search_fields = ("project__name", "project__code")
    list_select_related = ("project", "recorded_by")


@admin.register(MonthlyProgress)
class MonthlyProgressAdmin(ReadOnlyAdmin):
    list_display = ("project", "month", "funds_in_place", "investment_completed", "updated_at")
    list_filter = ("project__district", "month")
    search_fields = ("project__name", "project__code")
    list_select_related = ("project",)


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ("project", "category", "assigned_unit", "due_date", "status", "resolved_on")
    list_filter = ("status", "category", "assigned_unit__district")
    search_fields = ("project__name", "description")
    list_select_related = ("project", "assigned_unit__district")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("unit", "month", "kind", "issued_at", "acknowledged_at")
    list_filter = ("kind", "unit__district")
    list_select_related = ("unit__district",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(reminder_scope(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedLedger)
class PublishedLedgerAdmin(admin.ModelAdmin):
    list_display = ("district", "month", "version", "published_by", "published_at")
    list_filter = ("district",)
    list_select_related = ("district", "published_by")
    exclude = ("data",)
    readonly_fields = ("district", "month", "version", "published_by", "published_at", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(district_scope(request.user))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = _("招商引资项目全生命周期管理")
admin.site.site_title = _("招商项目管理")
admin.site.index_title = _("系统管理")
