"""Pages of the programme office."""

from django.urls import URLPattern, URLResolver, path

from synergy_hub.programmes import views

app_name = "programmes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("kpi/", views.kpi_page, name="kpi"),
    path("kpi.csv", views.kpi_csv, name="kpi_csv"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("projects/", views.projects, name="projects"),
    path("platforms/", views.platforms, name="platforms"),
    path("scenarios/", views.scenarios, name="scenarios"),
]
