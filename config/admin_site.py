"""The admin site: open only to whom accounts.roles.can_use_admin lets in (administrators and
district managers); every ModelAdmin scopes its rows through accounts/roles.py."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class TrackerAdminSite(admin.AdminSite):
    def has_permission(self, request):
        from accounts.roles import can_use_admin  # imported once the apps are loaded

        return can_use_admin(request.user)


class TrackerAdminConfig(AdminConfig):
    """django.contrib.admin (in INSTALLED_APPS in its place) with TrackerAdminSite as admin.site."""

    default_site = "config.admin_site.TrackerAdminSite"

    def ready(self):
        super().ready()
        from config import startup  # noqa: F401 (registers the deployment check on static files)
