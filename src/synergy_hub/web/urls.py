from django.contrib.auth import views as auth_views
from django.urls import path

from synergy_hub.web.views import account, needs, public, publishing, review

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("lists/", public.lists, name="lists"),
    path("lists/<int:pk>/", public.list_detail, name="list"),
    path("resources/", public.resources, name="resources"),
    path("resources/<int:pk>/", public.resource_detail, name="resource"),
    path("organisations/<int:pk>/", public.organisation_detail, name="organisation"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", account.sign_up, name="sign_up"),
    path("workspace/", account.workspace, name="workspace"),
    path("workspace/organisation/", account.organisation_profile, name="organisation_profile"),
    path("workspace/tokens/", account.tokens, name="tokens"),
    path("workspace/tokens/<int:pk>/revoke/", account.revoke_token, name="revoke_token"),
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
    path("workspace/organisations/", review.organisations, name="review_organisations"),
    path(
        "workspace/organisations/<int:pk>/<str:action>/",
        review.decide_organisation,
        name="decide_organisation",
    ),
    path("workspace/needs/", needs.need_list, name="needs"),
    path("workspace/needs/new/", needs.new_need, name="new_need"),
    path("workspace/needs/<int:pk>/", needs.edit_need, name="edit_need"),
]
