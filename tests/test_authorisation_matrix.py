"""The authorisation matrix: every route that names an object, tried by every persona on
another organisation's objects, answers no 2xx and changes nothing.

The routes are not listed by hand: the pages come from the URL conf, the API operations
from its OpenAPI schema and the back office from the admin registry, so a route added
tomorrow is in the matrix the day it is added (the CKAN actions, which name their object
in the query, are the two listed below). Each path parameter is filled with an
object of the organisations the persona does not belong to, chosen by the word before it
(`lists/<pk>` a list, `/needs/{need_id}` a need). A refusal is any answer but 2xx
(404 "not yours", 403, a redirect to the login page); and whatever the answer, every
table's row count and the audit chain's head must be as they were.

The tenants are platform A with its SME customer "Small Co" (a draft list and resource,
the SME's need, a pending access request, an agreement, tokens) and platform C with the
SME "Other Co" (a draft list and resource, a need, a request, a token). Each persona is
an outsider to one of them; the programme officer is an outsider to the parties' own
records (needs, requests, agreements, tokens), which its role does not open.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from synergy_hub.access import services as access_services
from synergy_hub.access.services.rounds import open_round, request_in_round
from synergy_hub.accounts.models import Role
from synergy_hub.accounts.services import create_api_token, request_eligibility_change
from synergy_hub.assistant.services import take_turn
from synergy_hub.audit.models import AuditEvent, ChainHead
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance import services as governance_services
from synergy_hub.governance.models import FeeNotice
from synergy_hub.programmes import services as programme_services
from synergy_hub.programmes.models import PilotProject
from synergy_hub.tiers.services import keep_evaluation, save_indicators
from tests import factories
from tests.access.conftest import agreed, requested, terms
from tests.conftest import World
from tests.openapi import openapi
from tests.pages import client_for
from tests.programmes.conftest import application_data, call_data, reviewer
from tests.tiers.test_services import SRDI_2024, SRDI_2025

#: The kind of object a path parameter names, by the path segment before it.
KIND_BY_SEGMENT = {
    "resources": "resource",
    "lists": "list",
    "review": "list",
    "needs": "need",
    "requests": "request",
    "access-requests": "request",
    "agreements": "agreement",
    "tokens": "token",
    "organisations": "organisation",
    "datasets": "resource",
    "eligibility-changes": "eligibility_change",
    "rounds": "round",
    "allocation-rounds": "round",
    "round-requests": "round_request",
    "calls": "call",
    "applications": "application",
    "projects": "project",
    "evidence": "evidence",
    "scenarios": "scenario",
    "reviews": "review",
    "programmes": "programme",
    "evaluations": "evaluation",
    "fees": "fee_schedule",
    "fee-schedules": "fee_schedule",
    "notices": "fee_notice",
    "fee-notices": "fee_notice",
    "complaints": "complaint",
    "measures": "measure",
    "relationship-measures": "measure",
    "platforms": "organisation",
    "conversations": "conversation",
    "turns": "turn",
    "drafts": "draft",
}
#: Where the segment alone is ambiguous: the kind by the path's part before the parameter.
KIND_BY_PATH = {"programmes/platforms": "platform", "rounds/requests": "round_request"}
#: Kinds whose objects are public (an approved organisation's profile): any persona may be
#: answered about them, by any method, as long as nothing changes.
PUBLIC_KINDS = frozenset(
    {"organisation", "round", "call", "project", "platform", "scenario", "programme"}
)
#: The kinds only the parties themselves may see: outsiders to the officer, too.
PARTY_KINDS = frozenset(
    {
        "need",
        "request",
        "agreement",
        "token",
        "evaluation",
        "round_request",
        "fee_notice",
        "fee_schedule",
        "conversation",
        "turn",
        "draft",
    }
)
#: Values tried for a `<str:action>` parameter: every step a page route takes.
ACTIONS = ("accept", "agree", "withdraw", "start_review", "publish", "return", "approve", "reject")
#: Tables whose rows a refused request may add: sessions, login-attempt and rate-limit logs.
BOOKKEEPING = frozenset({"sessions", "axes"})


@dataclass(frozen=True)
class Tenant:
    """One platform with its SME customer, and the objects only they may see or change."""

    objects: dict[str, list[Any]]

    def value(self, kind: str, name: str, obj: Any) -> str:
        if name in ("lineage", "dataset_id"):
            return str(obj.lineage)
        if name == "programme_code":
            return str(obj.code)
        return str(obj.pk)


def _tenant_a(world: World) -> Tenant:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    gpu = factories.resource(published)
    dataset = factories.resource(published)
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    return Tenant(
        {
            "list": [draft],
            "resource": [factories.resource(draft)],
            "need": [factories.need(world.sme, world.sam)],
            "request": [requested(world, gpu)],
            "agreement": [agreed(world, dataset)],
            "token": [create_api_token(world.alice, "a")[0], create_api_token(world.sam, "s")[0]],
            "organisation": [world.platform_a, world.sme],
            "eligibility_change": [
                request_eligibility_change(
                    world.sam,
                    world.sme,
                    {"tier": "little_giant"},
                    SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n%%EOF\n"),
                )
            ],
            "evaluation": [_evaluation(world)],
            **_round_and_request(world, published),
            **_pilot_work(world, gpu),
            **_governance(world.alice, world.sam, world.platform_a),
            **_assistant(world.sam),
            "measure": [_restriction(world.alice, world.sme, gpu)],
        }
    )


def _pilot_work(world: World, gpu: Any) -> dict[str, list[Any]]:
    """A call with Small Co's application, scored and selected into a project; a platform
    and a scenario of tenant A's organisations."""
    call = programme_services.create_call(world.officer, factories.programme(), call_data())
    call = programme_services.open_call(world.officer, call)
    application = programme_services.create_application(
        world.sam, call, application_data([world.platform_a.pk], [gpu.pk])
    )
    programme_services.submit_application(world.sam, application)
    assignments = []
    for person in (reviewer("Ada"), reviewer("Ben"), reviewer("Cai")):
        assignment = programme_services.assign_reviewer(world.officer, application, person)
        programme_services.submit_scores(person, assignment, {"impact": 9, "feasibility": 9})
        assignments.append(assignment)
    programme_services.close_call(world.officer, call)
    programme_services.run_selection(world.officer, call)
    platform = programme_services.register_platform(
        world.alice,
        {
            "name_zh": "工业互联网服务平台",
            "services": "质检模型",
            "region": "330100",
            "pillar": "open",
        },
    )
    scenario = programme_services.propose_scenario(
        world.sam,
        {
            "title_zh": "智能排产",
            "problem": "排产困难",
            "ai_capability": "agent",
            "region": "330100",
            "pillar": "open",
        },
    )
    projects = list(PilotProject.objects.filter(application=application))
    assert projects, "the selection chose the only application"
    return {
        "call": [call],
        "application": [application],
        "review": assignments[:1],
        "project": projects,
        "platform": [platform],
        "scenario": [scenario],
        "programme": [call.programme],
    }


