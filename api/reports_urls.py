"""Ledger and statistics endpoints (owned by the ledger work); included under /api/v1/."""

from django.urls import path

from api import downloads, reports

urlpatterns = [
    path("ledgers/<str:month>/", reports.LedgerView.as_view(), name="api-ledger"),
    path("ledgers/<str:month>/ledger.xlsx", downloads.LedgerXlsxView.as_view(), name="api-ledger-xlsx"),
    path("ledgers/<str:month>/publish/", reports.LedgerPublishView.as_view(), name="api-ledger-publish"),
    path("stats/", reports.StatsView.as_view(), name="api-stats"),
    path("stats.xlsx", downloads.StatsXlsxView.as_view(), name="api-stats-xlsx"),
]
