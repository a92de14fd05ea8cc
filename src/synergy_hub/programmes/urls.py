"""Pages of the programme office."""

from django.urls import URLPattern, URLResolver, path

from synergy_hub.programmes import views, workflow_views

app_name = "programmes"

urlpatterns: list[URLPattern | URLResolver] = [
    path("kpi/", views.kpi_page, name="kpi"),
    path("kpi.csv", views.kpi_csv, name="kpi_csv"),
    path("kpi.xlsx", views.kpi_xlsx, name="kpi_xlsx"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", workflow_views.project, name="project"),
    path("projects/<int:pk>/report/", workflow_views.report, name="report"),
    path("projects/<int:pk>/evaluate/", workflow_views.evaluate, name="evaluate"),
    path("evidence/<int:pk>/", workflow_views.evidence, name="evidence"),
    path("platforms/", views.platforms, name="platforms"),
    path("platforms/new/", workflow_views.new_platform, name="new_platform"),
    path("platforms/<int:pk>/confirm/", workflow_views.confirm_platform, name="confirm_platform"),
    path("scenarios/", views.scenarios, name="scenarios"),
    path("scenarios/new/", workflow_views.new_scenario, name="new_scenario"),
    path("scenarios/<int:pk>/<str:step>/", workflow_views.scenario_step, name="scenario_step"),
    path("office/", workflow_views.office, name="office"),
    path("office/dashboard/", workflow_views.dashboard, name="dashboard"),
    path("office/programmes/", workflow_views.programmes, name="programmes"),
    path("office/programmes/new/", workflow_views.programme_form, name="new_programme"),
    path(
        "office/programmes/<slug:programme_code>/",
        workflow_views.programme_form,
        name="programme",
    ),
    path(
        "office/programmes/<slug:programme_code>/targets/",
        workflow_views.add_programme_target,
        name="add_programme_target",
    ),
    path("office/calls/new/", workflow_views.new_call, name="new_call"),
    path("office/calls/<int:pk>/", workflow_views.office_call, name="office_call"),
    path("office/calls/<int:pk>/<str:step>/", workflow_views.call_step, name="call_step"),
    path("office/applications/<int:pk>/reviewers/", workflow_views.assign, name="assign"),
    path("office/applications/<int:pk>/override/", workflow_views.override, name="override"),
    path("calls/<int:pk>/apply/", workflow_views.apply, name="apply"),
    path("applications/", workflow_views.my_applications, name="my_applications"),
    path(
        "applications/<int:pk>/<str:step>/",
        workflow_views.application_step,
        name="application_step",
    ),
    path("reviews/", workflow_views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", workflow_views.review, name="review"),
]
