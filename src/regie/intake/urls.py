from django.urls import path

from . import attachment_views, views

app_name = "intake"

urlpatterns = [
    path("meld-een-vermoeden/", views.report_suspicion, name="suspicion"),
    path("mijn-meldingen/", views.my_reports, name="my_reports"),
    path("signalen/", views.signal_list, name="list"),
    path("signalen/nieuw/", views.signal_create, name="create"),
    path("signalen/importeren/", views.signal_import, name="import"),
    path("signalen/regels/", views.rules, name="rules"),
    path("signalen/bevragingen/", views.questions, name="questions"),
    path("signalen/bevragingen/<int:pk>/antwoord/", views.question_answer, name="answer"),
    path("signalen/<int:pk>/", views.signal_detail, name="detail"),
    path("signalen/<int:pk>/beoordelen/", views.signal_triage, name="triage"),
    path("signalen/<int:pk>/samenvoegen/", views.signal_combine, name="combine"),
    path("signalen/<int:pk>/bevragen/", views.signal_ask, name="ask"),
    path("signalen/<int:pk>/bijlagen/<int:attachment_pk>/", attachment_views.attachment_download, name="attachment"),
]