def _round_and_request(world: World, published: Any) -> dict[str, list[Any]]:
    lab = factories.resource(published, unit="lab_day", capacity=Decimal(10), capacity_period="day")
    admin_a = factories.user(world.platform_a, Role.ADMIN, email="admin-a@example.org")
    day = timezone.localdate() + timedelta(days=2)
    the_round = open_round(
        admin_a,
        {
            "title": "Lab days",
            "resources": [lab.pk],
            "starts_on": day,
            "ends_on": day,
            "fairness": "proportional",
        },
    )
    asked = request_in_round(
        world.sam,
        the_round,
        {
            "resource": lab.pk,
            "quantity": 4,
            "minimum": 0,
            "purpose": "tests",
            "purpose_code": "research",
        },
    )
    return {"round": [the_round], "round_request": [asked]}


def _governance(operator: Any, sme_user: Any, platform: Any) -> dict[str, list[Any]]:
    """A draft fee schedule, a notice of a published one, a complaint with its evidence.

    The SME has a request with the platform already, so the published change notifies it;
    the draft is the platform's alone (a published schedule is public).
    """
    schedule = {
        "summary_zh": "佣金调整",
        "items": [{"kind": "commission", "basis": "percentage", "rate": "4"}],
    }
    published = governance_services.draft_fee_schedule(operator, schedule)
    governance_services.publish_fee_schedule(
        operator, published, timezone.now() + timedelta(days=8)
    )
    complaint = governance_services.file_complaint(
        sme_user,
        platform,
        {"category": "fees", "subject": "Fee", "description": "An undisclosed fee."},
        evidence=[SimpleUploadedFile("invoice.txt", b"fee")],
    )
    return {
        "fee_schedule": [governance_services.draft_fee_schedule(operator, schedule)],
        "fee_notice": list(FeeNotice.objects.filter(schedule=published)),
        "complaint": [complaint],
        "evidence": list(complaint.evidence.all()),
    }


