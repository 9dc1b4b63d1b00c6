from django.urls import path

from web.reports import views

urlpatterns = [
    path("ledger/", views.placeholder, name="ledger"),
    path("ledger/<str:month>/", views.placeholder, name="ledger-month"),
    path("stats/", views.placeholder, name="stats"),
    path("dashboard/", views.placeholder, name="dashboard"),
]
