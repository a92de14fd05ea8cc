"""ODRL 2.2 terms the package understands: policy types, actions, operands, operators.

Terms of the ODRL namespace are held by their local name (``"use"``, ``"dateTime"``,
``"lteq"``); anything from another vocabulary is held as its full IRI. That is exactly the
compact form the W3C ODRL JSON-LD context gives, so model, JSON-LD and RDF agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from types import MappingProxyType

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


# ODRL 2.2 Common Vocabulary: action -> the action it is included in (odrl:includedIn).
# `use` and `transfer` are the two roots. Deprecated ODRL 2.1 terms that the vocabulary
# maps to a current term (skos:exactMatch) hang under that term's parent.
_INCLUDED_IN: dict[str, str | None] = {
    "use": None,
    "transfer": None,
    "acceptTracking": "use",
    "aggregate": "use",
    "annotate": "use",
    "anonymize": "use",
    "archive": "use",
    "attribute": "use",
    "compensate": "use",
    "concurrentUse": "use",
    "delete": "use",
    "derive": "use",
    "digitize": "use",
    "display": "play",
    "distribute": "use",
    "ensureExclusivity": "use",
    "execute": "use",
    "extract": "reproduce",
    "give": "transfer",
    "grantUse": "use",
    "include": "use",
    "index": "use",
    "inform": "use",
    "install": "use",
    "modify": "use",
    "move": "use",
    "nextPolicy": "use",
    "obtainConsent": "use",
    "play": "use",
    "present": "use",
    "print": "use",
    "read": "use",
    "reproduce": "use",
    "reviewPolicy": "use",
    "sell": "transfer",
    "stream": "use",
    "synchronize": "use",
    "textToSpeech": "use",
    "transform": "use",
    "translate": "use",
    "uninstall": "use",
    "watermark": "use",
    # Deprecated but still met in the wild; exact matches per the ODRL 2.2 vocabulary.
    "commercialize": "use",  # skos:exactMatch cc:CommercialUse, which is included in use
    CC + "CommercialUse": "use",
    "copy": "use",  # exactMatch reproduce
    "pay": "use",  # exactMatch compensate
}

#: Deprecated actions and the current action they are an exact match of.
_EXACT_MATCH: dict[str, str] = {
    "commercialize": CC + "CommercialUse",
    "copy": "reproduce",
    "pay": "compensate",
}


class ActionHierarchy:
    """The odrl:includedIn tree, so that a permission for `use` covers `read`."""

    def __init__(
        self,
        included_in: Mapping[str, str | None],
        exact_match: Mapping[str, str] | None = None,
    ) -> None:
        self._parent = dict(included_in)
        self._same: dict[str, str] = dict(exact_match or {})
        for action, match in list(self._same.items()):
            self._same.setdefault(match, action)

    def __contains__(self, action: object) -> bool:
        return action in self._parent

    def __iter__(self) -> Iterator[str]:
        return iter(self._parent)

    def ancestors(self, action: str) -> tuple[str, ...]:
        """Return the action itself followed by every action it is included in."""
        chain = [action]
        seen = {action}
        current: str | None = action
        while current is not None:
            current = self._parent.get(current)
            if current is None or current in seen:
                break
            chain.append(current)
            seen.add(current)
        return tuple(chain)

    def includes(self, broader: str, narrower: str) -> bool:
        """Tell whether exercising `narrower` is covered by a rule about `broader`."""
        candidates = {narrower}
        if narrower in self._same:
            candidates.add(self._same[narrower])
        targets = {broader}
        if broader in self._same:
            targets.add(self._same[broader])
        return any(t in self.ancestors(c) for c in candidates for t in targets)

    def extended(self, included_in: Mapping[str, str | None]) -> ActionHierarchy:
        """Return a copy with profile-specific actions added (e.g. a platform's own verbs)."""
        merged = dict(self._parent)
        merged.update(included_in)
        return ActionHierarchy(merged, self._same)


#: The ODRL 2.2 action tree.
ODRL_ACTIONS = ActionHierarchy(_INCLUDED_IN, _EXACT_MATCH)

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
