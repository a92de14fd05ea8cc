"""The optional second factor: enrol with a code, log in with password then code, recovery
codes once each, turning it off needs a code; the code step is throttled like the password.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from synergy_hub.accounts import two_factor
from synergy_hub.accounts.models import User
from synergy_hub.audit.models import AuditEvent
from tests import factories

PASSWORD = "correct horse battery staple"
EMAIL = "two@example.org"


def current_code(user: User) -> str:
    """The code the user's app shows now, as a user would type it a little later: in a time
    step the device has not seen used, after django-otp's own short pause on failures.
    """
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    assert device is not None
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):0{device.digits}d}"


@pytest.fixture
def person(db: None) -> User:
    return factories.user(email=EMAIL, password=PASSWORD)


@pytest.fixture
def enrolled(person: User) -> list[str]:
    two_factor.pending_device(person)
    return two_factor.confirm(person, current_code(person))


def _login(address: str = "10.0.0.1", language: str = "en") -> Client:
    return Client(REMOTE_ADDR=address, headers={"Accept-Language": language})


# --- the service --------------------------------------------------------------------------


def test_enrolment_needs_a_right_code_and_gives_recovery_codes_once(person: User) -> None:
    two_factor.pending_device(person)
    with pytest.raises(ValidationError) as caught:
        two_factor.confirm(person, "000000" if current_code(person) != "000000" else "111111")
    assert set(caught.value.message_dict) == {"code"} and not two_factor.is_enabled(person)
    codes = two_factor.confirm(person, current_code(person))
    assert len(codes) == two_factor.RECOVERY_CODES and len(set(codes)) == len(codes)
    assert two_factor.is_enabled(person)
    event = AuditEvent.objects.get(action="accounts.two_factor.enabled")
    assert all(code not in str(event.after) for code in codes)


def test_a_recovery_code_works_once(person: User, enrolled: list[str]) -> None:
    assert two_factor.verify(person, enrolled[0]) is not None
    assert two_factor.verify(person, enrolled[0]) is None
    assert StaticToken.objects.count() == len(enrolled) - 1


def test_turning_it_off_needs_a_code(person: User, enrolled: list[str]) -> None:
    with pytest.raises(ValidationError):
        two_factor.disable(person, "12")
    assert two_factor.is_enabled(person)
    two_factor.disable(person, current_code(person))
    assert not two_factor.is_enabled(person) and not StaticToken.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.two_factor.disabled").exists()


# --- logging in ---------------------------------------------------------------------------


def test_without_a_second_factor_the_password_logs_in(person: User) -> None:
    client = _login()
    response = client.post("/login/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_password_then_the_code_logs_in(person: User, enrolled: list[str]) -> None:
    client = _login()
    response = client.post(
        "/login/?next=/workspace/tokens/", {"username": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session  # the password alone opens nothing
    assert client.get("/workspace/tokens/").status_code == 302
    wrong = client.post("/login/code/", {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].has_error("code")
    assert "_auth_user_id" not in client.session
    right = client.post("/login/code/", {"code": current_code(person)})
    assert right.status_code == 302 and right["Location"] == "/workspace/tokens/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_recovery_code_logs_in_once(person: User, enrolled: list[str]) -> None:
    for expected in (302, 200):
        client = _login()
        client.post("/login/", {"username": EMAIL, "password": PASSWORD})
        assert client.post("/login/code/", {"code": enrolled[0]}).status_code == expected


def test_the_code_step_needs_the_password_step_first(person: User, enrolled: list[str]) -> None:
    response = _login().post("/login/code/", {"code": current_code(person)})
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_the_back_office_login_refuses_a_password_alone(person: User, enrolled: list[str]) -> None:
    User.objects.filter(pk=person.pk).update(is_staff=True)
    client = _login()
    response = client.post("/admin/login/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "two-factor" in response.content.decode()


def test_wrong_codes_are_throttled_per_user(
    person: User, enrolled: list[str], settings: Any
) -> None:
    settings.SYNERGY_THROTTLE_SECOND_FACTOR = (3, 900)
    client = _login()
    client.post("/login/", {"username": EMAIL, "password": PASSWORD})
    for _attempt in range(3):
        assert client.post("/login/code/", {"code": "000000"}).status_code == 200
    refused = client.post("/login/code/", {"code": current_code(person)})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # From another address too: the count is the account's.
    other = _login("10.0.0.2")
    other.post("/login/", {"username": EMAIL, "password": PASSWORD})
    assert other.post("/login/code/", {"code": current_code(person)}).status_code == 429


def test_the_code_step_counts_towards_the_address_limit(
    person: User, enrolled: list[str], settings: Any
) -> None:
    settings.SYNERGY_THROTTLE_LOGIN = (3, 300)
    client = _login()
    client.post("/login/", {"username": EMAIL, "password": PASSWORD})  # 1
    client.post("/login/code/", {"code": "000000"})  # 2
    client.post("/login/code/", {"code": "000000"})  # 3
    assert client.post("/login/code/", {"code": current_code(person)}).status_code == 429


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_enrols_shows_codes_once_and_turns_off(person: User, language: str) -> None:
    client = _login(language=language)
    client.force_login(person)
    page = client.get("/workspace/two-factor/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and 'data-testid="two-factor-key"' in body
    assert ("二次验证" if language == "zh-hans" else "Two-factor") in body
    assert client.post("/workspace/two-factor/", {"code": "12"}).status_code == 200
    assert not two_factor.is_enabled(person)
    done = client.post("/workspace/two-factor/", {"code": current_code(person)})
    assert 'data-testid="recovery-codes"' in done.content.decode()
    assert two_factor.is_enabled(person)
    again = client.get("/workspace/two-factor/").content.decode()
    assert 'data-testid="recovery-codes"' not in again and 'data-testid="two-factor-on"' in again
    off = client.post("/workspace/two-factor/", {"code": current_code(person)})
    assert off.status_code == 302 and not two_factor.is_enabled(person)


def test_the_page_needs_a_login(db: None) -> None:
    response = Client().get("/workspace/two-factor/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
