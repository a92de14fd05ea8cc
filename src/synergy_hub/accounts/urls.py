"""Pages of accounts: log in and out, sign up, the organisation profile, API tokens, approvals."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from synergy_hub.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.sign_up, name="sign_up"),
    path("workspace/organisation/", views.organisation_profile, name="organisation_profile"),
    path("workspace/tokens/", views.tokens, name="tokens"),
    path("workspace/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("workspace/organisations/", views.organisations, name="review_organisations"),
    path(
        "workspace/organisations/<int:pk>/<str:action>/",
        views.decide_organisation,
        name="decide_organisation",
    ),
]
