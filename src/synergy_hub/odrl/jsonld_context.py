"""The W3C ODRL JSON-LD context, built in, and the term expansion the reader applies.

The context is the published ``http://www.w3.org/ns/odrl.jsonld`` with its two misprints
corrected (``neq``, ``industry``), so no policy ever needs the network to be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import (
    LEFT_OPERANDS,
    ODRL,
    ODRL_ACTIONS,
    OPERATORS,
    RDF,
    XSD,
    is_absolute_iri,
)

#: The context URL written on export and recognised on import (with its https twin).
ODRL_CONTEXT_URL = "http://www.w3.org/ns/odrl.jsonld"
CONTEXT_URLS = frozenset({ODRL_CONTEXT_URL, "https://www.w3.org/ns/odrl.jsonld"})

_PREFIXES = {
    "odrl": ODRL,
    "rdf": RDF,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": XSD,
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
    "cc": "http://creativecommons.org/ns#",
}
_ID_TERMS = [
    "uid",
    "profile",
    "inheritFrom",
    "relation",
    "hasPolicy",
    "target",
    "output",
    "partOf",
    "source",
    "assignee",
    "assigner",
    "assigneeOf",
    "assignerOf",
    "attributedParty",
    "attributingParty",
    "compensatedParty",
    "compensatingParty",
    "consentingParty",
    "consentedParty",
    "informedParty",
    "informingParty",
    "trackingParty",
    "trackedParty",
    "contractingParty",
    "contractedParty",
    "includedIn",
    "implies",
    "permission",
    "prohibition",
    "obligation",
    "duty",
    "consequence",
    "remedy",
    "constraint",
    "refinement",
]
_VOCAB_TERMS = ("conflict", "function", "action", "operator", "leftOperand")
_PLAIN_TERMS = ("rightOperand", "unit", "status", "and", "or", "xone", "andSequence")
_CLASSES = [
    "Policy",
    "Rule",
    "ConflictTerm",
    "Agreement",
    "Assertion",
    "Offer",
    "Privacy",
    "Request",
    "Set",
    "Ticket",
    "Asset",
    "AssetCollection",
    "Party",
    "PartyCollection",
    "PartyScope",
    "Action",
    "Permission",
    "Prohibition",
    "Duty",
    "Constraint",
    "LogicalConstraint",
    "Operator",
    "RightOperand",
    "LeftOperand",
]


def odrl_context() -> dict[str, Any]:
    """Return the ODRL 2.2 JSON-LD context document (corrected: ``neq``, ``industry``)."""
    terms: dict[str, Any] = dict(_PREFIXES)
    terms.update({"uid": {"@type": "@id", "@id": "odrl:uid"}, "type": "@type"})
    for name in _ID_TERMS:
        terms[name] = {"@type": "@id", "@id": f"odrl:{name}"}
    for name in _VOCAB_TERMS:
        terms[name] = {"@type": "@vocab", "@id": f"odrl:{name}"}
    for name in (*_PLAIN_TERMS, *_CLASSES, "perm", "prohibit", "invalid", "policyUsage"):
        terms[name] = f"odrl:{name}"
    for name in (*ODRL_ACTIONS, *LEFT_OPERANDS, *OPERATORS):
        if not is_absolute_iri(name):
            terms[name] = f"odrl:{name}"
    terms["rightOperandReference"] = {"@type": "xsd:anyURI", "@id": "odrl:rightOperandReference"}
    terms["dataType"] = {"@type": "xsd:anyType", "@id": "odrl:datatype"}
    return {"@context": terms}


@dataclass(frozen=True)
class TermDefinition:
    iri: str


class TermContext:
    """The active JSON-LD context: term definitions and prefixes (a practical subset)."""

    def __init__(self) -> None:
        self.terms: dict[str, TermDefinition] = {}
        self.vocab: str | None = None

    def copy(self) -> TermContext:
        other = TermContext()
        other.terms = dict(self.terms)
        other.vocab = self.vocab
        return other

    def define(self, name: str, definition: Any) -> str | None:
        """Add one term definition; return a complaint when it cannot be understood."""
        if name == "@vocab":
            self.vocab = definition if isinstance(definition, str) else None
            return None
        if name.startswith("@"):
            return None
        if isinstance(definition, str):
            iri = self.expand_iri(definition)
            self.terms[name] = TermDefinition(iri)
            return None
        if isinstance(definition, dict):
            target = definition.get("@id", name)
            if not isinstance(target, str):
                return f"term {name!r} has no usable @id"
            self.terms[name] = TermDefinition(self.expand_iri(target))
            return None
        if definition is None:
            self.terms.pop(name, None)
            return None
        return f"term {name!r} has an unusable definition"

    def expand_iri(self, text: str) -> str:
        """Expand a compact IRI (``odrl:use``) or return the text unchanged."""
        if text.startswith("@"):
            return text
        prefix, sep, suffix = text.partition(":")
        if sep and not suffix.startswith("//") and prefix in self.terms:
            return self.terms[prefix].iri + suffix
        if text in self.terms and not sep:
            return self.terms[text].iri
        return text

    def expand_key(self, key: str) -> str | None:
        """Expand a property name; None when the context does not define it."""
        if key.startswith("@"):
            return key
        if key in self.terms:
            return self.terms[key].iri
        expanded = self.expand_iri(key)
        if expanded != key or is_absolute_iri(key):
            return expanded
        if self.vocab is not None:
            return self.vocab + key
        return None

    def expand_vocab(self, text: str) -> str:
        """Expand a value in an @vocab position: a term, a compact IRI or an IRI."""
        if text in self.terms:
            return self.terms[text].iri
        expanded = self.expand_iri(text)
        if expanded != text or is_absolute_iri(text):
            return expanded
        if self.vocab is not None:
            return self.vocab + text
        return text


ODRL_TERMS = TermContext()
for _name, _definition in odrl_context()["@context"].items():
    ODRL_TERMS.define(_name, _definition)
