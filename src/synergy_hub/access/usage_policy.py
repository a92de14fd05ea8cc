"""The Django side of usage policies: identifiers, templates, validation and descriptions.

The ODRL package (`odrl`) is pure; this module names our parties and resources
with IRIs, turns the policy editor's choices into a policy, reports invalid policies as
field errors that carry the JSON path of the offending node, and explains policies in
both languages.

Collections. A policy may grant to a PartyCollection or be about an AssetCollection
(ODRL 2.2 Information Model §2.2, §2.3; membership is ``odrl:partOf``, §2.2.2, §2.3.2).
The organisation model says which collections an organisation is part of, with no model
of its own: its kind, size class, gradient-cultivation tier, its GB/T 2260 region with
every area containing it (county, prefecture, province: ``partOf`` is not transitive in
the vocabulary) and its GB/T 4754 industry with its section. A resource is part of its
type and pillar. Their IRIs are ``urn:synergy-hub:<list>:<code>`` with the list names
and codes of the DCAT export (``urn:synergy-hub:size-class:small``,
``urn:synergy-hub:tier:little_giant``, ``urn:synergy-hub:region:440000``,
``urn:synergy-hub:industry:C``, ``urn:synergy-hub:organisation-kind:sme``,
``urn:synergy-hub:resource-type:dataset``, ``urn:synergy-hub:pillar:innovation``). A
collection's refinements are checked against the organisation's registered region
(``spatial``) and industry (``industry``).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from synergy_hub import odrl
from synergy_hub.accounts.models import Organisation, OrganisationKind, Region, SizeClass, Tier
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import Pillar, ResourceType
from synergy_hub.eligibility import tiers_held
from synergy_hub.eligibility.industries import get_industry, industry_ancestors
from synergy_hub.eligibility.regions import region_ancestors, region_name
from synergy_hub.odrl.templates import RESEARCH
from synergy_hub.validation import FieldErrors

TEMPLATES = (
    "research_only",
    "no_redistribution",
    "region_limited",
    "time_limited",
    "count_limited",
)


def resource_iri(lineage: uuid.UUID | str) -> str:
    """The policy target naming a resource across all versions of its list."""
    return f"urn:synergy-hub:resource:{lineage}"


def organisation_iri(organisation: Organisation | int) -> str:
    """The party IRI of an organisation (assigner or assignee of a policy)."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return f"urn:synergy-hub:organisation:{pk}"


def new_uid() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


_COLLECTION = "urn:synergy-hub:"
#: The code lists whose codes name collections, with the choices that label them.
_LISTS: dict[str, type[Any] | None] = {
    "organisation-kind": OrganisationKind,
    "size-class": SizeClass,
    "tier": Tier,
    "region": None,
    "industry": None,
    "resource-type": ResourceType,
    "pillar": Pillar,
}


def collection_iri(code_list: str, code: str) -> str:
    """The IRI of the collection of organisations or resources with one code of a list."""
    if code_list not in _LISTS:
        raise ValueError(f"no collections for the code list {code_list!r}")
    return f"{_COLLECTION}{code_list}:{code}"


def organisation_collections(organisation: Organisation) -> tuple[str, ...]:
    """The party collections an organisation is odrl:partOf, from the organisation model."""
    found = [collection_iri("organisation-kind", organisation.kind)]
    if organisation.size_class:
        found.append(collection_iri("size-class", organisation.size_class))
    # A tier holder is part of its tier's collection and of those below it (the ladder).
    found += [collection_iri("tier", tier) for tier in sorted(tiers_held(organisation.tier))]
    found += [collection_iri("region", code) for code in region_ancestors(organisation.region_id)]
    found += [
        collection_iri("industry", code) for code in industry_ancestors(organisation.industry_id)
    ]
    return tuple(found)


def organisation_attributes(organisation: Organisation) -> dict[str, str]:
    """What a party collection's refinements are checked against: registered region, industry."""
    return {"spatial": organisation.region_id, "industry": organisation.industry_id}


def resource_collections(resource: Resource) -> tuple[str, ...]:
    """The asset collections a resource is odrl:partOf: its type and its pillar."""
    return (
        collection_iri("resource-type", resource.resource_type),
        collection_iri("pillar", resource.pillar),
    )


@cache
def evaluator() -> odrl.Evaluator:
    """The evaluator for metered uses: GB/T 2260 regions and GB/T 4754 sections."""
    return odrl.Evaluator()


