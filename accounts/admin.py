from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "unit",
        "district",
        "read_only",
        "is_active",
    )
    list_filter = ("role", "district", "read_only", "is_active")
    list_select_related = ("unit__district", "district")
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("角色与范围"), {"fields": ("role", "unit", "district", "read_only")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与范围"), {"fields": ("role", "unit", "district", "read_only")}),
    )
