"""URLs of the Dataspace Protocol catalog (mounted at the site root)."""

from django.urls import URLPattern, URLResolver, path

from synergy_hub.access.dsp import views

app_name = "dsp"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dsp/catalog/request", views.catalog_request, name="catalog_request"),
    path("dsp/catalog/datasets/<str:dataset_id>", views.dataset, name="dataset"),
    path(".well-known/dspace-version", views.versions, name="versions"),
]
