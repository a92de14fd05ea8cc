from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from synergy_hub.accounts import two_factor
from synergy_hub.accounts.back_office import BackOfficeAdmin
from synergy_hub.accounts.models import ApiToken, Industry, Membership, Organisation, Region, User
from synergy_hub.accounts.selectors import organisations_visible_to
from synergy_hub.audit.admin_mixins import AuditedUserAdminMixin


@admin.register(User)
class UserAdmin(AuditedUserAdminMixin, BackOfficeAdmin, DjangoUserAdmin):
    """Users log in by e-mail; there is no username. The operator's alone (decision 0016)."""

    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(BackOfficeAdmin):
    """Organisations; the size class is computed by the services, so it is read-only here.

    Officers read every organisation, as in the API, and decide sign-ups on their pages.
    """

    list_display = ("name_zh", "name_en", "kind", "uscc", "region", "size_class", "status")
    list_filter = ("kind", "status", "size_class", "tier")
    search_fields = ("name_zh", "name_en", "uscc")
    readonly_fields = ("size_class", "created_at", "decided_at")
    autocomplete_fields = ("region", "industry")
    inlines = [MembershipInline]

    def readable_by(self, user: Any) -> QuerySet[Organisation]:
        return organisations_visible_to(user)


@admin.register(Region)
class RegionAdmin(BackOfficeAdmin):
    list_display = ("code", "name_zh", "name_en", "level")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return self.model._default_manager.all()  # public reference codes

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Industry)
class IndustryAdmin(RegionAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(BackOfficeAdmin):
    """Personal API tokens: read-only in the back office, except that they can be revoked.

    Every field is read-only, so a revocation cannot be undone (nor an expiry or scope
    widened) by editing the form; tokens are revoked with the "Revoke selected tokens"
    action, which only ever sets a missing revocation time, or deleted, both audited.
    Tokens are issued only by their owners, from their account page.
    """

    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "digest",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    search_fields = ("user__email", "name", "prefix")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        """Revoke the tokens not yet revoked; the audit mixin records each one it changed."""
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
        )


# Groups come with Django's auth app; registered again so that their changes are audited too.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BackOfficeAdmin, DjangoGroupAdmin):
    """Django's permission groups, as Django registers them, with their changes audited."""


# django-axes's lockout records (login throttling): registered again so that clearing a lockout
# or deleting attempts in the back office is audited like every other change.
def _audit_axes_admins() -> None:
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model, base in (
        (AccessAttempt, axes_admin.AccessAttemptAdmin),
        (AccessLog, axes_admin.AccessLogAdmin),
        (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            audited = type(f"Audited{base.__name__}", (BackOfficeAdmin, base), {})
            admin.site.register(model, audited)


_audit_axes_admins()


# django-otp's devices (the second factor): registered again, audited, the operator's alone.
def _audit_otp_admins() -> None:
    from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model, base in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        audited = type(f"Audited{base.__name__}", (BackOfficeAdmin, base), {})
        admin.site.register(model, audited)


_audit_otp_admins()


class SecondFactorAdminLoginForm(AdminAuthenticationForm):
    """The back office's login takes no code: an account with a second factor is sent to the
    hub's own login page, which asks for it, so the password alone never opens a session.
    """

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if two_factor.is_enabled(user):
            raise ValidationError(
                _("This account uses two-factor authentication: log in on the hub's login page."),
                code="second_factor",
            )


admin.site.login_form = SecondFactorAdminLoginForm
