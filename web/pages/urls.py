from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from web.home.views import home
from web.pages import investors, milestones, progress, projects, reminders
from web.supervision import views as supervision

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/pages/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", home, name="home"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/export.xlsx", projects.project_export, name="projects-export"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/milestone/", milestones.milestone_record, name="milestone-record"),
    path("projects/<int:pk>/void/", milestones.event_void, name="event-void"),
    path("projects/<int:pk>/requests/new/", supervision.request_create, name="request-create"),
    path("progress/", progress.progress_sheet, name="progress"),
    path("requests/", RedirectView.as_view(url="/supervision/?source=request&status=all"), name="requests"),
    path("reminders/", reminders.reminder_list, name="reminders"),
    path("reminders/issue/", reminders.reminders_issue, name="reminders-issue"),
    path("reminders/<int:pk>/", reminders.reminder_detail, name="reminder-detail"),
    path("reminders/<int:pk>/acknowledge/", reminders.reminder_acknowledge_view, name="reminder-acknowledge"),
    path("investors/", investors.investor_list, name="investors"),
    path("investors/new/", investors.investor_create, name="investor-create"),
    path("investors/<int:pk>/edit/", investors.investor_edit, name="investor-edit"),
]
