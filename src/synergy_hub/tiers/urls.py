from django.urls import path

from synergy_hub.tiers import views

app_name = "tiers"

urlpatterns = [
    path("workspace/tier/", views.tier_page, name="tier"),
    path("workspace/tier/keep/", views.keep, name="keep"),
    path("workspace/tier/verify/", views.verify, name="verify"),
]