def _restriction(operator: Any, sme: Any, resource: Any) -> Any:
    """The platform restricts the SME on one resource it requested (taken last: it blocks)."""
    return governance_services.take_relationship_measure(
        operator,
        sme,
        "restriction",
        {
            "scope": "The GPU pool only.",
            "facts": "Unpaid invoices.",
            "ground": "Terms 7.2.",
            "redress": "File a complaint.",
            "resources": [resource.pk],
        },
    )


def _assistant(sme_user: Any) -> dict[str, list[Any]]:
    """A conversation with the assistant, its answer and a pending draft: its owner's alone."""
    answer = take_turn(sme_user, "需要GPU算力训练模型")
    return {
        "conversation": [answer.conversation],
        "turn": [answer],
        "draft": list(answer.drafts.all()[:1]),
    }


def _evaluation(world: World) -> Any:
    for year, values in ((2024, SRDI_2024), (2025, SRDI_2025)):
        save_indicators(world.sam, year, values)
    return keep_evaluation(world.sam, 2025, "cn-2022")


def _tenant_c(world: World) -> Tenant:
    published = factories.openness_list(
        world.platform_c, world.batch, world.charlie, state=ListState.PUBLISHED
    )
    offered = factories.resource(published)
    draft = factories.openness_list(world.platform_c, world.batch, world.charlie)
    return Tenant(
        {
            "list": [draft],
            "resource": [factories.resource(draft)],
            "need": [factories.need(world.other_sme, world.sid)],
            "request": [access_services.request_access(world.sid, offered, terms())],
            "token": [create_api_token(world.charlie, "c")[0], create_api_token(world.sid, "d")[0]],
            "organisation": [world.platform_c, world.other_sme],
            **_governance(world.charlie, world.sid, world.platform_c),
            **_assistant(world.sid),
            "measure": [_restriction(world.charlie, world.other_sme, offered)],
        }
    )


#: Persona -> the tenant whose objects it tries (it belongs to neither's organisations).
OUTSIDER_OF = {
    "anonymous": "a",
    "sme_a": "c",
    "sme_b": "a",
    "platform_operator": "c",
    "platform_viewer": "c",
    "other_platform": "a",
    "provider": "a",
    "officer": "a",
}


# --- the routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A templated path with its parameters as `{name}`, and the methods to try."""

    via: str  # "page", "api", "ckan" or "admin"
    template: str
    methods: tuple[str, ...]
    body: dict[str, Any] | None = None


def _page_routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for raw in walk(get_resolver().url_patterns, ""):
        if raw.startswith(("admin/", "api/v1/")):
            continue  # the back office and the API are walked from their own registries
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", raw)
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
        template = "/" + template.replace("^", "").replace("$", "").replace("\\", "")
        if "{" in template:
            yield Route("page", template, ("GET", "POST"))


