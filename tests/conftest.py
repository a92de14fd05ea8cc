"""Shared personas, as in the healthchecks tests: each test knows who is acting.

One set of personas serves every app's tests. The `world` fixture builds them (platform
A's people, platform C, two SMEs, the programme office and batch 1); each persona also has
a fixture of its own, named for its role, and a permission test names personas by these
names (see `tests/permissions.py` for the refusal checks written once):

| persona fixture     | user         | who                                                     |
|---------------------|--------------|---------------------------------------------------------|
| `anonymous`         | None         | nobody logged in                                        |
| `sme_a`             | world.sam    | administrator of the SME "Small Co" (`world.sme`)       |
| `sme_b`             | world.sid    | administrator of another SME, "Other Co" (`other_sme`)  |
| `platform_operator` | world.alice  | editor of platform A (`world.platform_a`)               |
| `platform_viewer`   | world.bob    | viewer at platform A: the same organisation, read only  |
| `other_platform`    | world.charlie| editor of platform C (`world.platform_c`)               |
| `provider`          | world.lena   | editor of a testing laboratory (`world.testing_lab`),   |
|                     |              | a `provider` organisation that publishes like a platform|
| `officer`           | world.officer| programme officer of the office (`world.office`)        |

Every one of them (but the anonymous) belongs to an approved organisation, and all but Bob
hold a write role. The laboratory and Lena are made on first use, so a test that never
asks for them sees the same catalog as before they existed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from synergy_hub.accounts.models import Organisation, OrganisationKind, Role, User
from synergy_hub.accounts.services import create_api_token
from synergy_hub.catalog.models import Batch
from tests import factories
from tests.openapi import API_PREFIX, assert_matches_schema

# Shared, noisy machines: judge property tests by their examples, never by wall-clock time.
hypothesis_settings.register_profile(
    "synergy", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("synergy")


#: Persona name -> the `World` attribute holding its user (None: nobody is logged in).
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "sme_a": "sam",
    "sme_b": "sid",
    "platform_operator": "alice",
    "platform_viewer": "bob",
    "other_platform": "charlie",
    "provider": "lena",
    "officer": "officer",
}


@dataclass
class World:
    officer: User
    office: Organisation
    alice: User
    bob: User
    platform_a: Organisation
    charlie: User
    platform_c: Organisation
    sam: User
    sme: Organisation
    sid: User
    other_sme: Organisation
    batch: Batch

    @cached_property
    def testing_lab(self) -> Organisation:
        """A testing laboratory: a service provider, which publishes resources like a platform."""
        return factories.organisation(
            OrganisationKind.PROVIDER, name_zh="检测实验室", name_en="Testing Lab"
        )

    @cached_property
    def lena(self) -> User:
        """Editor of the testing laboratory."""
        return factories.user(self.testing_lab, Role.EDITOR, email="lena@example.org")

    def persona(self, name: str) -> User | None:
        """The user of a persona named as in `PERSONAS` (None for the anonymous one)."""
        attribute = PERSONAS[name]
        return None if attribute is None else getattr(self, attribute)


@pytest.fixture
def world(db: None) -> World:
    office = factories.organisation(
        OrganisationKind.AUTHORITY, name_zh="工作专班", name_en="Office"
    )
    platform_a = factories.organisation(name_zh="甲平台", name_en="Platform A")
    platform_c = factories.organisation(name_zh="丙平台", name_en="Platform C")
    sme = factories.organisation(OrganisationKind.SME, name_zh="小微企业", name_en="Small Co")
    other_sme = factories.organisation(OrganisationKind.SME, name_zh="另一企业", name_en="Other Co")
    return World(
        officer=factories.user(office, email="officer@example.org"),
        office=office,
        alice=factories.user(platform_a, Role.EDITOR, email="alice@example.org"),
        bob=factories.user(platform_a, Role.VIEWER, email="bob@example.org"),
        platform_a=platform_a,
        charlie=factories.user(platform_c, Role.EDITOR, email="charlie@example.org"),
        platform_c=platform_c,
        sam=factories.user(sme, email="sam@example.org"),
        sme=sme,
        sid=factories.user(other_sme, email="sid@example.org"),
        other_sme=other_sme,
        batch=factories.batch(1),
    )


@pytest.fixture
def anonymous() -> None:
    """Nobody logged in: pages send them to log in, the API answers 401."""
    return None


@pytest.fixture
def sme_a(world: World) -> User:
    return world.sam


@pytest.fixture
def sme_b(world: World) -> User:
    return world.sid


@pytest.fixture
def platform_operator(world: World) -> User:
    return world.alice


@pytest.fixture
def platform_viewer(world: World) -> User:
    return world.bob


@pytest.fixture
def other_platform(world: World) -> User:
    return world.charlie


@pytest.fixture
def provider(world: World) -> User:
    return world.lena


@pytest.fixture
def officer(world: World) -> User:
    return world.officer


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Hashing passwords at production strength would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Any:
    """Service messages are asserted in English; a request's language must not leak.

    Django's locale middleware activates each request's language on the test's thread and
    leaves it there, so without this a test's language depended on the one before it.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_search_index(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own index folder and the model-free encoder (fast, deterministic).

    Tests of the real encoders ask for them explicitly.
    """
    settings.SYNERGY_INDEX_DIR = tmp_path_factory.mktemp("index")
    settings.SYNERGY_ENCODER = "hashing"
    settings.SYNERGY_ENGLISH_ENCODER = ""
    from synergy_hub.matching import documents, services

    services._buffer = services._ExposureBuffer()  # exposure counted by earlier tests
    documents.forget_facts()  # facts read by earlier tests


class Api:
    """Calls /api/v1 as a token holder (or anonymously) and validates each answer."""

    def __init__(self, user: User | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, secret = create_api_token(user, "tests")
            self.headers["Authorization"] = f"Bearer {secret}"

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        url = API_PREFIX + path
        kwargs: dict[str, Any] = {"headers": {**self.headers, **extra.pop("headers", {})}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method.lower())(url, **kwargs, **extra)
        return response.status_code, assert_matches_schema(method, url, response)

    def get(self, path: str, **extra: Any) -> tuple[int, Any]:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        return self.call("POST", path, body if body is not None else {}, **extra)

    def patch(self, path: str, body: Any, **extra: Any) -> tuple[int, Any]:
        return self.call("PATCH", path, body, **extra)

    def delete(self, path: str, **extra: Any) -> tuple[int, Any]:
        return self.call("DELETE", path, **extra)


@pytest.fixture
def api_as() -> Any:
    return Api


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test signs audit checkpoints into a file of its own, like its database."""
    folder = tmp_path_factory.mktemp("audit")
    settings.SYNERGY_AUDIT_CHECKPOINT_FILE = folder / "checkpoints.jsonl"
