"""Controlled vocabularies of the access workflow, as Django choices shared by forms and API.

The state values are the ones of `access.workflow` (the pure state machine); here they get
their translated labels.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestState(models.TextChoices):
    """States of an access request (a contract negotiation in Dataspace Protocol terms)."""

    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", pgettext_lazy("access request state", "Accepted")
    AGREED = "agreed", _("Agreed")
    REJECTED = "rejected", pgettext_lazy("access request state", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgreementState(models.TextChoices):
    """States of an agreement from its conclusion to its end."""

    AGREED = "agreed", _("Agreed, not started")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Party(models.TextChoices):
    """Which side of an access request made an offer or took an action."""

    CONSUMER = "consumer", _("Requesting SME")
    PROVIDER = "provider", _("Provider")


class Purpose(models.TextChoices):
    """Purpose codes an SME declares; usage policies constrain `purpose` to these values."""

    RESEARCH = "research", _("Research and development")
    EDUCATION = "education", _("Education and training")
    COMMERCIAL = "commercial", _("Commercial use")
    NON_COMMERCIAL = "non_commercial", _("Non-commercial use")
    INTERNAL = "internal", _("Internal use")
    PUBLIC_SERVICE = "public_service", _("Public service")


class ReasonKind(models.TextChoices):
    """What a statement of reasons explains."""

    REJECTION = "rejection", _("Rejection")
    RESTRICTION = "restriction", _("Restriction")
    SUSPENSION = "suspension", _("Suspension")
    TERMINATION = "termination", _("Termination")


class ExceptionGround(models.TextChoices):
    """Grounds that let a termination take effect before the 30-day notice period ends.

    P2B Regulation (EU) 2019/1150 Art 4(4): a legal or regulatory obligation, an imperative
    reason, repeated infringement. E-Commerce Law Art 34 and P2B Art 3(2): a business that
    does not accept a fee change may leave before it applies, at once and without penalty.
    """

    NONE = "", _("None (30 days' notice)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal or regulatory obligation")
    IMPERATIVE_REASON = "imperative_reason", _("Imperative reason (P2B Art 4(4))")
    REPEATED_INFRINGEMENT = "repeated_infringement", _("Repeated infringement of the terms")
    FEE_CHANGE_REFUSED = (
        "fee_change_refused",
        _("The SME does not accept a fee change and leaves before it applies"),
    )


# Grounds a party states when it terminates by hand; `fee_change_refused` is recorded only
# by the fee notice's "leave without penalty" (governance), never typed in.
HAND_EXCEPTION_GROUNDS = (
    ExceptionGround.NONE,
    ExceptionGround.LEGAL_OBLIGATION,
    ExceptionGround.IMPERATIVE_REASON,
    ExceptionGround.REPEATED_INFRINGEMENT,
)


class UsageAction(models.TextChoices):
    """The ODRL actions a metering system reports most often."""

    USE = "use", pgettext_lazy("ODRL action", "Use")
    READ = "read", pgettext_lazy("ODRL action", "Read")
    EXECUTE = "execute", pgettext_lazy("ODRL action", "Execute")
    REPRODUCE = "reproduce", pgettext_lazy("ODRL action", "Reproduce (copy or download)")
    DISTRIBUTE = "distribute", pgettext_lazy("ODRL action", "Distribute")
    DERIVE = "derive", pgettext_lazy("ODRL action", "Derive")


class RoundState(models.TextChoices):
    """An allocation round collects requests while open, then is allocated at once."""

    OPEN = "open", pgettext_lazy("allocation round state", "Open for requests")
    #: Closed to requests, its allocation queued or running in the background.
    CLOSING = "closing", _("Closed, being allocated")
    ALLOCATED = "allocated", _("Allocated")


class JobStep(models.TextChoices):
    """Where a round closed in the background stands (shown on the round's page)."""

    QUEUED = "queued", _("Queued")
    SOLVING = "solving", _("Solving")
    WRITING = "writing", _("Writing the agreements")
    FAILED = "failed", _("Failed")
    DONE = "done", _("Done")


class FairnessRule(models.TextChoices):
    """How a round shares capacity among requests of equal priority (disclosed per round).

    The values are those of `synergy_hub.allocation.Fairness`.
    """

    PROPORTIONAL = "proportional", _("Proportional to the quantity requested")
    MAX_MIN = "max_min", _("Max-min: equal units first")
