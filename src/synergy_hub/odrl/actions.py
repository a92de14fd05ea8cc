"""The ODRL 2.2 actions, their tree and the deprecated actions' equivalences, from the vocabulary.

The actions come from `data/odrl22-actions.ttl`, an extract of the W3C ODRL Common
Vocabulary ontology (``ODRL22.ttl``; source, licence and how to regenerate it in
`scripts/extract_odrl_actions.py`), parsed once at import. What the vocabulary states is
applied as it stands:

* ``odrl:includedIn`` (declared an ``owl:TransitiveProperty``): a rule about ``use``
  covers ``read``, ``display`` (included in ``play``, itself in ``use``) and so on.
  ``use`` and ``transfer`` are the roots; ``sell`` and ``give`` are in ``transfer``.
* ``skos:exactMatch`` and ``owl:sameAs``: a deprecated action is the same action as its
  match (``write``, ``writeTo``, ``append`` and ``appendTo`` are ``modify``; ``export`` is
  ``transform``; ``license`` is ``grantUse``; ``copy`` is ``reproduce``; ``pay`` is
  ``compensate``; ``commercialize`` is ``cc:CommercialUse``). Both relations are
  symmetric, so a rule about either name covers the other and everything included in it:
  a ``use`` permission covers ``write`` because ``write`` is ``modify``, which is
  included in ``use``.
* Deprecated actions the vocabulary gives no match or parent (``lease``, ``lend``,
  ``preview``, ``secondaryUse``, ``adHocShare``, ``extractChar``, ``extractPage``,
  ``extractWord``) are known terms covered by no broader action: a rule about them
  covers only themselves.
* ``odrl:implies`` ("an Action asserts that another Action is not prohibited to enable its
  operational semantics") is read and offered by `ActionHierarchy.implied`; ODRL 2.2
  asserts it of no action, so no decision depends on it.

Terms of the ODRL namespace are held by local name (``"use"``), others by full IRI
(``"http://creativecommons.org/ns#CommercialUse"``), as everywhere in the package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

__all__ = ["ODRL_ACTIONS", "ActionHierarchy", "VocabularyActions", "vocabulary_actions"]

_ODRL = "http://www.w3.org/ns/odrl/2/"
_DATA = "data/odrl22-actions.ttl"

Parents = str | Iterable[str] | None


def _term(node: object) -> str:
    text = str(node)
    return text[len(_ODRL) :] if text.startswith(_ODRL) else text


def _tuple(value: Parents) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(dict.fromkeys(value))


@dataclass(frozen=True)
class VocabularyActions:
    """What the ODRL vocabulary says about its actions, term by term."""

    included_in: Mapping[str, tuple[str, ...]]
    exact_match: Mapping[str, tuple[str, ...]]
    same_as: Mapping[str, tuple[str, ...]]
    implies: Mapping[str, tuple[str, ...]]
    deprecated: frozenset[str]
    labels: Mapping[str, str]
    version: str


@cache
def vocabulary_actions() -> VocabularyActions:
    """Parse the shipped extract of the ODRL 2.2 vocabulary (once)."""
    text = resources.files("synergy_hub.odrl").joinpath(_DATA).read_text("utf-8")
    graph = Graph()
    graph.parse(data=text, format="turtle")
    odrl_action = URIRef(_ODRL + "Action")

    def related(subject: object, predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(_term(o) for o in graph.objects(subject, predicate)))  # type: ignore[arg-type]

    actions = sorted(graph.subjects(RDF.type, odrl_action), key=str)
    included_in: dict[str, tuple[str, ...]] = {}
    exact_match: dict[str, tuple[str, ...]] = {}
    same_as: dict[str, tuple[str, ...]] = {}
    implies: dict[str, tuple[str, ...]] = {}
    labels: dict[str, str] = {}
    deprecated: set[str] = set()
    for node in actions:
        term = _term(node)
        included_in[term] = related(node, URIRef(_ODRL + "includedIn"))
        for store, predicate in (
            (exact_match, SKOS.exactMatch),
            (same_as, OWL.sameAs),
            (implies, URIRef(_ODRL + "implies")),
        ):
            found = related(node, predicate)
            if found:
                store[term] = found
        label = graph.value(node, RDFS.label)
        if isinstance(label, Literal):
            labels[term] = str(label)
        flags = graph.objects(node, OWL.deprecated)
        if any(isinstance(v, Literal) and v.toPython() is True for v in flags):
            deprecated.add(term)
    version = graph.value(URIRef(_ODRL), OWL.versionInfo)
    return VocabularyActions(
        included_in=included_in,
        exact_match=exact_match,
        same_as=same_as,
        implies=implies,
        deprecated=frozenset(deprecated),
        labels=labels,
        version=str(version or ""),
    )


class ActionHierarchy:
    """The action tree (odrl:includedIn) with equivalent actions merged.

    `included_in` maps each known action to the action(s) it is included in (None or an
    empty tuple for a root); `exact_match` maps actions to the action(s) they are the same
    as (skos:exactMatch, owl:sameAs; read both ways). A rule about `use` covers `read`,
    and a rule about `use` covers `write` because `write` is `modify`.
    """

    def __init__(
        self,
        included_in: Mapping[str, Parents],
        exact_match: Mapping[str, Parents] | None = None,
        *,
        implies: Mapping[str, Parents] | None = None,
        deprecated: Iterable[str] = (),
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self._parents = {action: _tuple(parents) for action, parents in included_in.items()}
        self._matches = {action: _tuple(m) for action, m in (exact_match or {}).items()}
        self._implies = {action: _tuple(i) for action, i in (implies or {}).items()}
        self._deprecated = frozenset(deprecated)
        self._labels = dict(labels or {})
        self._covering: dict[str, tuple[str, ...]] = {}  # ancestors, computed once per action
        self._same: dict[str, set[str]] = {}
        for action, matches in self._matches.items():
            for match in matches:
                merged = self._same.get(action, {action}) | self._same.get(match, {match})
                for member in merged:
                    self._same[member] = merged

    @classmethod
    def from_vocabulary(cls, vocabulary: VocabularyActions) -> ActionHierarchy:
        """Build the hierarchy the ODRL vocabulary states."""
        matches: dict[str, tuple[str, ...]] = {}
        for store in (vocabulary.exact_match, vocabulary.same_as):
            for action, found in store.items():
                matches[action] = tuple(dict.fromkeys(matches.get(action, ()) + found))
        return cls(
            vocabulary.included_in,
            matches,
            implies=vocabulary.implies,
            deprecated=vocabulary.deprecated,
            labels=vocabulary.labels,
        )

    def __contains__(self, action: object) -> bool:
        return action in self._parents or action in self._same

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._parents, *self._same]))

    def equivalents(self, action: str) -> frozenset[str]:
        """Return the action and every action the vocabulary says is the same one."""
        return frozenset(self._same.get(action, {action}))

    def current(self, action: str) -> str:
        """Return the current term for a deprecated action (``write`` → ``modify``), else it."""
        if action not in self._deprecated:
            return action
        alive = sorted(a for a in self.equivalents(action) if a not in self._deprecated)
        return alive[0] if alive else action

    def is_deprecated(self, action: str) -> bool:
        """Tell whether the vocabulary marks the action owl:deprecated."""
        return action in self._deprecated

    def label(self, action: str) -> str | None:
        """Return the vocabulary's English label of the action (``"Write"``), if any."""
        return self._labels.get(action)

    def implied(self, action: str) -> tuple[str, ...]:
        """Return the actions `action` implies are not prohibited (odrl:implies)."""
        return self._implies.get(action, ())

    def ancestors(self, action: str) -> tuple[str, ...]:
        """Return the action, its equivalents and every action they are included in.

        These are the actions whose rules cover `action`, nearest first.
        """
        known = self._covering.get(action)
        if known is not None:
            return known
        found = [action]
        seen = {action}
        i = 0
        while i < len(found):
            current = found[i]
            i += 1
            for step in (*sorted(self.equivalents(current)), *self._parents.get(current, ())):
                if step not in seen:
                    seen.add(step)
                    found.append(step)
        if action in self:  # unknown terms (typos, requests) are not kept
            self._covering[action] = tuple(found)
        return tuple(found)

    def includes(self, broader: str, narrower: str) -> bool:
        """Tell whether exercising `narrower` is covered by a rule about `broader`."""
        return broader in self.ancestors(narrower)

    def extended(self, included_in: Mapping[str, Parents]) -> ActionHierarchy:
        """Return a copy with profile-specific actions added (e.g. a platform's own verbs)."""
        merged: dict[str, Parents] = dict(self._parents)
        merged.update(included_in)
        return ActionHierarchy(
            merged,
            self._matches,
            implies=self._implies,
            deprecated=self._deprecated,
            labels=self._labels,
        )


#: The ODRL 2.2 actions as the vocabulary states them.
ODRL_ACTIONS = ActionHierarchy.from_vocabulary(vocabulary_actions())
