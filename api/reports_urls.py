"""Ledger and statistics endpoints (owned by the ledger work); included under /api/v1/."""

from django.urls import path

from api import reports

urlpatterns = [
    path("ledgers/<str:month>/", reports.LedgerView.as_view(), name="api-ledger"),
    path("ledgers/<str:month>/publish/", reports.LedgerPublishView.as_view(), name="api-ledger-publish"),
    path("stats/", reports.StatsView.as_view(), name="api-stats"),
]
