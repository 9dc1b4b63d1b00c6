"""The admin, for a bureau clerk or administrator. Stages change only through the services
(the 登记节点 / 作废节点 pages below); projects are never deleted."""

from django.contrib import admin

from accounts.roles import reference_scope
from changes.recording import atomic, created, diff, record, snapshot
from core.errors import ServiceError
from projects import services
from projects.models import District, Industry, Investor, Park, Unit


class ServiceRefusalsAsFormErrors:
    """For a ModelAdmin whose save_model calls a service: a ServiceError it raises (Forbidden,
    Duplicate...) is not a 500 but the submitted form shown again, input kept, with the
    service's message beside its field. The admin's transaction rolled back: nothing written."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        error = getattr(request, "_service_error", None)
        if error is None:
            return form_class

        class WithServiceError(form_class):
            def clean(self):
                cleaned = super().clean()
                self.add_error(error.field if error.field in self.fields else None, str(error.message))
                return cleaned

        return WithServiceError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as error:
            # The admin's transaction rolled back; render the form again with the input kept.
            request._service_error = error
            return super().changeform_view(request, object_id, form_url, extra_context)


class RecordedInChangeLog:
    """Reference data (districts, units, parks, industries) is written only in the admin: each
    creation and change goes into the change log like every other fact (`reference.created`,
    `reference.updated`: who, when, channel `admin`, old → new, with the record's kind under
    "model"), in the admin's own transaction; deletions go through RecordedDeletion."""

    def _facts(self, obj) -> list[str]:
        return [
            f.name
            for f in obj._meta.concrete_fields
            if not f.primary_key
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        ]

    def save_model(self, request, obj, form, change):
        facts = self._facts(obj)
        before = snapshot(type(obj).objects.get(pk=obj.pk), facts) if change else {}
        with atomic():
            super().save_model(request, obj, form, change)
            after = snapshot(obj, facts)
            changes = diff(before, after) if change else created(after)
            if changes:
                model = obj._meta.model_name
                record(
                    "reference.updated" if change else "reference.created",
                    obj,
                    by=request.user,
                    changes={"model": [model if change else None, model], **changes},
                    district_id=obj.pk if model == "district" else getattr(obj, "district_id", None),
                )


class ScopedByDistrict(RecordedInChangeLog, admin.ModelAdmin):
    district_field = "district_id"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(reference_scope(request.user, self.district_field))


class RecordedDeletion:
    """Deleting in the admin goes through a service that records the deletion in the change
    log (`reference.deleted`, `investor.deleted`), one at a time or as the bulk action."""

    delete_service = staticmethod(services.reference_delete)

    def delete_model(self, request, obj):
        self.delete_service(obj=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with atomic():
            for obj in queryset:
                self.delete_service(obj=obj, by=request.user)


@admin.register(District)
class DistrictAdmin(RecordedDeletion, ScopedByDistrict):
    district_field = "pk"
    list_display = ("code", "name", "short_code")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(RecordedDeletion, ScopedByDistrict):
    list_display = ("code", "name", "kind", "district")
    list_filter = ("district", "kind")
    search_fields = ("code", "name")


@admin.register(Park)
class ParkAdmin(RecordedDeletion, ScopedByDistrict):
    list_display = ("code", "name", "district")
    list_filter = ("district",)
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(RecordedDeletion, admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    list_filter = ("parent",)
    search_fields = ("code", "name")


@admin.register(Investor)
class InvestorAdmin(RecordedDeletion, ServiceRefusalsAsFormErrors, admin.ModelAdmin):
    list_display = ("name", "credit_code", "origin", "is_high_tech", "is_foreign", "is_listed")
    list_filter = ("is_high_tech", "is_foreign", "is_listed")
    search_fields = ("name", "credit_code")
    delete_service = staticmethod(lambda obj, by: services.investor_delete(investor=obj, by=by))

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.INVESTOR_FIELDS if f in form.cleaned_data}
        if change:
            services.investor_update(investor=obj, by=request.user, **fields)
        else:
            form.instance = services.investor_create(by=request.user, **fields)
            obj.pk = form.instance.pk
