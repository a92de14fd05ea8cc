"""ODRL 2.2 terms the package understands: policy types, actions, operands, operators.

The actions and their tree come from the ODRL vocabulary itself (see `actions`).

Terms of the ODRL namespace are held by their local name (``"use"``, ``"dateTime"``,
``"lteq"``); anything from another vocabulary is held as its full IRI. That is exactly the
compact form the W3C ODRL JSON-LD context gives, so model, JSON-LD and RDF agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from .actions import ODRL_ACTIONS, ActionHierarchy

__all__ = [
    "CC",
    "LEFT_OPERANDS",
    "LOGICAL_OPERATORS",
    "ODRL",
    "ODRL_ACTIONS",
    "OPERATORS",
    "POLICY_USAGE",
    "XSD",
    "ActionHierarchy",
    "ConflictStrategy",
    "PolicyType",
    "iri_of",
    "is_absolute_iri",
    "term_of",
]

ODRL = "http://www.w3.org/ns/odrl/2/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CC = "http://creativecommons.org/ns#"

#: Right operand of the `event` left operand meaning "the use of the policy itself".
POLICY_USAGE = ODRL + "policyUsage"


class PolicyType(StrEnum):
    """The ODRL policy subclasses this package accepts (a bare odrl:Policy reads as Set)."""

    SET = "Set"
    OFFER = "Offer"
    AGREEMENT = "Agreement"


class ConflictStrategy(StrEnum):
    """ODRL conflict terms: what wins when a permission and a prohibition both apply."""

    PERM = "perm"
    PROHIBIT = "prohibit"
    INVALID = "invalid"


#: ODRL 2.2 left operands (Common Vocabulary, section "Constraint Left Operands").
LEFT_OPERANDS: frozenset[str] = frozenset(
    {
        "absolutePosition",
        "absoluteSpatialPosition",
        "absoluteTemporalPosition",
        "absoluteSize",
        "count",
        "dateTime",
        "delayPeriod",
        "deliveryChannel",
        "device",
        "elapsedTime",
        "event",
        "fileFormat",
        "industry",
        "language",
        "media",
        "meteredTime",
        "payAmount",
        "percentage",
        "product",
        "purpose",
        "recipient",
        "relativePosition",
        "relativeSpatialPosition",
        "relativeTemporalPosition",
        "relativeSize",
        "resolution",
        "spatial",
        "spatialCoordinates",
        "systemDevice",
        "timeInterval",
        "unitOfCount",
        "version",
        "virtualLocation",
    }
)

#: ODRL 2.2 constraint operators.
OPERATORS: frozenset[str] = frozenset(
    {
        "eq",
        "neq",
        "lt",
        "lteq",
        "gt",
        "gteq",
        "isA",
        "isPartOf",
        "hasPart",
        "isAllOf",
        "isAnyOf",
        "isNoneOf",
    }
)

#: ODRL 2.2 logical constraint operators.
LOGICAL_OPERATORS: frozenset[str] = frozenset({"and", "or", "xone", "andSequence"})

# Misspellings published in the W3C JSON-LD context (odrl.jsonld maps "neq" to odrl:neg and
# "industry" to "odrl:industry:"); documents expanded with it carry these IRIs.
_ERRATA: Mapping[str, str] = MappingProxyType(
    {ODRL + "neg": "neq", ODRL + "industry:": "industry", "odrlindustry:": "industry"}
)


def is_absolute_iri(text: str) -> bool:
    """Tell whether `text` looks like an absolute IRI (it has a scheme such as `https:`)."""
    scheme, sep, rest = text.partition(":")
    return bool(sep and scheme and rest and scheme[0].isalpha()) and all(
        ch.isalnum() or ch in "+-." for ch in scheme
    )


def term_of(iri: str) -> str:
    """Return the model form of an IRI: an ODRL local name, or the IRI unchanged."""
    if iri in _ERRATA:
        return _ERRATA[iri]
    if iri.startswith(ODRL):
        return iri[len(ODRL) :]
    return iri


def iri_of(term: str) -> str:
    """Return the full IRI of a model term (inverse of `term_of`)."""
    if is_absolute_iri(term):
        return term
    return ODRL + term
