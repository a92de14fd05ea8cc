"""Every page form reports every error in one round: its own checks and its service's rules.

Each test submits input that is wrong in several ways at once, of both kinds (a field the
form refuses, a rule only the service knows), and expects every error on the first answer.
"""

from __future__ import annotations

import re

import pytest

from synergy_hub.accounts.models import Organisation, User
from tests.factories import signup_payload
from tests.pages import client_for


def _fields_with_errors(html: str) -> set[str]:
    return set(re.findall(r'class="error" data-field="([^"]+)"', html))


@pytest.mark.django_db
def test_sign_up_reports_every_error_at_once() -> None:
    data = signup_payload(
        uscc="91330100799655058C",  # wrong check character: a service rule
        employees="-5",  # the form's own bound
        password="short",  # Django's password validators, through the service
        email="not an address",
        name_zh="",
    )
    del data["kind"]  # no default kind: it must be chosen
    response = client_for(language="en").post("/signup/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert {"uscc", "employees", "password", "email", "name_zh", "kind"} <= _fields_with_errors(
        html
    )
    assert "check character" in html and "Choose the kind of your organisation." in html
    assert not User.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_sign_up_has_no_preselected_kind() -> None:
    html = client_for(language="en").get("/signup/").content.decode()
    kinds = re.findall(r'<input type="radio" name="kind"[^>]*>', html)
    assert len(kinds) == 3 and not any("checked" in k for k in kinds)


@pytest.mark.django_db
def test_chinese_validation_messages_read_naturally() -> None:
    data = signup_payload(password="short", employees="abc")
    html = client_for(language="zh-hans").post("/signup/", data).content.decode()
    assert "确保该变量" not in html and ">输入整数。" not in html
    assert "请输入整数。" in html
    assert "密码太短" in html
