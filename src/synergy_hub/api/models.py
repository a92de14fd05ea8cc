"""Stored first answers of POST requests sent with an `Idempotency-Key` header."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first request made with a key by one caller, and the answer it got.

    `status` is null while the first request is still running; the unique constraint on
    (scope, key) is what stops two concurrent duplicates from both executing.
    """

    scope = models.CharField(_("caller"), max_length=80)
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    body_sha256 = models.CharField(_("body digest"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("response body"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.method} {self.path}"
