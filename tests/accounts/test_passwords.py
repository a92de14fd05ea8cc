"""The password policy, changing a password, resetting it by e-mail, and sign-up that does not
tell strangers which e-mail addresses are registered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from synergy_hub.accounts.models import User
from tests import factories
from tests.factories import signup_payload
from tests.permissions import LOGIN, assert_page_refused

PASSWORD = "correct horse battery staple"
NEW = "a fresh passphrase for 2027"


def without_csrf(content: bytes) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", content.decode())  # the CSRF tokens


def client(language: str = "en") -> Client:
    return Client(headers={"Accept-Language": language})


# --- the policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "english", "chinese"),
    [
        ("synergy1", "at least 12 characters", "至少"),
        ("qwerty123456", "too common", "常见"),
        ("zhangsan.wang2", "too similar", "相似"),
        ("395728461039", "entirely numeric", "数字"),
    ],
)
def test_weak_passwords_are_refused_in_both_languages(
    password: str, english: str, chinese: str
) -> None:
    user = User(email="zhangsan.wang@example.org", full_name="Wang Zhangsan")
    for language, expected in (("en", english), ("zh-hans", chinese)):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            validate_password(password, user)
        assert any(expected in message for message in exc.value.messages), exc.value.messages
    validate_password("a long enough passphrase 2026", user)


def test_sign_up_names_the_password_field(db: None) -> None:
    response = client().post(
        "/api/v1/signup", json.dumps(signup_payload(password="synergy1")), "application/json"
    )
    assert response.status_code == 422
    assert [item["loc"] for item in json.loads(response.content)["detail"]] == [
        ["body", "password"]
    ]


# --- sign-up does not tell which addresses are registered --------------------------------


def test_the_sign_up_page_answers_alike_for_registered_addresses(world: Any) -> None:
    factories.user(email="known@example.org")
    fresh = client().post(
        "/signup/", signup_payload(email="fresh@example.org", region="330100"), follow=True
    )
    known = client().post(
        "/signup/",
        signup_payload(email="Known@example.org", uscc="914403001922038216", region="440300"),
        follow=True,
    )
    errors = re.findall(r'data-field="(\w+)"', fresh.content.decode() + known.content.decode())
    assert fresh.redirect_chain == known.redirect_chain == [("/login/", 302)], errors
    assert without_csrf(fresh.content) == without_csrf(known.content)
    assert User.objects.filter(email="fresh@example.org").exists()


def test_the_sign_up_api_answers_alike_for_registered_addresses(world: Any) -> None:
    factories.user(email="known@example.org")
    fresh = client().post(
        "/api/v1/signup", json.dumps(signup_payload(email="f@example.org")), "application/json"
    )
    known = client().post(
        "/api/v1/signup",
        json.dumps(signup_payload(email="known@example.org", uscc="914403001922038216")),
        "application/json",
    )
    assert fresh.status_code == known.status_code == 202
    assert fresh.content == known.content


# --- changing the password --------------------------------------------------------------


def test_the_persona_pages_send_visitors_to_log_in(world: Any) -> None:
    assert_page_refused(world, "GET", "/workspace/password/", anonymous=LOGIN)


def test_a_user_changes_the_password(db: None) -> None:
    user = factories.user(email="u@example.org", password=PASSWORD)
    browser = client()
    browser.force_login(user)
    weak = browser.post(
        "/workspace/password/",
        {"old_password": PASSWORD, "new_password1": "synergy1", "new_password2": "synergy1"},
    )
    assert weak.status_code == 200 and 'data-field="new_password2"' in weak.content.decode()
    done = browser.post(
        "/workspace/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done["Location"] == "/workspace/password/done/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert browser.get("/workspace/password/done/").status_code == 200  # still logged in


# --- resetting it by e-mail -------------------------------------------------------------


def test_a_reset_link_sets_a_new_password(db: None, mailoutbox: list[Any]) -> None:
    factories.user(email="u@example.org", password=PASSWORD)
    response = client().post("/password/reset/", {"email": "U@Example.org"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    [mail] = mailoutbox
    assert mail.to == ["u@example.org"] and "重置" in mail.body and "reset" in mail.body
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.body)
    assert link is not None
    browser = client()
    form = browser.get(link.group(1), follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/password/reset/done/"
    assert (
        client().post("/login/", {"username": "u@example.org", "password": NEW}).status_code == 302
    )
    used = client().get(link.group(1), follow=True)
    assert 'data-testid="reset-invalid"' in used.content.decode()


def test_a_reset_for_an_unknown_address_answers_the_same(db: None, mailoutbox: list[Any]) -> None:
    factories.user(email="u@example.org")
    known = client().post("/password/reset/", {"email": "u@example.org"}, follow=True)
    unknown = client().post("/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert [m.to for m in mailoutbox] == [["u@example.org"]]


@pytest.mark.parametrize(
    "path",
    ["/password/reset/", "/password/reset/sent/", "/password/reset/done/", "/password/reset/x/y/"],
)
def test_reset_pages_in_both_languages(db: None, path: str) -> None:
    zh = client("zh-hans").get(path)
    en = client("en").get(path)
    assert zh.status_code == en.status_code == 200
    assert "密码" in zh.content.decode() and "password" in en.content.decode().lower()
