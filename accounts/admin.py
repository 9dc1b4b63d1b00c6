from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import User
from accounts.roles import can_manage_accounts


class ForAdministrators:
    """Accounts, groups, tokens, sign-in lockouts and background tasks are an administrator's
    (accounts.roles.can_manage_accounts): a manager who could edit them could make itself one,
    read another's token or lift a lockout."""

    def has_module_permission(self, request):
        return can_manage_accounts(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_manage_accounts(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return can_manage_accounts(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return can_manage_accounts(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage_accounts(request.user) and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(ForAdministrators, BaseUserAdmin):
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
        (_("角色与范围"), {"fields": ("role", "unit", "district", "read_only", "password_sign_in")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("角色与范围"), {"fields": ("role", "unit", "district", "read_only")}),
    )


# The task queue's results carry the arguments of imports and deliveries; the sign-in attempts
# (django-axes) are where an administrator lifts a lockout (delete the account's rows).
for model, base in (
    (Group, BaseGroupAdmin),
    (TokenProxy, BaseTokenAdmin),
    (DBTaskResult, DBTaskResultAdmin),
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (ForAdministrators, base), {}))
