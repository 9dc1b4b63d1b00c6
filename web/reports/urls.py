from django.urls import path

from web.reports import districts, views

urlpatterns = [
    path("ledger/", views.ledger_latest, name="ledger"),
    path("ledger/<str:month>/", views.ledger_month, name="ledger-month"),
    path("ledger/<str:month>/export.xlsx", views.ledger_export, name="ledger-export"),
    path("ledger/<str:month>/publish/", views.ledger_publish_view, name="ledger-publish"),
    path("stats/", views.stats_page, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats-export"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("districts/", districts.district_compare, name="districts"),
]
