"""The admin, for a bureau clerk or administrator. Stages change only through the services
(the 登记节点 / 作废节点 pages below); projects are never deleted."""

from django.contrib import admin

from projects import services
from projects.models import District, Industry, Investor, Park, Unit


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_code")
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "district")
    list_filter = ("district", "kind")
    search_fields = ("code", "name")


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "district")
    list_filter = ("district",)
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    list_filter = ("parent",)
    search_fields = ("code", "name")


@admin.register(Investor)
class InvestorAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "origin", "is_high_tech", "is_foreign", "is_listed")
    list_filter = ("is_high_tech", "is_foreign", "is_listed")
    search_fields = ("name", "credit_code")

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.INVESTOR_FIELDS if f in form.cleaned_data}
        if change:
            services.investor_update(investor=obj, by=request.user, **fields)
        else:
            form.instance = services.investor_create(by=request.user, **fields)
            obj.pk = form.instance.pk
