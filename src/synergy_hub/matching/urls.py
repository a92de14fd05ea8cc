from django.urls import path

from synergy_hub.matching import views

app_name = "matching"

urlpatterns = [
    path("resources/", views.resources, name="resources"),
    path("how-ranking-works/", views.how_ranking_works, name="how_ranking_works"),
    path("workspace/needs/<int:pk>/matches/", views.need_matches, name="need_matches"),
    path("workspace/exposure/", views.exposure, name="exposure"),
    path("workspace/matches/", views.matches_for_you, name="for_you"),
    path("workspace/matches/preferences/", views.matching_preferences, name="preferences"),
    path("workspace/match-runs/", views.match_runs, name="runs"),
]
