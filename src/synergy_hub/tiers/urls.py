from django.urls import path

from synergy_hub.tiers import views

app_name = "tiers"

urlpatterns = [
    path("workspace/tier/", views.tier_page, name="tier"),
    path("workspace/tier/keep/", views.keep, name="keep"),
    path("workspace/tier/verify/", views.verify, name="verify"),
    path("workspace/tier-map/", views.tier_map, name="tier_map"),
    path("workspace/tier-map/csv/", views.tier_map_csv, name="tier_map_csv"),
]
