from django.urls import path

from web.monthend import scorecard, views

urlpatterns = [
    path("month-end/", views.month_end_latest, name="month-end-latest"),
    path("month-end/<str:month>/", views.month_end_desk, name="month-end"),
    path("month-end/<str:month>/publish/", views.publish, name="month-end-publish"),
    path("projects/<int:pk>/exit-reviews/new/", views.review_open, name="exit-review-open"),
    path("exit-reviews/<int:pk>/", views.review_detail, name="exit-review"),
    path("exit-reviews/<int:pk>/opinions/", views.review_opinion, name="exit-review-opinion"),
    path("exit-reviews/<int:pk>/decide/", views.review_decide, name="exit-review-decide"),
    path("ledger/<str:month>/report/", views.report_page, name="ledger-report"),
    path("ledger/<str:month>/report.docx", views.report_docx, name="ledger-report-docx"),
    path("scorecard/", scorecard.scorecard_page, name="scorecard"),
    path("scorecard/export.xlsx", scorecard.scorecard_export, name="scorecard-export"),
    path("scorecard/targets/", scorecard.targets_page, name="targets"),
]
