"""Usage policies about collections: the organisation model says who is part of which.

The SME of the world ("Small Co") is a small enterprise registered in Hangzhou (330100) in
industry 65 (section I) with no gradient-cultivation tier; the GPU resource is computing
power under the innovation pillar.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from synergy_hub import odrl
from synergy_hub.access import decisions, services, usage_policy
from synergy_hub.access.models import Agreement, UsageRecord
from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.models import Resource
from tests import factories
from tests.access.conftest import agreed
from tests.conftest import World

SMALL = "urn:synergy-hub:size-class:small"
MEDIUM = "urn:synergy-hub:size-class:medium"
COMPUTE = "urn:synergy-hub:resource-type:compute"


def _use(world: World, agreement: Agreement, **data: object) -> UsageRecord:
    return services.record_use(world.alice, agreement, {"quantity": "1"} | data)


def _policy(*rules: odrl.Permission | odrl.Prohibition, **policy: Any) -> dict[str, Any]:
    permissions = tuple(r for r in rules if isinstance(r, odrl.Permission))
    prohibitions = tuple(r for r in rules if isinstance(r, odrl.Prohibition))
    return odrl.policy_to_jsonld(
        odrl.Policy(
            uid="urn:uuid:collections",
            permissions=permissions,
            prohibitions=prohibitions,
            conflict=odrl.ConflictStrategy.PROHIBIT,
            **policy,
        )
    )


def test_the_organisation_model_says_which_collections_an_organisation_is_part_of(
    world: World, gpu: Resource
) -> None:
    assert usage_policy.organisation_collections(world.sme) == (
        "urn:synergy-hub:organisation-kind:sme",
        SMALL,
        "urn:synergy-hub:region:330100",
        "urn:synergy-hub:region:330000",  # every containing area: partOf is not transitive
        "urn:synergy-hub:industry:65",
        "urn:synergy-hub:industry:I",
    )
    giant = factories.organisation(
        "sme", tier="little_giant", region_id="440305", industry_id="39", size_class="medium"
    )
    assert set(usage_policy.organisation_collections(giant)) >= {
        MEDIUM,
        "urn:synergy-hub:tier:little_giant",
        "urn:synergy-hub:region:440305",
        "urn:synergy-hub:region:440300",
        "urn:synergy-hub:region:440000",
        "urn:synergy-hub:industry:C",
    }
    assert usage_policy.organisation_attributes(world.sme) == {
        "spatial": "330100",
        "industry": "65",
    }
    assert usage_policy.resource_collections(gpu) == (
        COMPUTE,
        "urn:synergy-hub:pillar:innovation",
    )


def test_a_permission_for_small_enterprises_covers_the_small_sme(
    world: World, gpu: Resource
) -> None:
    small = _policy(odrl.Permission(odrl.Action("use"), assignee=odrl.PartyCollection(SMALL)))
    assert _use(world, agreed(world, gpu, small)).permitted
    medium = _policy(odrl.Permission(odrl.Action("use"), assignee=odrl.PartyCollection(MEDIUM)))
    denied = _use(world, agreed(world, gpu, medium))
    assert not denied.permitted and denied.code == "assignee_not_covered"
    with translation.override("en"):
        assert "not the assignee" in decisions.explain(denied.code, denied.params)


def test_a_collection_refined_by_region_reads_the_registered_region(
    world: World, gpu: Resource
) -> None:
    """Small enterprises registered in Guangdong: Small Co (Hangzhou) is not one of them,
    wherever it reports the use from."""
    in_gd = odrl.PartyCollection(
        source=SMALL, refinements=(odrl.Constraint("spatial", "isPartOf", "440000"),)
    )
    agreement = agreed(world, gpu, _policy(odrl.Permission(odrl.Action("use"), assignee=in_gd)))
    usage = _use(world, agreement, region="440300")
    assert not usage.permitted and usage.code == "outside_region"
    assert usage.path == "permission[0].assignee.refinement[0]"
    assert usage.params["actual"] == "330100"
    Organisation.objects.filter(pk=world.sme.pk).update(region_id="440305")
    assert _use(world, agreement).permitted


def test_an_offer_to_a_collection_stays_one_in_the_agreement(world: World, gpu: Resource) -> None:
    offer = _policy(odrl.Permission(odrl.Action("use")), assignee=odrl.PartyCollection(SMALL))
    agreement = agreed(world, gpu, offer)
    stored = usage_policy.from_stored(agreement.policy)
    assert stored.assignee == usage_policy.organisation_iri(world.sme)
    assert stored.permissions[0].assignee == odrl.PartyCollection(SMALL)
    assert _use(world, agreement).permitted
    # The SME grows out of the collection the terms were offered to.
    Organisation.objects.filter(pk=world.sme.pk).update(size_class="medium")
    assert _use(world, agreement).code == "assignee_not_covered"


def test_a_prohibition_on_an_asset_collection_holds_for_its_resources(
    world: World, gpu: Resource
) -> None:
    policy = _policy(
        odrl.Permission(odrl.Action("use")),
        odrl.Prohibition(odrl.Action("distribute"), target=odrl.AssetCollection(COMPUTE)),
    )
    agreement = agreed(world, gpu, policy)
    assert _use(world, agreement, action="read").permitted
    shared = _use(world, agreement, action="distribute")
    assert shared.code == "prohibited" and shared.path == "prohibition[0]"


def test_a_use_permission_covers_the_deprecated_write(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)  # the default policy permits use
    assert _use(world, agreement, action="write").permitted  # write is modify, in use
    assert _use(world, agreement, action="export").permitted  # export is transform
    lease = _use(world, agreement, action="lease")  # deprecated, in nothing broader
    assert not lease.permitted and lease.code == "no_permission"


def test_collections_are_named_in_both_languages(world: World) -> None:
    in_zj = odrl.PartyCollection(
        source=SMALL, refinements=(odrl.Constraint("spatial", "isPartOf", "330000"),)
    )
    policy = odrl.Policy(
        uid="urn:uuid:named",
        permissions=(
            odrl.Permission(
                odrl.Action("use"),
                assignee=in_zj,
                target=odrl.AssetCollection(COMPUTE),
            ),
        ),
        prohibitions=(
            odrl.Prohibition(
                odrl.Action("distribute"),
                assignee=odrl.PartyCollection("urn:synergy-hub:region:330000"),
            ),
        ),
    )
    texts = usage_policy.describe_both(policy)
    assert texts["en"] == (
        "If you belong to small enterprises and are located in Zhejiang (330000), you may use "
        "each resource in the resource type “Computing power”. "
        "If you belong to enterprises registered in Zhejiang (330000), "
        "you may not distribute this resource."
    )
    assert texts["zh"] == (
        "若您属于小型企业且位于浙江省（330000），您可使用“算力”资源类型中的各项资源。"
        "若您属于注册地在浙江省（330000）的企业，您不得分发本资源。"
    )
