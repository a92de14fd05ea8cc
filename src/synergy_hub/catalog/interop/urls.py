"""URLs of the interoperability endpoints (DCAT catalog files, CKAN Action API)."""

from django.urls import URLPattern, URLResolver, path, re_path

from synergy_hub.catalog.interop import dcat_views
from synergy_hub.catalog.interop.ckan import views as ckan_views

app_name = "interop"

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalog", dcat_views.catalog_redirect, name="catalog"),
    re_path(
        r"^catalog\.(?P<fmt>ttl|jsonld|rdf)$",
        dcat_views.catalog_document,
        name="catalog_document",
    ),
    re_path(
        r"^resources/(?P<pk>[0-9]+)\.(?P<fmt>ttl|jsonld|rdf)$",
        dcat_views.resource_document,
        name="resource_document",
    ),
    re_path(
        r"^lists/(?P<pk>[0-9]+)\.(?P<fmt>ttl|jsonld|rdf)$",
        dcat_views.list_document,
        name="list_document",
    ),
    path("id/resources/<uuid:lineage>/", dcat_views.resource_id, name="resource_id"),
    path(
        "id/resources/<uuid:lineage>/<slug:part>/",
        dcat_views.resource_id,
        name="resource_part",
    ),
    path("api/3/action/<str:verb>", ckan_views.action, name="ckan_action_v3"),
    path("api/action/<str:verb>", ckan_views.action, name="ckan_action"),
]
