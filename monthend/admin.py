"""The month end's records in the admin, read only: they are written through monthend's
services (publishing, targets, weights), which keep their history."""

from django.contrib import admin

from accounts.roles import district_scope
from monthend.models import Publication, Scorecard, ScoreWeights, TargetChange, TargetSheet


class ReadOnly(admin.ModelAdmin):
    district_field = "district"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(district_scope(request.user, f"{self.district_field}_id"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnly):
    district_field = "ledger__district"
    list_display = ("ledger", "gaps", "gaps_confirmed", "created_at")
    exclude = ("report_docx",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "report_docx"]


@admin.register(TargetSheet)
class TargetSheetAdmin(ReadOnly):
    list_display = ("district", "year", "updated_by", "updated_at")


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnly):
    district_field = "sheet__district"
    list_display = ("sheet", "changed_by", "changed_at", "reason")


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(ReadOnly):
    list_display = ("district", "set_by", "set_at")


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnly):
    list_display = ("district", "date_from", "date_to", "stored_at")
