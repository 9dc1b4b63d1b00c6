"""The month end's endpoints (screening, exit reviews, targets, scorecards, the 专项报告);
included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api import exits, monthend

router = SimpleRouter()
router.register("exit-reviews", exits.ExitReviewViewSet, basename="exit-review")

urlpatterns = [
    *router.urls,
    path("screenings/<str:month>/", exits.ScreeningView.as_view(), name="api-screening"),
    path("ledgers/<str:month>/preflight/", monthend.PreflightView.as_view(), name="api-ledger-preflight"),
    path("ledgers/<str:month>/report.docx", monthend.ReportDocxView.as_view(), name="api-ledger-report"),
    path("targets/<str:year>/", monthend.TargetsView.as_view(), name="api-targets"),
    path("scorecards/", monthend.ScorecardView.as_view(), name="api-scorecards"),
    path("scorecards/weights/", monthend.WeightsView.as_view(), name="api-scorecard-weights"),
    path(
        "projects/<int:project_id>/exit-reviews/",
        exits.ProjectExitReviewViewSet.as_view({"get": "list", "post": "create"}),
        name="project-exit-reviews",
    ),
]
