from django.urls import path

from web.supervision import meetings, views

urlpatterns = [
    path("supervision/", views.board, name="supervision"),
    path("supervision/tasks/new/", views.task_create_view, name="task-create"),
    path("supervision/tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("supervision/tasks/<int:pk>/report/", views.task_report_view, name="task-report"),
    path("supervision/tasks/<int:pk>/verify/", views.task_verify_view, name="task-verify"),
    path("supervision/tasks/<int:pk>/reject/", views.task_reject_view, name="task-reject"),
    path("supervision/tasks/<int:pk>/reassign/", views.task_reassign_view, name="task-reassign"),
    path("supervision/meetings/", meetings.meeting_list, name="meetings"),
    path("supervision/meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("supervision/meetings/<int:pk>/", meetings.meeting_detail_view, name="meeting-detail"),
    path("projects/<int:pk>/task-force/", meetings.task_force_edit, name="task-force-edit"),
    path("reminders/<int:pk>/reply/", meetings.letter_reply_view, name="letter-reply"),
]
