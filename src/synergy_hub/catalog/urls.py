"""Pages of the catalog: public browsing, the workspace, publishing, review of lists, needs."""

from django.urls import URLPattern, URLResolver, path

from synergy_hub.catalog.views import feeds, needs, public, publishing, review, workspace

app_name = "catalog"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.home, name="home"),
    path("lists/", public.lists, name="lists"),
    path("lists/<int:pk>/", public.list_detail, name="list"),
    path("resources/<int:pk>/", public.resource_detail, name="resource"),
    path("organisations/", public.organisations, name="organisations"),
    path("organisations/<int:pk>/", public.organisation_detail, name="organisation"),
    path("activity.atom", feeds.RecentFeed(), name="recent_feed"),
    path("lists/<int:pk>/activity.atom", feeds.ListFeed(), name="list_feed"),
    path("resources/<int:pk>/activity.atom", feeds.ResourceFeed(), name="resource_feed"),
    path(
        "organisations/<int:pk>/activity.atom", feeds.OrganisationFeed(), name="organisation_feed"
    ),
    path("workspace/", workspace.workspace, name="workspace"),
    path("workspace/lists/", publishing.my_lists, name="my_lists"),
    path("workspace/lists/new/", publishing.new_list, name="new_list"),
    path("workspace/lists/<int:pk>/", publishing.edit_list, name="edit_list"),
    path("workspace/lists/<int:pk>/submit/", publishing.submit_list, name="submit_list"),
    path("workspace/lists/<int:pk>/new-version/", publishing.new_version, name="new_version"),
    path("workspace/lists/<int:pk>/resources/new/", publishing.add_resource, name="add_resource"),
    path("workspace/resources/<int:pk>/", publishing.edit_resource, name="edit_resource"),
    path(
        "workspace/resources/<int:pk>/remove/", publishing.remove_resource, name="remove_resource"
    ),
    path("workspace/review/", review.queue, name="review_queue"),
    path("workspace/review/<int:pk>/", review.review_list, name="review_list"),
    path("workspace/review/<int:pk>/<str:action>/", review.decide_list, name="decide_list"),
    path("workspace/needs/", needs.need_list, name="needs"),
    path("workspace/needs/new/", needs.new_need, name="new_need"),
    path("workspace/needs/<int:pk>/", needs.edit_need, name="edit_need"),
]
