"""Controlled vocabularies of the catalog: resource types, access modes, units, pillars.

Kept as Django `TextChoices` so that forms, the admin and the API share one translated list.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourceType(models.TextChoices):
    DATASET = "dataset", _("Dataset")
    API = "api", _("API / technical capability")
    AI_MODEL = "ai_model", _("AI model")
    COMPUTE = "compute", _("Computing power")
    SOFTWARE_TOOL = "software_tool", _("Software / R&D tool")
    EQUIPMENT = "equipment", _("Equipment")
    LABORATORY = "laboratory", _("Laboratory")
    TESTING_CERTIFICATION = "testing_certification", _("Inspection and certification")
    TRAINING_INCUBATION = "training_incubation", _("Training and incubation")
    SUPPLY_CHAIN_SERVICE = "supply_chain_service", _("Supply-chain service")
    MARKET_ACCESS = "market_access", _("Market access")


class AccessMode(models.TextChoices):
    OPEN = "open", _("Open")
    ON_REQUEST = "on_request", _("On request")
    PAID = "paid", _("Paid")


class Unit(models.TextChoices):
    """The unit in which a resource's price and capacity are counted."""

    GPU_HOUR = "gpu_hour", _("GPU-hour")
    CORE_HOUR = "core_hour", _("core-hour")
    API_CALL = "api_call", _("API call")
    THOUSAND_TOKENS = "kilotoken", _("thousand tokens")
    DOWNLOAD = "download", _("download")
    LAB_DAY = "lab_day", _("lab day")
    EQUIPMENT_HOUR = "equipment_hour", _("equipment hour")
    TEST_SLOT = "test_slot", _("test slot")
    SEAT = "seat", _("seat / licence")
    PARTICIPANT = "participant", _("participant place")
    SERVICE_CASE = "service_case", _("service case")


class Period(models.TextChoices):
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    QUARTER = "quarter", _("per quarter")
    YEAR = "year", _("per year")


class Pillar(models.TextChoices):
    INNOVATION = "innovation", _("Innovation collaboration")
    ECOSYSTEM = "ecosystem", _("Ecosystem collaboration")
    OPEN = "open", _("Open collaboration")


class ListState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("need status", "Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
