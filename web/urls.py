from django.urls import include, path

urlpatterns = [
    path("", include("web.pages.urls")),  # staff pages: home, projects, progress, requests
    path("", include("web.reports.urls")),  # ledger, statistics, dashboard
    path("", include("web.monthend.urls")),  # month end: screening, exit reviews, report, scorecard
    path("", include("web.supervision.urls")),  # 督办: board, tasks, meetings, task forces, replies
    path("", include("web.imports.urls")),  # the 台账 import: upload, preview, commit with progress
]
