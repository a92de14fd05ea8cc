"""An organisation's indicator values by year, and the tier evaluations it kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation


class IndicatorYear(models.Model):
    """One year's entered indicators of an SME, as the engine's codes and values.

    Stored as JSON (numbers as decimal strings) so that a rule set asking for a new
    indicator needs no migration; the service checks every value against the engine.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tier_indicators"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    values = models.JSONField(_("values"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("organisation", "-year")
        constraints = [
            models.UniqueConstraint(fields=("organisation", "year"), name="tier_indicators_once")
        ]
        verbose_name = _("tier indicators of a year")
        verbose_name_plural = _("tier indicators by year")

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}"


class TierEvaluation(models.Model):
    """A kept evaluation: the tier computed under a rule set, with its whole breakdown."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="tier_evaluations"
    )
    rule_set = models.CharField(_("rule set"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    tier = models.CharField(_("tier"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20)
    breakdown = models.JSONField(_("breakdown"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("tier evaluation")
        verbose_name_plural = _("tier evaluations")

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}/{self.rule_set}: {self.tier or '-'}"
