"""Pages of the access workflow (requests, offers, agreements, usage, capacity)."""

from django.urls import URLPattern, URLResolver, path

from synergy_hub.access.views import (
    agreements,
    capacity_calendar,
    negotiation,
    notifications,
    policy_editor,
    rounds,
)

app_name = "access"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", negotiation.inbox, name="inbox"),
    path("resources/<int:pk>/request/", negotiation.new_request, name="request_new"),
    path("resources/<int:pk>/calendar/", capacity_calendar.calendar, name="calendar"),
    path("resources/<int:pk>/policy/", policy_editor.resource_policy, name="resource_policy"),
    path("requests/<int:pk>/", negotiation.request_detail, name="request"),
    path("requests/<int:pk>/offer/", negotiation.offer, name="offer"),
    path("requests/<int:pk>/counter/", negotiation.counter, name="counter"),
    path("requests/<int:pk>/reject/", negotiation.reject, name="reject"),
    path(
        "requests/<int:pk>/<str:action>/",
        negotiation.step,
        name="request_step",
    ),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/use/", agreements.record_use, name="record_use"),
    path("agreements/<int:pk>/terminate/", agreements.terminate, name="terminate"),
    path("agreements/<int:pk>/suspend/", agreements.suspend, name="suspend"),
    path("agreements/<int:pk>/restrict/", agreements.restrict, name="restrict"),
    path("agreements/<int:pk>/resume/", agreements.resume, name="resume"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/report/", rounds.round_report, name="round_report"),
    path("rounds/requests/<int:pk>/", rounds.round_request_detail, name="round_request"),
    path("policy/preview/", policy_editor.preview, name="policy_preview"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
]
