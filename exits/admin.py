"""Exit reviews in the admin: read only (they are written through exits.services), scoped to the
projects the user sees."""

from django.contrib import admin

from accounts.roles import project_scope
from exits.models import ExitOpinion, ExitReview


class OpinionInline(admin.TabularInline):
    model = ExitOpinion
    extra = 0
    fields = ("source", "text", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExitReview)
class ExitReviewAdmin(admin.ModelAdmin):
    list_display = (
        "project",
        "proposal",
        "opened_on",
        "decision",
        "decided_on",
        "keep_until",
        "reclaimed_land_mu",
    )
    list_filter = ("proposal", "decision", "project__district")
    search_fields = ("project__name", "project__code")
    list_select_related = ("project",)
    inlines = [OpinionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(project_scope(request.user, prefix="project__"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
