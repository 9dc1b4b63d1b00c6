from django.urls import path

from web.imports import views

urlpatterns = [
    path("imports/", views.import_upload, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/commit/", views.import_commit_page, name="import-commit"),
    path("imports/<int:pk>/status/", views.import_status, name="import-status"),
    path("imports/<int:pk>/report.xlsx", views.import_errors, name="import-report"),
]
