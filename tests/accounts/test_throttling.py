"""Every path that checks a password or guesses a secret is limited: 429 with Retry-After."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from synergy_hub.accounts import throttling
from synergy_hub.accounts.models import User
from synergy_hub.accounts.services import create_api_token
from tests import factories
from tests.conftest import World
from tests.factories import signup_payload

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.SYNERGY_THROTTLE_LOGIN = (50, 300)
    settings.SYNERGY_THROTTLE_TOKEN_FAILURES = (3, 600)
    settings.SYNERGY_THROTTLE_SIGN_UP = (2, 3600)
    settings.SYNERGY_THROTTLE_RESET_ADDRESS = (3, 3600)
    settings.SYNERGY_THROTTLE_RESET_ACCOUNT = (2, 3600)
    settings.SYNERGY_THROTTLE_PASSWORD_CHANGE = (2, 900)


def from_address(address: str, language: str = "en") -> Client:
    return Client(REMOTE_ADDR=address, headers={"Accept-Language": language})


def assert_throttled(response: HttpResponse, *, api: bool = False) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    if api:
        assert "Too many attempts" in json.loads(response.content)["detail"]
    else:
        assert 'data-testid="throttled"' in response.content.decode()


# --- the limiter ------------------------------------------------------------------------


def test_a_limit_counts_per_subject_and_tells_when_to_retry(db: None, settings: Any) -> None:
    settings.SYNERGY_THROTTLE_SIGN_UP = (2, 60)
    throttling.hit(throttling.SIGN_UP, "10.0.0.1")
    throttling.hit(throttling.SIGN_UP, "10.0.0.1")
    throttling.hit(throttling.SIGN_UP, "10.0.0.2")  # another subject has its own count
    with pytest.raises(throttling.Throttled) as exc:
        throttling.hit(throttling.SIGN_UP, "10.0.0.1")
    assert 1 <= exc.value.retry_after <= 60
    throttling.check(throttling.SIGN_UP, "10.0.0.2")  # under the limit: no error
    with pytest.raises(throttling.Throttled):
        throttling.check(throttling.SIGN_UP, "10.0.0.1")


def test_the_client_address_is_the_proxys_only_behind_a_trusted_proxy(
    settings: Any, rf: Any
) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert throttling.client_address(request) == "10.0.0.9"  # a client can forge the header
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert throttling.client_address(request) == "203.0.113.7"  # the address our proxy saw


# --- every login path -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account_from_that_address(db: None, path: str) -> None:
    """After the limit, even the right password is refused, with the page and Retry-After."""
    factories.user(email="staff@example.org", password=PASSWORD, is_staff=True)
    client = from_address("10.0.0.1")
    for _attempt in range(2):
        wrong = client.post(path, {"username": "staff@example.org", "password": "wrong guess"})
        assert wrong.status_code == 200  # the form again, with its error
    third = client.post(path, {"username": "staff@example.org", "password": "wrong guess"})
    assert_throttled(third)  # the failure that reaches the limit locks
    locked = client.post(path, {"username": "staff@example.org", "password": PASSWORD})
    assert_throttled(locked)
    assert "_auth_user_id" not in client.session
    # Another address is not locked out of the same account.
    other = from_address("10.0.0.2")
    assert (
        other.post(path, {"username": "staff@example.org", "password": PASSWORD}).status_code == 302
    )


def test_a_lockout_is_shown_in_chinese(db: None) -> None:
    factories.user(email="u@example.org", password=PASSWORD)
    client = from_address("10.0.0.1", language="zh-hans")
    for _attempt in range(3):
        client.post("/login/", {"username": "u@example.org", "password": "wrong guess"})
    page = client.post("/login/", {"username": "u@example.org", "password": PASSWORD})
    assert page.status_code == 429 and "尝试次数过多" in page.content.decode()


def test_the_right_password_before_the_limit_clears_the_failures(db: None) -> None:
    factories.user(email="u@example.org", password=PASSWORD)
    client = from_address("10.0.0.1")
    for _attempt in range(2):
        client.post("/login/", {"username": "u@example.org", "password": "wrong guess"})
    assert (
        client.post("/login/", {"username": "u@example.org", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/logout/")
    for _attempt in range(2):
        client.post("/login/", {"username": "u@example.org", "password": "wrong guess"})
    assert (
        client.post("/login/", {"username": "u@example.org", "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_a_login_flood_from_one_address_is_cut_off(db: None, settings: Any, path: str) -> None:
    """Many accounts tried from one address: each costs a hash, so the address is limited."""
    settings.SYNERGY_THROTTLE_LOGIN = (4, 300)
    client = from_address("10.0.0.1")
    for n in range(4):
        response = client.post(path, {"username": f"u{n}@example.org", "password": "x" * 12})
        assert response.status_code == 200
    assert_throttled(client.post(path, {"username": "u9@example.org", "password": "x" * 12}))
    assert (
        from_address("10.0.0.2").post(path, {"username": "a@b.org", "password": "x"}).status_code
        == 200
    )


# --- API tokens -------------------------------------------------------------------------


def test_guessed_api_tokens_are_cut_off_per_address(world: World) -> None:
    _token, secret = create_api_token(world.alice, "CI")
    client = from_address("10.0.0.1")
    for n in range(3):
        guess = client.get("/api/v1/me", headers={"Authorization": f"Bearer shub_guess{n}"})
        assert guess.status_code == 401
    assert_throttled(
        client.get("/api/v1/me", headers={"Authorization": "Bearer shub_guess9"}), api=True
    )
    # The address is refused even with a valid token until the window ends; others are not.
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 429
    )
    valid = from_address("10.0.0.2").get(
        "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert valid.status_code == 200


def test_a_valid_token_is_never_slowed_down(world: World) -> None:
    _token, secret = create_api_token(world.alice, "CI")
    client = from_address("10.0.0.1")
    for _request in range(6):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code
            == 200
        )


def test_guessed_tokens_on_open_endpoints_are_cut_off(db: None) -> None:
    client = from_address("10.0.0.1")
    for n in range(3):
        assert (
            client.get(
                "/api/v1/organisations", headers={"Authorization": f"Bearer x{n}"}
            ).status_code
            == 401
        )
    assert_throttled(
        client.get("/api/v1/organisations", headers={"Authorization": "Bearer x"}), api=True
    )


def test_guessed_ckan_keys_are_cut_off(db: None) -> None:
    client = from_address("10.0.0.1")
    for n in range(3):
        refused = client.get("/api/3/action/package_list", headers={"Authorization": f"k{n}"})
        assert refused.status_code == 403
    assert_throttled(
        client.get("/api/3/action/package_list", headers={"Authorization": "k"}), api=True
    )


# --- sign-up ----------------------------------------------------------------------------


def test_sign_ups_are_limited_per_address(db: None) -> None:
    client = from_address("10.0.0.1")
    for n in range(2):
        response = client.post("/signup/", signup_payload(email=f"n{n}@example.org", uscc="bad"))
        assert response.status_code == 200  # the form with its errors; still counted
    assert_throttled(client.post("/signup/", signup_payload()))
    assert client.get("/signup/").status_code == 200  # reading the form is not limited
    assert not User.objects.exists()


def test_api_sign_ups_are_limited_per_address(db: None) -> None:
    client = from_address("10.0.0.1")
    body = json.dumps(signup_payload(uscc="bad"))
    for _attempt in range(2):
        response = client.post("/api/v1/signup", body, content_type="application/json")
        assert response.status_code == 422
    assert_throttled(client.post("/api/v1/signup", body, content_type="application/json"), api=True)


# --- password reset and change ----------------------------------------------------------


def test_reset_requests_are_limited_per_address(db: None, mailoutbox: list[Any]) -> None:
    client = from_address("10.0.0.1")
    for n in range(3):
        response = client.post("/password/reset/", {"email": f"nobody{n}@example.org"})
        assert response.status_code == 302
    assert_throttled(client.post("/password/reset/", {"email": "x@example.org"}))


def test_reset_requests_are_limited_per_account(db: None, mailoutbox: list[Any]) -> None:
    factories.user(email="u@example.org", password=PASSWORD)
    for n in range(2):
        response = from_address(f"10.0.0.{n}").post("/password/reset/", {"email": "U@example.org"})
        assert response.status_code == 302
    assert_throttled(from_address("10.0.0.9").post("/password/reset/", {"email": "u@example.org"}))
    assert len(mailoutbox) == 2


def test_wrong_current_passwords_block_the_password_change(db: None) -> None:
    user = factories.user(email="u@example.org", password=PASSWORD)
    client = from_address("10.0.0.1")
    client.force_login(user)
    new = {"new_password1": "a fresh passphrase 2027", "new_password2": "a fresh passphrase 2027"}
    for _attempt in range(2):
        wrong = client.post("/workspace/password/", {"old_password": "wrong guess", **new})
        assert wrong.status_code == 200
    assert_throttled(client.post("/workspace/password/", {"old_password": PASSWORD, **new}))
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_back_office_password_change_is_limited_per_user(db: None) -> None:
    staff = factories.user(email="staff@example.org", password=PASSWORD, is_staff=True)
    client = from_address("10.0.0.1")
    client.force_login(staff)
    new = {"new_password1": "a fresh passphrase 2027", "new_password2": "a fresh passphrase 2027"}
    for _attempt in range(2):
        wrong = client.post("/admin/password_change/", {"old_password": "wrong guess", **new})
        assert wrong.status_code == 200
    assert_throttled(client.post("/admin/password_change/", {"old_password": PASSWORD, **new}))
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_the_counters_work_on_redis(db: None, settings: Any) -> None:
    """With REDIS_URL the throttle cache is Django's RedisCache; the limiter works alike."""
    import socket
    import uuid

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        },
    }
    settings.SYNERGY_THROTTLE_SIGN_UP = (2, 60)
    from django.core.cache import caches

    assert type(caches["throttle"]).__name__ == "RedisCache"
    throttling.hit(throttling.SIGN_UP, "10.0.0.1")
    throttling.hit(throttling.SIGN_UP, "10.0.0.1")
    with pytest.raises(throttling.Throttled):
        throttling.hit(throttling.SIGN_UP, "10.0.0.1")
