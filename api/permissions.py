"""Who may call the API at all. Row-level scope comes from the selectors (404 outside it)
and each write's own check in its service (403); both read accounts.roles."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import roles


class RolePermission(BasePermission):
    """Signed-in users read; only users who may write (not city users, not read-only
    accounts) send anything else."""

    message = _("您的账号只能查询，不能修改数据（市级用户或只读账号）。")
    code = "forbidden"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            return True
        return roles.can_write(user)
