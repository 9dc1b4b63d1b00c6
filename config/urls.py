from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("api/v1/", include(("webhooks.urls", "webhooks"))),
    path("", include("web.urls")),
]

# JSON under /api/ (api.handlers), Django's HTML pages elsewhere.
handler400 = "api.handlers.bad_request"
handler404 = "api.handlers.not_found"
handler500 = "api.handlers.server_error"
