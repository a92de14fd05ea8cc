"""Controlled vocabularies of the programme office: states, metrics, statuses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Metric(models.TextChoices):
    """What a programme target counts; each is computed from records, never typed in."""

    BATCHES = "batches", _("Batches of openness lists published")
    PILOT_PROJECTS = "pilot_projects", _("Pilot projects")
    SERVICE_PLATFORMS = "service_platforms", _("Service platforms")
    SCENARIOS = "scenarios", _("Implemented intelligent service application scenarios")


class CallState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("call state", "Open")
    CLOSED = "closed", pgettext_lazy("call state", "Closed")
    DECIDED = "decided", _("Decided")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class ProjectStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")


class PlatformState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", pgettext_lazy("platform state", "Closed")


class ScenarioState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PILOTING = "piloting", _("Piloting")
    IMPLEMENTED = "implemented", _("Implemented")


class AiCapability(models.TextChoices):
    MODEL = "model", _("AI model")
    AGENT = "agent", _("Intelligent agent")
    DATASET = "dataset", _("Dataset")
