"""Organisations, their people and the reference codes that describe them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.languages import OtherLanguageTexts, pick_language


class Region(models.Model):
    """An administrative division (GB/T 2260), mirrored from the shipped code table."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    level = models.CharField(_("level"), max_length=12)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class Industry(models.Model):
    """A section or division of GB/T 4754-2017, mirrored from the shipped code table."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=160)
    level = models.CharField(_("level"), max_length=12)
    section = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="divisions"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class UserManager(BaseUserManager["User"]):
    """Users log in with their e-mail address, stored lower-cased."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address and acts for one organisation."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class OrganisationKind(models.TextChoices):
    PLATFORM = "platform", _("Platform enterprise")
    SME = "sme", _("SME")
    PROVIDER = "provider", _("Service provider")
    AUTHORITY = "authority", _("Programme office")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Tier(models.TextChoices):
    """Gradient cultivation tiers of the 2022 SME measures."""

    NONE = "", _("None")
    INNOVATIVE = "innovative", _("Innovative SME")
    SRDI = "srdi", _("SRDI SME")
    LITTLE_GIANT = "little_giant", _("“Little giant”")
    SINGLE_CHAMPION = "single_champion", _("Manufacturing single champion")


class Organisation(OtherLanguageTexts, models.Model):
    """A legal entity on the hub: platform, SME, provider or the programme office.

    The size class is computed from industry, employees, revenue and assets by the national
    SME standard (see `accounts.size_class`), never typed in.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(_("Unified Social Credit Code"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("operating revenue (10,000 CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_assets = models.DecimalField(
        _("total assets (10,000 CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True, max_length=2000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=4000)
    #: Name and description in languages other than the UI's two, by BCP 47 tag
    #: (decision 0013): {"de": {"name": …, "description": …}}.
    translations = models.JSONField(_("other languages"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.PENDING,
    )
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.shown(self.name_zh, self.name_en, "name")

    @property
    def description(self) -> str:
        return self.shown(self.description_zh, self.description_en, "description")

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    @property
    def is_small_provider(self) -> bool:
        """Small and micro providers and SMEs form the protected group for fair exposure."""
        return self.kind == OrganisationKind.SME or self.size_class in {
            SizeClass.SMALL,
            SizeClass.MICRO,
        }


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


#: How long a new API token lives unless its owner asks otherwise, and the longest allowed.
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365


def default_token_expiry() -> datetime:
    """A new token expires after the default lifetime, so a forgotten one stops working."""
    return timezone.now() + timedelta(days=TOKEN_DEFAULT_DAYS)


class TokenScope(models.TextChoices):
    """What a token may do: read only (safe methods), or read and write."""

    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored, the secret is shown once.

    A token has a scope (a read token may only read) and an expiry (at most a year), and is
    created or revoked only from a logged-in session, never by another token: a leaked token
    cannot mint successors that outlive its revocation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), default=default_token_expiry)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class EligibilityChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class EligibilityChange(models.Model):
    """A requested change of an organisation's size class or tier, with its evidence.

    Size class and tier decide which resources an organisation may use and whether its
    supply is in the fair-exposure group, so a change counts only once a programme officer
    approves it (decision 0017); until then the organisation keeps its current values. The
    proposed figures are kept as asked; the size class is computed from them as usual.
    The evidence (a PDF or an image, bounded in size) is kept in the database, so that
    backups and transactions cover it like the rest of the record.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="eligibility_changes"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    #: The region asked for (a resource may be opened to regions only); None on requests
    #: made before regions were reviewed, which leave the region as it is.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        null=True,
        blank=True,
    )
    region_before = models.CharField(max_length=6, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("operating revenue (10,000 CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    total_assets = models.DecimalField(
        _("total assets (10,000 CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    #: What the hub computed that the request rests on, e.g. a kept tier evaluation
    #: ({"source": "tier_evaluation", "evaluation": id, "rule_set": …, "year": …, "tier": …}),
    #: shown to the officer next to the evidence; empty for a plain claim.
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    size_class_before = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=8, choices=SizeClass.choices, blank=True
    )
    tier_before = models.CharField(max_length=16, choices=Tier.choices, blank=True)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)
    evidence = models.BinaryField(_("evidence"))
    evidence_name = models.CharField(_("evidence file"), max_length=200)
    evidence_type = models.CharField(max_length=40)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EligibilityChangeStatus.choices,
        default=EligibilityChangeStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("size class or tier change")
        verbose_name_plural = _("size class and tier changes")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_eligibility_change",
            )
        ]

    def __str__(self) -> str:
        before = f"{self.size_class_before}/{self.tier_before}"
        return f"{self.organisation}: {before} → {self.size_class}/{self.tier}"
