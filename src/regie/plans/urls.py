from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("nieuw/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/toevoegen/", views.plan_add, name="add"),
    path("acties/<int:pk>/status/", views.action_status, name="action_status"),
    path("doelen/", views.goal_list, name="goals"),
    path("doelen/<int:pk>/", views.goal_detail, name="goal"),
    path("doelen/<int:pk>/vastleggen/", views.goal_change, name="goal_change"),
    path("aanbevelingen/", views.recommendation_list, name="recommendations"),
    path("aanbevelingen/overzicht/", views.overview, name="overview"),
    path("aanbevelingen/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("aanbevelingen/<int:pk>/stand/", views.recommendation_update, name="recommendation_update"),
]
