"""Pages of accounts: log in and out, sign up, passwords, the organisation, tokens, approvals."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path, reverse_lazy

from synergy_hub.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.sign_up, name="sign_up"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("workspace/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "workspace/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("workspace/organisation/", views.organisation_profile, name="organisation_profile"),
    path(
        "workspace/organisation/eligibility/",
        views.request_eligibility_change,
        name="request_eligibility_change",
    ),
    path("workspace/eligibility-changes/", views.eligibility_changes, name="eligibility_changes"),
    path(
        "workspace/eligibility-changes/<int:pk>/evidence/",
        views.eligibility_evidence,
        name="eligibility_evidence",
    ),
    path(
        "workspace/eligibility-changes/<int:pk>/<str:action>/",
        views.decide_eligibility_change,
        name="decide_eligibility_change",
    ),
    path("workspace/tokens/", views.tokens, name="tokens"),
    path("workspace/two-factor/", views.two_factor_settings, name="two_factor"),
    path("workspace/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("workspace/organisations/", views.organisations, name="review_organisations"),
    path(
        "workspace/organisations/<int:pk>/<str:action>/",
        views.decide_organisation,
        name="decide_organisation",
    ),
]
