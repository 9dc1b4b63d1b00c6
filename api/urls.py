"""/api/: the v1 endpoints, the OpenAPI document and its browsable docs (assets served
locally by drf-spectacular-sidecar)."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import (
    bulk,
    events,
    feed,
    history,
    investors,
    meetings,
    progress,
    projects,
    pulls,
    reference,
    reminders,
    reviews,
    tasks,
)

router = SimpleRouter()
router.register("districts", reference.DistrictViewSet, basename="district")
router.register("units", reference.UnitViewSet, basename="unit")
router.register("parks", reference.ParkViewSet, basename="park")
router.register("industries", reference.IndustryViewSet, basename="industry")
router.register("investors", investors.InvestorViewSet, basename="investor")
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("events", events.AllEventViewSet, basename="event")
router.register("progress", progress.AllProgressViewSet, basename="progress")
router.register("reminders", reminders.ReminderViewSet, basename="reminder")
router.register("tasks", tasks.TaskViewSet, basename="task")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("reviews", pulls.AllReviewViewSet, basename="review")
router.register("requests", pulls.AllRequestViewSet, basename="request")
router.register("changes", feed.ChangeFeedViewSet, basename="change")

project_events = events.EventViewSet
project_reviews = reviews.ReviewViewSet
project_progress = progress.ProgressViewSet

v1 = [
    *router.urls,
    *(
        path(f"exports/{name}.ndjson", view.as_view({"get": "list"}), name=f"export-{name}")
        for name, view in bulk.EXPORTS.items()
    ),
    path(
        "projects/<int:project_id>/events/",
        project_events.as_view({"get": "list", "post": "create"}),
        name="project-events",
    ),
    path(
        "projects/<int:project_id>/events/<int:event_id>/void/",
        project_events.as_view({"post": "void"}),
        name="project-event-void",
    ),
    path(
        "projects/<int:project_id>/reviews/",
        project_reviews.as_view({"get": "list", "post": "create"}),
        name="project-reviews",
    ),
    path(
        "projects/<int:project_id>/history/",
        history.HistoryViewSet.as_view({"get": "list"}),
        name="project-history",
    ),
    path(
        "projects/<int:project_id>/progress/",
        project_progress.as_view({"get": "list"}),
        name="project-progress",
    ),
    path(
        "projects/<int:project_id>/progress/<str:month>/",
        project_progress.as_view({"get": "retrieve", "put": "update"}),
        name="project-progress-month",
    ),
    path(
        "projects/<int:project_id>/task-force/",
        meetings.TaskForceViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="project-task-force",
    ),
    path(
        "reminders/<int:pk>/reply/",
        meetings.LetterReplyViewSet.as_view({"post": "create"}),
        name="reminder-reply",
    ),
    path("stats/tasks/", tasks.TaskStatsView.as_view(), name="api-stats-tasks"),
]

urlpatterns = [
    # Namespaced: the web pages use plain names such as "project-detail".
    path("v1/", include((v1, "api-v1"))),
    # Ledger and statistics (their own module, built on the ledger selectors).
    path("v1/", include("api.reports_urls")),
    # The month end: screening, exit reviews, targets, scorecards, the 专项报告.
    path("v1/", include("api.monthend_urls")),
    # The 台账 import (multipart upload, preview, commit, the background job's status).
    path("v1/", include("api.imports_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file (the Content-Security-Policy runs no inline
    # script); Swagger UI sets inline styles, allowed on this page only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]