def _minimal(schema: dict[str, Any]) -> Any:
    """A value the schema accepts (required fields only): the lookup must be what refuses."""
    if "$ref" in schema:
        schema = openapi()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:
        return _minimal(schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: _minimal(schema["properties"][name]) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2030-01-01"
    if schema.get("format") == "date-time":
        return "2030-01-01T00:00:00Z"
    return "x"


def _api_routes() -> Iterator[Route]:
    for path, operations in openapi()["paths"].items():
        if "{" not in path:
            continue
        for method, operation in operations.items():
            body = None
            for content in operation.get("requestBody", {}).get("content", {}).values():
                body = _minimal(content["schema"])
            yield Route("api", path, (method.upper(),), body)


def _admin_routes() -> Iterator[Route]:
    registered = {model._meta.label for model in admin.site._registry}
    names = {
        "catalog.OpennessList": "list",
        "catalog.Resource": "resource",
        "catalog.Need": "need",
        "access.AccessRequest": "request",
        "access.Agreement": "agreement",
        "accounts.ApiToken": "token",
        "accounts.Organisation": "organisation",
    }
    for label, kind in names.items():
        if label in registered:
            app_label, model = label.lower().split(".")
            for view in ("change", "delete", "history"):
                yield Route(
                    "admin", f"/admin/{app_label}/{model}/{{{kind}}}/{view}/", ("GET", "POST")
                )


def _ckan_routes() -> Iterator[Route]:
    """The CKAN actions that name one package: by id in the query, with the caller's key."""
    yield Route("ckan", "/api/3/action/package_show?id={lineage}", ("GET", "POST"))
    yield Route("ckan", "/api/3/action/resource_show?id={lineage}-access", ("GET", "POST"))


def routes() -> list[Route]:
    return [*_page_routes(), *_api_routes(), *_admin_routes(), *_ckan_routes()]


def _fillings(route: Route, tenant: Tenant, persona: str) -> Iterator[tuple[str, str]]:
    """(path, kind) for each way of filling the route's parameters with the tenant's objects."""
    names = re.findall(r"\{(\w+)\}", route.template)
    segments = route.template.strip("/").split("/")
    kind = None
    values: dict[str, list[str]] = {}
    names_an_object = False
    for name in names:
        index = next(i for i, s in enumerate(segments) if "{" + name + "}" in s)
        before = segments[index - 1] if index else ""
        if route.via == "admin":
            kind = name
        elif route.via == "ckan":
            kind = "resource"
        if name == "action":
            values[name] = list(ACTIONS)
        elif name == "fmt":
            values[name] = ["ttl"]
        elif name == "part":
            values[name] = ["distribution"]
        elif name in ("verb", "uidb64", "token"):
            return  # the CKAN actions take no object in the path; a reset link is no object
        else:
            names_an_object = True
            ahead = "/".join(segments[max(0, index - 2) : index])
            kind = kind or KIND_BY_PATH.get(ahead) or KIND_BY_SEGMENT.get(before)
            assert kind, f"{route.template}: which kind of object is {{{name}}}?"
            if persona == "officer" and kind not in PARTY_KINDS:
                return
            objects = tenant.objects.get(kind, [])
            values[name] = [tenant.value(kind, name, obj) for obj in objects]
    if not names_an_object:
        return  # `catalog.{fmt}`: a parameter, but no object to belong to anyone
    combos: list[dict[str, str]] = [{}]
    for name, options in values.items():
        combos = [{**combo, name: option} for combo in combos for option in options]
    for combo in combos:
        path = route.template
        for name, value in combo.items():
            path = path.replace("{" + name + "}", value)
        yield path, kind or ""


# --- the check --------------------------------------------------------------------------------


def _state() -> tuple[Any, ...]:
    """Every table's row count and the audit chain's head (one query for all the counts)."""
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in apps.get_models()
        if model._meta.app_label not in BOOKKEEPING
    ]
    with connection.cursor() as cursor:
        # The table names come from the model registry, quoted: no outside input.
        counts_sql = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
        cursor.execute("SELECT " + counts_sql)
        counts = tuple(cursor.fetchone())
    head = ChainHead.objects.values_list().first()
    return counts, AuditEvent.objects.count(), head


def _api_client(user: Any) -> tuple[Client, dict[str, str]]:
    if user is None:
        return Client(), {}
    _token, secret = create_api_token(user, "matrix")
    return Client(), {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("persona", sorted(OUTSIDER_OF))
def test_no_persona_reaches_another_organisations_objects(world: World, persona: str) -> None:
    tenants = {"a": _tenant_a(world), "c": _tenant_c(world)}
    tenant = tenants[OUTSIDER_OF[persona]]
    user = world.persona(persona)
    page_client = client_for(user)
    api_client, headers = _api_client(user)
    violations: list[str] = []
    tried = 0
    for route in routes():
        for path, kind in _fillings(route, tenant, persona):
            for method in route.methods:
                before = _state()
                if route.via in ("api", "ckan"):
                    kwargs: dict[str, Any] = {"headers": headers}
                    if route.body is not None:
                        kwargs |= {"data": route.body, "content_type": "application/json"}
                    response = getattr(api_client, method.lower())(path, **kwargs)
                else:
                    response = getattr(page_client, method.lower())(path)
                tried += 1
                if 200 <= response.status_code < 300 and kind not in PUBLIC_KINDS:
                    violations.append(f"{method} {path}: {response.status_code}")
                if _state() != before:
                    violations.append(f"{method} {path}: changed the database")
    assert tried > 50, f"only {tried} requests: the routes were not found"
    assert not violations, f"{persona} reached another organisation's objects:\n" + "\n".join(
        violations
    )
