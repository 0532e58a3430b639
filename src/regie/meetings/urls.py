from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_create, name="create"),
    path("fora/", views.forum_list, name="forums"),
    path("fora/nieuw/", views.forum_edit, name="forum_create"),
    path("fora/<int:pk>/bewerken/", views.forum_edit, name="forum_edit"),
    path("fora/<int:pk>/informatiedeling/", views.forum_sharing, name="forum_sharing"),
    path("acties/", views.action_list, name="actions"),
    path("acties/<int:pk>/", views.action_detail, name="action"),
    path("opschalingen/", views.escalation_list, name="escalations"),
    path("opschalingen/<int:pk>/", views.escalation_detail, name="escalation"),
    path("punten/<int:pk>/delen/", views.item_sharing, name="item_sharing"),
    path("punten/<int:pk>/besluit/", views.item_decide, name="decide"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/agenda/", views.meeting_generate, name="generate"),
    path("<int:pk>/delen/", views.meeting_share, name="share"),
    path("<int:pk>/afsluiten/", views.meeting_close, name="close"),
    path("<int:pk>/verslag/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/acties/", views.meeting_actions, name="actions_of"),
]