def default_policy(target: str | None = None) -> odrl.Policy:
    """Permit use without further conditions (a resource whose publisher set no policy)."""
    return odrl.Policy(
        uid=new_uid(),
        type=odrl.PolicyType.SET,
        permissions=(odrl.Permission(odrl.Action("use")),),
        target=target,
        conflict=odrl.ConflictStrategy.PROHIBIT,
    )


def build_from_templates(choice: Mapping[str, Any]) -> odrl.Policy:
    """Combine the chosen templates with their parameters; ValueError names what is missing.

    `choice` holds `templates` (names from TEMPLATES) and the parameters `purpose`,
    `regions` (GB/T 2260 codes), `start`/`end` (dates) and `count`.
    """
    parts: list[odrl.Policy] = []
    names = [name for name in TEMPLATES if name in set(choice.get("templates") or ())]
    for name in names:
        if name == "research_only":
            parts.append(odrl.research_only(str(choice.get("purpose") or RESEARCH)))
        elif name == "no_redistribution":
            parts.append(odrl.no_redistribution())
        elif name == "region_limited":
            parts.append(odrl.region_limited(list(choice.get("regions") or [])))
        elif name == "time_limited":
            parts.append(odrl.time_limited(choice.get("start"), choice.get("end")))
        elif name == "count_limited":
            count = choice.get("count")
            parts.append(odrl.count_limited(int(count) if count is not None else 0))
    if not parts:
        return default_policy()
    return odrl.combine(*parts, uid=new_uid())


def problems_of(document: Any) -> list[odrl.Problem]:
    """The problems of a JSON-LD policy (empty when valid), for the live editor."""
    if not isinstance(document, Mapping):
        return [odrl.Problem("$", "invalid_policy", "the policy must be a JSON object")]
    try:
        odrl.policy_from_jsonld(document)
    except odrl.PolicyValidationError as exc:
        return list(exc.problems)
    return []


def bind_to_offer(
    policy: odrl.Policy, resource: Resource, provider: Organisation, errors: FieldErrors
) -> odrl.Policy:
    """Make a policy the provider's offer about this resource (target and assigner set)."""
    target = resource_iri(resource.lineage)
    if policy.target and policy.target != target:
        errors.add(
            "policy",
            _("$.target: the policy is about %(target)s, not about this resource.")
            % {"target": odrl.node_iri(policy.target)},
            "wrong_target",
        )
    assigner = organisation_iri(provider)
    if policy.assigner and policy.assigner != assigner:
        errors.add(
            "policy",
            _("$.assigner: the policy must be assigned by the provider (%(iri)s).")
            % {"iri": assigner},
            "wrong_assigner",
        )
    bound = dataclasses.replace(
        policy, target=target, assigner=assigner, type=odrl.PolicyType.OFFER
    )
    problems = odrl.check(bound)
    for problem in problems[:10]:
        errors.add("policy", f"{problem.path}: {problem.message}", problem.rule)
    return bound


def agreement_policy(offer: odrl.Policy, consumer: Organisation, uid: str) -> odrl.Policy:
    """The ODRL Agreement the SME accepted: the offer, assigned to it, under the agreement uid."""
    return odrl.as_agreement(offer, assignee=organisation_iri(consumer), uid=uid)


def to_jsonld(policy: odrl.Policy) -> dict[str, Any]:
    return odrl.policy_to_jsonld(policy)


def from_stored(document: Mapping[str, Any]) -> odrl.Policy:
    """Read a policy this application stored (it was validated when stored)."""
    return odrl.policy_from_jsonld(document)


def _collection_name(iri: str, lang: str) -> str | None:
    """Name one of our collections in `lang` ("small enterprises", "小型企业")."""
    code_list, _sep, code = iri.removeprefix(_COLLECTION).partition(":")
    if not iri.startswith(_COLLECTION) or code_list not in _LISTS or not code:
        return None
    en = lang == "en"
    if code_list == "region":
        name = region_name(code, lang)
        if name is None:
            return None
        if en:
            return f"enterprises registered in {name} ({code})"
        return f"注册地在{name}（{code}）的企业"
    if code_list == "industry":
        industry = get_industry(code)
        if industry is None:
            return None
        name = industry.name_en if en else industry.name_zh
        return f"enterprises in {name} ({code})" if en else f"{name}（{code}）企业"
    choices = _LISTS[code_list]
    if choices is None or code not in choices.values:
        return None
    with translation.override("en" if en else "zh-hans"):
        label = str(choices(code).label)
    # Party collections read after "you belong to", asset collections after "each resource in".
    return {
        "organisation-kind": (f"organisations registered as “{label}”", f"登记为“{label}”的机构"),
        "size-class": (f"{label.lower()} enterprises", f"{label}企业"),
        "tier": (f"enterprises recognised as {label}", f"认定为{label}的企业"),
        "resource-type": (f"the resource type “{label}”", f"“{label}”资源类型"),
        "pillar": (f"the pillar “{label}”", f"“{label}”支柱"),
    }[code_list][0 if en else 1]


