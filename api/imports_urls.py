"""The 台账 import's endpoints, included under /api/v1/."""

from django.urls import path

from api import imports

urlpatterns = [
    path("imports/", imports.ImportView.as_view(), name="api-imports"),
    path("imports/<int:pk>/", imports.ImportDetailView.as_view(), name="api-import"),
    path("imports/<int:pk>/errors.xlsx", imports.ImportErrorsView.as_view(), name="api-import-errors"),
]
