"""The choices of the governance records, in both languages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.TextChoices):
    """Which rule set a platform's fee schedules and complaints follow (`rules.RULE_SETS`)."""

    PRC = "PRC", _("People's Republic of China")
    EU = "EU-P2B", _("European Union (P2B Regulation)")


class ScheduleState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class FeeKind(models.TextChoices):
    COMMISSION = "commission", _("commission")
    LISTING = "listing", _("listing")
    SERVICE = "service", _("service")
    ADVERTISING = "advertising", _("advertising")
    PAYMENT = "payment", _("payment")
    LOGISTICS = "logistics", _("logistics")
    DATA_COMPUTE = "data_compute", _("data and compute usage")


class FeeBasis(models.TextChoices):
    PERCENTAGE = "percentage", _("percentage of the transaction")
    PER_UNIT = "per_unit", _("fixed per unit")
    TIERED = "tiered", _("tiered by volume")


class NoticeResponse(models.TextChoices):
    NONE = "", _("no answer yet")
    OBJECTED = "objected", _("objected")
    LEAVING = "leaving", _("leaving without penalty")


class ComplaintCategory(models.TextChoices):
    FEES = "fees", _("unreasonable or undisclosed fees")
    PRICING = "pricing", _("coerced price cuts or price parity")
    TRAFFIC = "traffic", _("traffic restriction")
    RANKING = "ranking", _("ranking manipulation")
    RESTRICTION = "restriction", _("account or listing restriction")
    DATA = "data", _("data misuse")
    IP = "ip", _("IP infringement")
    TECHNICAL = "technical", _("technical problems")


class ComplaintState(models.TextChoices):
    FILED = "filed", _("filed")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    DECIDED = "decided", _("decided")
    MEDIATION = "mediation", _("in mediation")
    OFFICE = "office", _("with the programme office")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    PARTLY = "partly", _("partly upheld")
    REJECTED = "rejected", _("rejected")