def _labels(left: str, value: str, lang: str) -> str | None:
    """Name prefecture and county codes, our parties and our collections in descriptions."""
    if left == "partOf":
        return _collection_name(value, lang)
    if left == "spatial" and len(value) == 6 and value.isdigit():
        region = Region.objects.filter(code=value).first()
        if region is not None:
            if lang == "zh":
                return f"{region.name_zh}（{value}）"
            return f"{region.name_en} ({value})"
    return None


def describe_both(policy: odrl.Policy) -> dict[str, str]:
    """The policy in plain Chinese and English."""
    return {
        "zh": odrl.describe(policy, "zh", labels=_labels),
        "en": odrl.describe(policy, "en", labels=_labels),
    }


def describe_document(document: Mapping[str, Any] | None) -> dict[str, str]:
    """Describe a stored policy; an empty or unreadable one says so instead of failing."""
    if not document:
        return {"zh": "", "en": ""}
    try:
        return describe_both(from_stored(document))
    except odrl.PolicyError:
        return {"zh": "", "en": ""}


def describe_sections(document: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The policy rule by rule, grouped as permissions, prohibitions and duties, in both languages.

    Each section is ``{"kind", "title", "rules": [{"number", "zh", "en"}]}``; a rule's
    sentences include its constraints and duties. Numbers match the usage log's rule names
    ("permission 1" is ``permission[0]``). An empty or unreadable policy gives no sections.
    """
    if not document:
        return []
    try:
        policy = from_stored(document)
    except odrl.PolicyError:
        return []
    bare = dataclasses.replace(policy, permissions=(), prohibitions=(), obligations=())
    groups: tuple[tuple[str, str, list[odrl.Policy]], ...] = (
        (
            "permission",
            _("What you may do"),
            [dataclasses.replace(bare, permissions=(p,)) for p in policy.permissions],
        ),
        (
            "prohibition",
            _("What you may not do"),
            [dataclasses.replace(bare, prohibitions=(p,)) for p in policy.prohibitions],
        ),
        (
            "obligation",
            _("What you must do"),
            [dataclasses.replace(bare, obligations=(d,)) for d in policy.obligations],
        ),
    )
    sections: list[dict[str, Any]] = []
    for kind, title, singles in groups:
        rules = []
        for number, alone in enumerate(singles, start=1):
            rules.append(
                {
                    "number": number,
                    "zh": "".join(_rule_sentences(alone, bare, "zh")),
                    "en": " ".join(_rule_sentences(alone, bare, "en")),
                }
            )
        if rules:
            sections.append({"kind": kind, "title": title, "rules": rules})
    return sections


def _rule_sentences(alone: odrl.Policy, bare: odrl.Policy, lang: str) -> list[str]:
    """One rule's sentences, without the policy-wide sentence every rule would repeat."""
    common = odrl.describe_rules(bare, lang, labels=_labels)
    sentences = odrl.describe_rules(alone, lang, labels=_labels)
    return [s for s in sentences if s not in common]


def template_choice_of(
    templates: Sequence[str],
    *,
    purpose: str | None = None,
    regions: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """Bundle the editor's fields as `build_from_templates` expects them."""
    return {
        "templates": list(templates),
        "purpose": purpose,
        "regions": list(regions),
        "start": start,
        "end": end,
        "count": count,
    }


def preview(document: Any, template: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check a policy (JSON-LD, else built from templates) and describe it in both languages."""
    policy: odrl.Policy | None = None
    problems: list[odrl.Problem] = []
    if document:
        problems = problems_of(document)
        if not problems:
            policy = odrl.policy_from_jsonld(document)
    else:
        try:
            policy = build_from_templates(template or {})
        except ValueError as exc:
            problems = [odrl.Problem("$", "invalid_template", str(exc))]
    texts = describe_both(policy) if policy is not None else {"zh": "", "en": ""}
    return {
        "valid": not problems,
        "problems": [{"path": p.path, "rule": p.rule, "message": p.message} for p in problems[:20]],
        "text_zh": texts["zh"],
        "text_en": texts["en"],
        "policy": to_jsonld(policy) if policy is not None else None,
    }
