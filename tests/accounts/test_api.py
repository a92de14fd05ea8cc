"""Sign-up, approval and tokens over the API."""

from __future__ import annotations

from typing import Any

from synergy_hub.accounts import services
from synergy_hub.accounts.models import Organisation
from tests.conftest import World
from tests.factories import signup_payload
from tests.permissions import assert_api_refused
from tests.session_api import SessionApi


def test_invalid_uscc_is_refused_with_the_field_named(api_as: Any, db: None) -> None:
    status, body = api_as().post("/signup", signup_payload(uscc="91330100799655058C"))
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "uscc"]
    assert body["detail"][0]["type"] == "uscc_check_character"
    assert not Organisation.objects.exists()


def test_unknown_region_and_negative_employees(api_as: Any, db: None) -> None:
    status, body = api_as().post("/signup", signup_payload(region="999999", employees=-1))
    assert status == 422
    assert {item["loc"][-1] for item in body["detail"]} == {"region", "employees"}


def test_signup_then_officer_approval(api_as: Any, world: World) -> None:
    status, body = api_as().post("/signup", signup_payload())
    assert status == 202 and "邮件" in body["detail"]  # the API answers in Chinese by default
    officer = api_as(world.officer)
    status, pending = officer.get("/organisations/pending")
    org = pending[0]
    assert org["status"] == "pending" and org["size_class"] == "medium"
    assert [item["id"] for item in pending] == [org["id"]]
    assert api_as(world.alice).post(f"/organisations/{org['id']}/approve")[0] == 404  # not visible
    status, approved = officer.post(f"/organisations/{org['id']}/approve")
    assert status == 200 and approved["status"] == "approved"


def test_pending_organisations_are_not_public(api_as: Any, db: None) -> None:
    assert api_as().post("/signup", signup_payload())[0] == 202
    org_id = Organisation.objects.get().pk
    assert api_as().get(f"/organisations/{org_id}")[0] == 404
    assert api_as().get("/organisations")[1]["count"] == 0


def test_me_and_tokens(api_as: Any, world: World) -> None:
    alice = api_as(world.alice)
    status, me = alice.get("/me")
    assert me["organisation"]["id"] == world.platform_a.pk and me["role"] == "editor"
    session = SessionApi(world.alice)
    status, created = session.post("/tokens", {"name": "CI"})
    assert status == 201 and created["secret"].startswith("shub_")
    assert created["scope"] == "write"
    other = api_as()
    other.headers["Authorization"] = f"Bearer {created['secret']}"
    assert other.get("/me")[1]["email"] == "alice@example.org"
    assert SessionApi(world.charlie).delete(f"/tokens/{created['id']}")[0] == 404
    assert session.delete(f"/tokens/{created['id']}")[0] == 204
    assert other.get("/me")[0] == 401
    assert other.get("/resources")[0] == 401  # a revoked token is refused, not ignored


def test_reference_codes(api_as: Any, db: None) -> None:
    status, provinces = api_as().get("/reference/regions?level=province")
    assert status == 200 and len(provinces) == 34
    status, cities = api_as().get("/reference/regions?parent=330000")
    assert {"330100", "330200"} <= {c["code"] for c in cities}
    status, divisions = api_as().get("/reference/industries?section=C")
    assert len(divisions) == 31


# --- who is refused (the personas of tests/conftest.py) ------------------------------------


def test_a_profile_is_edited_over_the_api_by_its_administrators_only(
    api_as: Any, world: World
) -> None:
    status, body = api_as(world.sam).patch(f"/organisations/{world.sme.pk}", {"employees": 45})
    assert status == 200 and body["employees"] == 45 and body["size_class"] == "small"
    status, body = api_as(world.sam).patch(f"/organisations/{world.sme.pk}", {"employees": 5})
    assert status == 422 and body["detail"][0]["loc"][-1] == "employees"
    assert body["detail"][0]["type"] == "review_required"
    assert_api_refused(
        world,
        "PATCH",
        f"/organisations/{world.sme.pk}",
        {"employees": 1},
        anonymous=401,
        sme_b=403,  # an approved organisation is public: refused, not hidden
        platform_operator=403,
        provider=403,
        officer=403,
    )
    assert_api_refused(
        world,
        "PATCH",
        f"/organisations/{world.platform_a.pk}",
        {"employees": 1},
        platform_viewer=403,
    )


def test_a_pending_organisation_is_hidden_from_everyone_but_its_members_and_officers(
    api_as: Any, world: World
) -> None:
    owner, org = services.register_organisation(signup_payload())
    assert api_as(owner).get(f"/organisations/{org.pk}")[0] == 200
    assert api_as(world.officer).get(f"/organisations/{org.pk}")[0] == 200
    assert_api_refused(
        world,
        "GET",
        f"/organisations/{org.pk}",
        sme_a=404,
        platform_operator=404,
        provider=404,
    )
    assert_api_refused(
        world,
        "PATCH",
        f"/organisations/{org.pk}",
        {"employees": 1},
        sme_b=404,
        other_platform=404,
    )


def test_only_officers_decide_over_the_api(api_as: Any, world: World) -> None:
    _owner, org = services.register_organisation(signup_payload())
    for action, body in (("approve", None), ("reject", {"reason": "证照不符"})):
        assert_api_refused(
            world,
            "POST",
            f"/organisations/{org.pk}/{action}",
            body,
            anonymous=401,
            sme_a=404,  # a pending sign-up is not visible to them
            platform_operator=404,
            platform_viewer=404,
            provider=404,
        )
        assert_api_refused(
            world, "POST", f"/organisations/{world.sme.pk}/{action}", body, sme_a=403
        )
    for persona in ("sme_a", "platform_operator", "provider"):
        assert api_as(world.persona(persona)).get("/organisations/pending") == (200, [])
    assert api_as().get("/organisations/pending")[0] == 401
    org.refresh_from_db()
    assert org.status == "pending"


def test_a_token_is_revoked_over_the_api_by_its_owner_only(api_as: Any, world: World) -> None:
    _status, created = SessionApi(world.alice).post("/tokens", {"name": "CI"})
    # Other people's tokens are not found; a token may revoke no token, its own included.
    assert_api_refused(
        world,
        "DELETE",
        f"/tokens/{created['id']}",
        anonymous=401,
        platform_viewer=404,
        officer=404,
        platform_operator=403,
    )
    for name in ("platform_viewer", "officer"):
        assert SessionApi(world.persona(name)).delete(f"/tokens/{created['id']}")[0] == 404
    assert created["id"] not in [t["id"] for t in api_as(world.bob).get("/tokens")[1]]
    assert SessionApi(world.alice).delete(f"/tokens/{created['id']}")[0] == 204
