from django.urls import path

from synergy_hub.assistant import views

app_name = "assistant"

urlpatterns = [
    path("workspace/assistant/", views.assistant_page, name="page"),
    path("workspace/assistant/send/", views.send, name="send"),
    path(
        "workspace/assistant/conversations/<int:pk>/",
        views.conversation_page,
        name="conversation",
    ),
    path(
        "workspace/assistant/conversations/<int:pk>/turns/<int:turn>/rerun/",
        views.rerun,
        name="rerun",
    ),
    path("workspace/assistant/conversations/<int:pk>/delete/", views.delete, name="delete"),
    path("workspace/assistant/drafts/<int:pk>/confirm/", views.confirm, name="confirm"),
]
