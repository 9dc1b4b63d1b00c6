"""Imports in the admin, read only (every import goes through imports.services, which records
each change): who imported which file (name and SHA-256) into which district, when, how it ended
and its row counts; and the projects and milestones each one wrote. Scoped to the districts the
user sees (accounts.roles), like every admin list."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.roles import district_scope
from imports.models import ImportedRecord, ImportRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _summary(name: str, label):
    def count(_admin, run: ImportRun):
        return ((run.report or {}).get("summary") or {}).get(name, "—")

    count.short_description = label
    return count


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnly):
    list_display = (
        "file_name",
        "district",
        "uploaded_by",
        "created_at",
        "status",
        "rows_total",
        "created_count",
        "updated_count",
        "error_count",
        "committed_at",
    )
    list_filter = ("status", "district")
    search_fields = ("file_name", "sha256", "uploaded_by__username")
    list_select_related = ("district", "uploaded_by")
    date_hierarchy = "created_at"
    fields = (
        "file_name",
        "sha256",
        "district",
        "month",
        "uploaded_by",
        "created_at",
        "status",
        "rows_total",
        "rows_done",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "detail",
        "committed_at",
        "written",
    )
    readonly_fields = fields

    created_count = _summary("created", _("新建"))
    updated_count = _summary("updated", _("更新"))
    unchanged_count = _summary("unchanged", _("无变化"))
    error_count = _summary("errors", _("错误行"))

    def get_queryset(self, request):
        # The file itself and the full report stay out of the list (a 10,000-row report is MBs).
        return (
            super().get_queryset(request).filter(district_scope(request.user, "district_id")).defer("content")
        )

    @admin.display(description=_("说明"))
    def detail(self, run: ImportRun):
        return (run.report or {}).get("detail", "")

    @admin.display(description=_("写入的项目与节点"))
    def written(self, run: ImportRun):
        url = reverse("admin:imports_importedrecord_changelist") + f"?run__id__exact={run.pk}"
        return format_html('<a href="{}">{}</a>', url, _("查看导入记录"))


@admin.register(ImportedRecord)
class ImportedRecordAdmin(ReadOnly):
    list_display = ("run", "project", "created", "event", "date_unknown")
    list_filter = ("created", "date_unknown")
    search_fields = ("project__name", "project__code", "run__file_name")
    list_select_related = ("run", "project", "event")
    raw_id_fields = ("run", "project", "event")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(district_scope(request.user, "run__district_id"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
