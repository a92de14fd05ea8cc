"""Sign-up, profile, approval and API tokens through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from synergy_hub.accounts import services
from synergy_hub.accounts.models import Organisation, OrganisationStatus, Role, User
from synergy_hub.audit.models import AuditEvent
from tests.conftest import World
from tests.factories import signup_payload
from tests.permissions import assert_refused


def test_signup_creates_pending_organisation_with_computed_size_class(db: None) -> None:
    user, org = services.register_organisation(signup_payload())
    assert user.email == "owner@example.org" and user.check_password(
        "a long enough passphrase 2026"
    )
    assert org.status == OrganisationStatus.PENDING and org.size_class == "medium"
    assert org.memberships.get().role == Role.ADMIN
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "accounts.user.registered",
        "accounts.organisation.registered",
    }


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [(5, "100", "micro"), (30, "500", "small"), (350, "25000", "medium"), (1500, "50000", "large")],
)
def test_size_class_follows_the_national_standard(
    db: None, employees: int, revenue: str, expected: str
) -> None:
    _user, org = services.register_organisation(
        signup_payload(employees=employees, revenue=revenue)
    )
    assert org.size_class == expected


def test_wrong_check_character_names_the_field(db: None) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.register_organisation(signup_payload(uscc="91330100799655058C"))
    errors = exc.value.error_dict["uscc"]
    assert errors[0].code == "uscc_check_character"
    assert "check character" in str(errors[0].message)
    assert not User.objects.exists() and not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"uscc": "9133"}, "uscc"),
        ({"region": "999999"}, "region"),
        ({"industry": "XX"}, "industry"),
        ({"employees": -3}, "employees"),
        ({"revenue": "abc"}, "revenue"),
        ({"kind": "authority"}, "kind"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "123"}, "password"),
        ({"name_zh": "长" * 121}, "name_zh"),
        ({"industry": "47", "total_assets": None}, "total_assets"),
        ({"industry": "66"}, "industry"),
    ],
)
def test_bad_signup_input(db: None, override: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.register_organisation(signup_payload(**override))
    assert field in exc.value.message_dict, exc.value.message_dict
    assert not Organisation.objects.exists()


def test_duplicate_uscc_is_refused(db: None) -> None:
    services.register_organisation(signup_payload())
    with pytest.raises(ValidationError) as exc:
        services.register_organisation(signup_payload(email="other@example.org"))
    assert set(exc.value.message_dict) == {"uscc"}


def test_a_registered_email_is_told_only_by_mail(
    db: None, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Signing up again with a registered address creates nothing and raises no error that
    would tell a stranger the address exists; the address's owner gets an e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        services.register_organisation(signup_payload())
    assert [m.to for m in mailoutbox] == [["owner@example.org"]]
    assert "awaits approval" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = services.register_organisation(signup_payload(uscc="914403001922038216"))
    assert again is None
    assert Organisation.objects.count() == 1
    assert [m.to for m in mailoutbox][1:] == [["owner@example.org"]]
    assert "already has one" in mailoutbox[1].body and "已有账号" in mailoutbox[1].body


def test_a_registered_email_still_gets_the_other_field_errors(db: None) -> None:
    services.register_organisation(signup_payload())
    with pytest.raises(ValidationError) as exc:
        services.register_organisation(signup_payload(password="synergy1"))
    assert set(exc.value.message_dict) == {"uscc", "password"}


def test_officer_approves_and_rejects(world: World) -> None:
    _user, org = services.register_organisation(signup_payload())
    approved = services.decide_organisation(world.officer, org, approve=True)
    assert approved.status == OrganisationStatus.APPROVED and approved.decided_at is not None
    with pytest.raises(ValidationError):
        services.decide_organisation(world.officer, approved, approve=False, reason="late")
    _user2, other = services.register_organisation(
        signup_payload(email="b@example.org", uscc="914403001922038216")
    )
    with pytest.raises(ValidationError) as exc:
        services.decide_organisation(world.officer, other, approve=False, reason="")
    assert "reason" in exc.value.message_dict
    rejected = services.decide_organisation(world.officer, other, approve=False, reason="证照不符")
    assert rejected.status == OrganisationStatus.REJECTED and rejected.status_reason == "证照不符"


def test_only_officers_decide(world: World) -> None:
    _user, org = services.register_organisation(signup_payload())
    for actor in (world.alice, world.sam):
        with pytest.raises(PermissionDenied):
            services.decide_organisation(actor, org, approve=True)


def test_profile_edit_recomputes_size_class_and_is_admin_only(world: World) -> None:
    updated = services.update_organisation(world.sam, world.sme, {"employees": 45})
    assert updated.employees == 45 and updated.size_class == "small"
    with pytest.raises(ValidationError) as caught:  # a new size class is reviewed first
        services.update_organisation(world.sam, world.sme, {"employees": 5, "revenue": "100"})
    assert {e.code for e in caught.value.error_dict["employees"]} == {"review_required"}
    with pytest.raises(PermissionDenied):
        services.update_organisation(world.sid, world.sme, {"employees": 1})
    with pytest.raises(PermissionDenied):
        services.update_organisation(world.bob, world.platform_a, {"employees": 1})  # viewer


def test_tokens_authenticate_until_revoked(world: World) -> None:
    token, secret = services.create_api_token(world.alice, "ERP sync")
    assert token.digest != secret and secret not in token.prefix + token.digest
    assert services.authenticate_token(secret) == token
    assert services.authenticate_token(secret + "x") is None
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(world.charlie, token)
    services.revoke_api_token(world.alice, token)
    assert services.authenticate_token(secret) is None


# --- who is refused (the personas of tests/conftest.py) ------------------------------------


def test_only_an_administrator_of_the_organisation_edits_its_profile(world: World) -> None:
    """Another organisation of any kind is refused; so are editors and viewers of the same."""
    assert_refused(
        world,
        lambda actor: services.update_organisation(actor, world.sme, {"employees": 1}),
        "anonymous",
        "sme_b",
        "platform_operator",
        "other_platform",
        "provider",
        "officer",
    )
    assert_refused(
        world,
        lambda actor: services.update_organisation(actor, world.platform_a, {"employees": 1}),
        "platform_operator",  # an editor, not an administrator
        "platform_viewer",
    )
    world.sme.refresh_from_db()
    assert world.sme.employees == 40


def test_every_persona_but_the_officer_is_refused_a_decision(world: World) -> None:
    _user, org = services.register_organisation(signup_payload())
    assert_refused(
        world,
        lambda actor: services.decide_organisation(actor, org, approve=True),
        "anonymous",
        "sme_a",
        "sme_b",
        "platform_operator",
        "platform_viewer",
        "other_platform",
        "provider",
    )
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PENDING


def test_a_token_is_revoked_only_by_its_owner(world: World) -> None:
    token, secret = services.create_api_token(world.alice, "ERP sync")
    assert_refused(
        world,
        lambda actor: services.revoke_api_token(actor, token),
        "anonymous",
        "platform_viewer",  # the same organisation is not the same person
        "other_platform",
        "officer",
    )
    assert services.authenticate_token(secret) == token
