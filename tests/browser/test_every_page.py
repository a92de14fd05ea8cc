"""Every page, as every demo persona, in both languages: no error, no leak, no overflow.

The pages come from the URL conf, so a page added tomorrow is visited the day it is added;
each path parameter is filled with a demo object chosen by the word before it (the
authorisation matrix's `KIND_BY_SEGMENT`), preferring one the persona may see. The demo
catalog is loaded once for the module (a small one: the same code as `make run`'s), and
one browser serves every persona and language, with one context each.

Each visit fails on a server error, Django's debug page, known English UI words left on
a Chinese page (and Chinese UI text on an English page: texts stored in the database,
such as titles and names, are user content and not counted), a code shown instead of its
label (`training_incubation`), or a page wider than a 1,280 px window. In the English
tours of FORM_PERSONAS each form (by where it posts to, once a tour) is submitted empty
with the browser's own validation off, the reported fields are filled, and it is
submitted again: a field error that only appears in the second round means the form
reports its errors in two rounds.

A screenshot of each visit goes to `test-artifacts/screenshots/` (`SCREENSHOT_DIR` to
change it), kept by CI as an artifact.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import models
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from synergy_hub.accounts.models import Membership, User
from synergy_hub.demo.loader import DEMO_DOMAIN, DEMO_PASSWORD, load_demo_data
from tests.test_authorisation_matrix import KIND_BY_PATH, KIND_BY_SEGMENT

# The mark makes pytest-django create the test database; the module's one demo is loaded and
# flushed by `demo_site`, not per test (see `_django_db_helper` below).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db,
    # The tour takes minutes; `make test` runs it once, on the default database (the
    # pages' code is the same on PostgreSQL, which the page and flow tests cover).
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="the every-page tour runs on the default database only",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
WIDTH = 1280
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-GB"}
#: Persona -> the demo log-in it uses (None: nobody logged in).
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "sme": f"sme@{DEMO_DOMAIN}",
    "operator": f"operator@{DEMO_DOMAIN}",
    "provider": f"provider@{DEMO_DOMAIN}",
    "officer": f"officer@{DEMO_DOMAIN}",
    "reviewer": f"reviewer@{DEMO_DOMAIN}",
}
#: Whose English tour submits the forms it finds (each once a tour, by where it posts to):
#: the provider's forms are the operator's, so its tour only looks.
FORM_PERSONAS = frozenset({"anonymous", "sme", "operator", "officer", "reviewer"})
#: Problems the tour finds today, owned elsewhere and listed so the suite can be green:
#: (persona, language) -> [(path pattern, what the problem says, why it is known)]. A listed
#: problem that no longer occurs fails the test, so the list only shrinks.
KNOWN_PROBLEMS: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
#: Routes not visited, with the reason.
EXCLUDED: dict[str, str] = {
    "/logout/": "ends the session the other visits need",
    "/i18n/setlang/": "the language switch answers POST only",
    "/password/reset/{uidb64}/{token}/": "needs the one-time token of a reset e-mail",
}
#: Parameters of the steps that change state (POST only); their routes are not visited.
STEP_PARAMETERS = frozenset({"action", "step", "verb"})
#: English words of the UI that must not stand on a Chinese page (outside user content).
ENGLISH_UI_WORDS = (
    "Search",
    "SME",
    "SMEs",
    "Resources",
    "Resource",
    "Request access",
    "Requests",
    "Agreement",
    "Agreements",
    "Save",
    "Submit",
    "Cancel",
    "Status",
    "Price",
    "Description",
    "Title",
    "Log in",
    "Log out",
    "Sign up",
    "Next",
    "Previous",
    "Back",
    "Edit",
    "Delete",
    "Remove",
    "Filter",
    "Home",
    "Workspace",
    "Organisation",
    "Organisations",
    "Needs",
    "Lists",
    "Batch",
    "Programme",
    "Complaints",
    "Notifications",
    "Required",
    "This field",
    "Choose",
    "Enter",
    "None",
    "Yes",
    "No",
    "Total",
    "Details",
    "Capacity",
    "Quantity",
    "Period",
    "Region",
    "Industry",
    "Created",
    "Updated",
    "Published",
    "Draft",
    "Submitted",
    "Returned",
    "Active",
    "Open",
    "Closed",
    "Accepted",
    "Rejected",
    "Withdrawn",
    "Offered",
    "Requested",
    "Show",
    "More",
    "Page",
    "of",
    "and",
    "the",
)
ENGLISH_UI = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH_UI_WORDS) + r")\b")
HAN = re.compile(r"[\u4e00-\u9fff]")
#: A code shown instead of its label (`training_incubation`), in either language.
RAW_CODE = re.compile(r"(?<![\w@./-])[a-z]+(?:_[a-z]+)+(?![\w@./-])")
#: What the form check types into a text field (user content wherever it shows up later).
FILL_TEXT = "示例内容 Example text long enough to say something"
DEBUG_PAGE = ("You're seeing this error because you have", "Traceback (most recent call last)")

# Text nodes of the page outside scripts, styles, code and elements in another language
# (the language switch names each language in itself).
PAGE_FACTS_JS = """
() => {
  const lang = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, code, pre, textarea, [data-user-content]')) continue;
    const tagged = el.closest('[lang]');
    if (tagged && tagged.lang && tagged.lang !== lang) continue;
    if (el.closest('[hidden], [aria-hidden=true]')) continue;
    nodes.push(text);
  }
  const root = document.documentElement;
  return {nodes: nodes, overflow: root.scrollWidth - root.clientWidth, text: root.innerText};
}
"""
FIELD_ERRORS_JS = (
    "() => Array.from(document.querySelectorAll('.error[data-field]')).map(e => e.dataset.field)"
)


@dataclass(frozen=True)
class Visit:
    """One page as one persona in one language, with what was wrong with it."""

    persona: str
    language: str
    path: str
    problems: list[str] = field(default_factory=list)


# --- the routes ------------------------------------------------------------------------------


def page_routes() -> list[str]:
    """Every page route of the URL conf as a template (`/lists/{pk}/`), API and admin aside."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = []
    for raw in walk(get_resolver().url_patterns, ""):
        if raw.startswith(("admin/", "api/v1/")):
            continue  # the back office (Django's) and the JSON API (schemathesis) aside
        template = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", raw)
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
        template = "/" + template.replace("^", "").replace("$", "").replace("\\", "")
        names = set(re.findall(r"{(\w+)}", template))
        if template in EXCLUDED or names & STEP_PARAMETERS or "{fmt}" in template:
            continue  # machine formats ({fmt}) are checked by the interop tests
        routes.append(template)
    return [*routes, "/api/v1/docs", "/admin/"]


def kind_of(template: str, name: str) -> str | None:
    """The kind of object `{name}` stands for, by the path before it."""
    before = template.split("{" + name + "}")[0].strip("/").split("/")
    for width in (2, 1):
        key = "/".join(before[-width:])
        found = KIND_BY_PATH.get(key) if width == 2 else KIND_BY_SEGMENT.get(key)
        if found:
            return found
    return None


# --- the demo --------------------------------------------------------------------------------


def _objects() -> dict[str, list[Any]]:
    """Demo objects by kind, for filling in paths (most visible ones first)."""
    from synergy_hub.access.models import AccessRequest, Agreement, AllocationRound
    from synergy_hub.catalog.models import Need, OpennessList
    from synergy_hub.catalog.selectors import published_resources
    from synergy_hub.governance.models import Complaint, FeeNotice, FeeSchedule
    from synergy_hub.programmes.models import (
        Application,
        PilotCall,
        PilotProject,
        ReviewAssignment,
        Scenario,
        ServicePlatform,
    )

    organisations = apps.get_model("accounts", "Organisation").objects.order_by("pk")
    return {
        "resource": list(published_resources().order_by("pk")),
        "list": list(OpennessList.objects.order_by("-state", "pk")),
        "need": list(Need.objects.order_by("pk")),
        "request": list(AccessRequest.objects.order_by("pk")),
        "agreement": list(Agreement.objects.order_by("pk")),
        "organisation": list(organisations),
        "round": list(AllocationRound.objects.order_by("pk")),
        "call": list(PilotCall.objects.order_by("pk")),
        "application": list(Application.objects.order_by("pk")),
        "project": list(PilotProject.objects.order_by("pk")),
        "platform": list(ServicePlatform.objects.order_by("pk")),
        "scenario": list(Scenario.objects.order_by("pk")),
        "review": list(ReviewAssignment.objects.order_by("pk")),
        "complaint": list(Complaint.objects.order_by("pk")),
        "fee_schedule": list(FeeSchedule.objects.order_by("pk")),
        "fee_notice": list(FeeNotice.objects.order_by("pk")),
    }


def _mine(obj: Any, organisation_id: int | None, user_id: int | None) -> bool:
    """Whether the persona's organisation (or the persona) is a party to the object."""
    for attr in (
        "consumer_id",
        "provider_id",
        "organisation_id",
        "publisher_id",
        "platform_id",
        "complainant_id",
        "applicant_id",
        "lead_id",
    ):
        if organisation_id is not None and getattr(obj, attr, None) == organisation_id:
            return True
    if getattr(obj, "reviewer_id", None) == user_id and user_id is not None:
        return True
    return getattr(obj, "pk", None) == organisation_id and obj._meta.model_name == "organisation"


def fill(template: str, objects: dict[str, list[Any]], persona: str) -> str | None:
    """The template with a demo object for each parameter, the persona's own where it has one."""
    email = PERSONAS[persona]
    user = User.objects.filter(email=email).first() if email else None
    membership = Membership.objects.filter(user=user).first() if user else None
    organisation_id = membership.organisation_id if membership else None
    path = template
    for name in re.findall(r"{(\w+)}", template):
        kind = kind_of(template, name)
        candidates = objects.get(kind or "", [])
        if not candidates:
            return None
        chosen = next(
            (o for o in candidates if _mine(o, organisation_id, user.pk if user else None)),
            candidates[0],
        )
        value = str(chosen.lineage) if name in ("lineage", "dataset_id") else str(chosen.pk)
        path = path.replace("{" + name + "}", value, 1)
    return path


#: JSON fields that hold machine data (policies, decision details), not user texts.
MACHINE_JSON = frozenset({"policy", "usage_policy", "params", "duties", "priorities"})


def _strings(value: Any) -> Iterator[str]:
    """Every string in a row or JSON document."""
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def user_texts() -> set[str]:
    """Every text stored in the project's tables: user content, in whatever language."""
    texts: set[str] = set()
    labels = {"accounts", "catalog", "access", "programmes", "governance", "tiers"}
    for model in apps.get_models():
        if model._meta.app_label not in labels or model.__name__ in ("Region", "Industry"):
            continue  # the code lists are the site's own words, not user content
        columns = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        documents = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.JSONField) and f.name not in MACHINE_JSON
        ]
        for row in model._default_manager.values_list(*columns, *documents):
            for text in _strings(row):
                texts.add(text.strip())
                texts.update(part.strip() for part in text.split(" / "))
    return texts


@pytest.fixture
def _fresh_login_counts() -> None:
    """Replaces the browser tests' per-test flush: this module's tests share one demo."""


@pytest.fixture
def _django_db_helper() -> None:
    """Replaces pytest-django's per-test transaction: the tests only browse the demo, which
    the live server must see committed (a test transaction would hold SQLite's write lock
    against the server's session writes); `demo_site` opens the database and flushes it."""


@pytest.fixture(scope="module")
def demo_site(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    from pytest_django.live_server_helper import LiveServer

    checkpoints = tmp_path_factory.mktemp("audit") / "checkpoints.jsonl"
    with (
        django_db_blocker.unblock(),
        # The tests' own hasher (tests/conftest.py), so the demo passwords check in them.
        override_settings(
            SYNERGY_AUDIT_CHECKPOINT_FILE=checkpoints,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        load_demo_data(resources=150, smes=30, needs=20, today=timezone.localdate())
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        texts = user_texts() | {FILL_TEXT, *FILL_TEXT.split(" ", 1)}
        try:
            yield {
                "url": server.url,
                "objects": _objects(),
                "texts": texts,
                "longest_first": sorted(
                    (t for t in texts if len(t) > 1 and not t.isdigit()), key=len, reverse=True
                ),
                "routes": page_routes(),
            }
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


# --- the checks ------------------------------------------------------------------------------


def _without(text: str, texts: list[str]) -> str:
    """The text with the user content in it blanked out (a name beside a title, a quote);
    `texts` longest first, so a title goes whole before a word of it."""
    for known in texts:
        if known in text:
            text = text.replace(known, " ")
    return text


def page_problems(
    response: Answer, facts: dict[str, Any], language: str, site: dict[str, Any]
) -> list[str]:
    problems = []
    if response.status >= 500:
        problems.append(f"server error {response.status}")
    if any(marker in facts["text"] for marker in DEBUG_PAGE):
        problems.append("Django's debug page")
    wrong = ENGLISH_UI if language == "zh-hans" else HAN
    texts = site["texts"]
    suspects = [t for t in facts["nodes"] if t not in texts and wrong.search(t)]
    rests = (_without(t, site["longest_first"]) for t in suspects)
    left = sorted({rest.strip()[:40] for rest in rests if wrong.search(rest)})
    if left:
        what = (
            "English UI text on a Chinese page"
            if language == "zh-hans"
            else "Chinese text on an English page"
        )
        problems.append(f"{what}: {' | '.join(left[:8])}")
    codes = sorted(
        {m.group(0) for t in facts["nodes"] if t not in texts for m in RAW_CODE.finditer(t)}
    )
    if codes:
        problems.append(f"raw codes instead of words: {', '.join(codes[:8])}")
    if facts["overflow"] > 0:
        problems.append(f"{facts['overflow']} px wider than a {WIDTH} px window")
    return problems


#: Fills a hidden field: a select's first real option, a box checked, else the value.
HIDDEN_FILL_JS = """
(e, text) => {
  if (e.tagName.toLowerCase() === 'select') {
    const option = Array.from(e.options).find(o => o.value);
    if (option) option.selected = true;
  } else if (e.type === 'checkbox' || e.type === 'radio') {
    e.checked = true;
  } else {
    e.value = text;
  }
  e.dispatchEvent(new Event('change', {bubbles: true}));
}
"""


def _fill_valid(page: Any, form: Any, fields: list[str]) -> None:
    """Put a plausible value in each named field (what a user fixing the errors would do)."""
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    for name in fields:
        element = form.query_selector(f"[name='{name}']")
        if element is None:
            continue
        tag = element.evaluate("e => e.tagName.toLowerCase()")
        kind = (element.get_attribute("type") or "").lower()
        if not element.is_visible():
            # Behind a picker or a step: set it as the page's own script would.
            element.evaluate(HIDDEN_FILL_JS, FILL_TEXT if kind not in ("number",) else "10")
            continue
        if tag == "select":
            values = element.evaluate("e => Array.from(e.options).map(o => o.value).filter(v => v)")
            if values:
                element.select_option(values[0])
        elif kind in ("checkbox", "radio"):
            element.check()
        elif kind == "file":
            continue
        elif kind == "number":
            element.fill("10")
        elif kind == "email":
            element.fill("someone@example.org")
        elif kind == "date":
            element.fill(day)
        elif kind == "datetime-local":
            element.fill(day + "T10:00")
        elif kind == "url":
            element.fill("https://example.org/")
        else:
            element.fill(FILL_TEXT)


FORMS_JS = """
() => Array.from(document.querySelectorAll('form')).map((f, i) => ({
  index: i,
  post: (f.getAttribute('method') || '').toLowerCase() === 'post',
  action: new URL(f.action, location.href).pathname.replace(/[0-9]+/g, 'N'),
  fields: Array.from(f.elements).filter(e => e.name && !['hidden', 'submit', 'button']
    .includes(e.type)).length,
}))
"""


def _submit(page: Any, index: int) -> set[str]:
    """Submit the page's form number `index` as it stands, without the browser's checks."""
    form = page.query_selector_all("form")[index]
    form.evaluate("f => { f.noValidate = true; }")
    if form.get_attribute("hx-post"):
        # htmx answers in place: wait for its answer and the swap, not for a navigation.
        with page.expect_response(lambda r: r.request.method == "POST", timeout=30_000):
            form.evaluate("f => f.requestSubmit()")
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
        return set(page.evaluate(FIELD_ERRORS_JS))
    try:
        with page.expect_navigation(timeout=30_000):
            form.evaluate("f => f.requestSubmit()")
    except Exception:  # noqa: S110 - a page that answers in place is read as it stands
        pass
    page.wait_for_load_state()
    return set(page.evaluate(FIELD_ERRORS_JS))


def form_problems(page: Any, url: str, seen: set[str]) -> list[str]:
    """Submit each new form of the page empty, fill in what it reports, submit it again."""
    problems = []
    skip = ("/logout/", "/i18n/")
    for facts in page.evaluate(FORMS_JS):
        action = facts["action"]
        if not facts["post"] or not facts["fields"] or action in seen or action.startswith(skip):
            continue
        seen.add(action)
        page.goto(url)
        form = page.query_selector_all("form")[facts["index"]]
        for element in form.query_selector_all("input, textarea"):
            kind = (element.get_attribute("type") or "text").lower()
            if not element.is_visible():
                continue  # a field the page hides (for another access mode, behind a picker)
            if kind == "checkbox":
                element.uncheck()
            elif kind not in ("hidden", "submit", "button", "file", "radio"):
                element.fill("")
        first = _submit(page, facts["index"])
        if not first:
            continue  # accepted empty, or an error for the whole form only
        forms = page.query_selector_all("form")
        again = next((f for f in forms if f.query_selector(".error[data-field]")), None)
        if again is None:
            continue
        _fill_valid(page, again, sorted(first))
        second = _submit(page, forms.index(again))
        late = sorted(second - first)
        if late:
            problems.append(f"the form to {action} reports {late} only in a second round")
    return problems


# --- the tour --------------------------------------------------------------------------------


def _context(browser: Any, base: str, persona: str, language: str, state: Any) -> Any:
    context = browser.new_context(
        locale=LANGUAGES[language],
        viewport={"width": WIDTH, "height": 900},
        storage_state=state,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    context.set_default_timeout(20_000)
    return context


def _log_in(browser: Any, base: str, email: str) -> Any:
    caches["throttle"].clear()
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/workspace/")
    state = context.storage_state()
    context.close()
    return state


@dataclass(frozen=True)
class Answer:
    """What a visit got: the status and content type of the page it ended on."""

    status: int
    content_type: str


def _goto(page: Any, url: str) -> tuple[Answer | None, str]:
    """Open a URL: (answer, "") or (None, why not). A download, or an error status with an
    empty body (a 405), is not a page; a navigation the page starts itself (a redirect, a
    refresh) is waited for and the page it ends on is read."""
    try:
        response = page.goto(url, wait_until="domcontentloaded")
    except Exception as error:
        message = str(error)
        if "Download is starting" in message:
            return None, "download"
        if "ERR_HTTP_RESPONSE_CODE_FAILURE" in message:
            return None, f"status {page.context.request.get(url, max_redirects=0).status}"
        if "interrupted by another navigation" not in message:
            return None, f"did not load: {message[:200]}"
        page.wait_for_load_state("domcontentloaded")
        if not page.url.startswith("http"):  # it ended on the browser's error page
            return None, f"status {page.context.request.get(url, max_redirects=0).status}"
        answer = page.context.request.get(page.url)
        return Answer(answer.status, answer.headers.get("content-type", "")), ""
    if response is None:
        return None, "did not load: no response"
    return Answer(response.status, response.headers.get("content-type") or ""), ""


def tour(browser: Any, site: dict[str, Any], persona: str, language: str) -> list[Visit]:
    base = site["url"]
    email = PERSONAS[persona]
    state = _log_in(browser, base, email) if email else None
    context = _context(browser, base, persona, language, state)
    page = context.new_page()
    folder = SCREENSHOTS / f"{persona}-{language}"
    folder.mkdir(parents=True, exist_ok=True)
    visits = []
    clock = {"goto": 0.0, "check": 0.0, "shot": 0.0, "forms": 0.0}
    forms_seen: set[str] = set()  # forms checked in this tour, by where they post to
    for template in site["routes"]:
        path = fill(template, site["objects"], persona)
        if path is None:
            continue  # the demo has no object of that kind
        visit = Visit(persona, language, path)
        visits.append(visit)
        started = time.perf_counter()
        response, why_not = _goto(page, base + path)
        clock["goto"] += time.perf_counter() - started
        if response is None:
            status = int(why_not.split()[-1]) if why_not.startswith("status") else 0
            if why_not.startswith("did not load") or status >= 500:
                visit.problems.append(why_not)
            continue
        if page.url.startswith(f"{base}/login/") and not path.startswith("/login/"):
            continue  # the login page, checked on its own visit
        started = time.perf_counter()
        if response.status >= 500:
            visit.problems.append(f"server error {response.status}")
        if "html" in response.content_type:
            facts = page.evaluate(PAGE_FACTS_JS)
            visit.problems.extend(page_problems(response, facts, language, site))
        clock["check"] += time.perf_counter() - started
        started = time.perf_counter()
        name = re.sub(r"[^\w.-]+", "_", path.strip("/")) or "home"
        if not _screenshot(page, folder / f"{name}.jpeg"):
            visit.problems.append("the page could not be rendered to a screenshot, twice")
        clock["shot"] += time.perf_counter() - started
        checks_forms = language == "en" and persona in FORM_PERSONAS
        if checks_forms and response.status == 200 and page.url == base + path:
            started = time.perf_counter()
            visit.problems.extend(form_problems(page, base + path, forms_seen))
            clock["forms"] += time.perf_counter() - started
    context.close()
    print(persona, language, len(visits), "visits", {k: round(v, 1) for k, v in clock.items()})
    return visits


class KnownProblems(Exception):
    """Only problems listed in KNOWN_PROBLEMS were found (the test is an expected failure)."""


def _params() -> list[Any]:
    params = []
    for persona in PERSONAS:
        for language in LANGUAGES:
            known = KNOWN_PROBLEMS.get((persona, language))
            marks = (
                [
                    pytest.mark.xfail(
                        raises=KnownProblems,
                        strict=True,
                        reason="; ".join(f"{path}: {why}" for path, _, why in known),
                    )
                ]
                if known
                else []
            )
            params.append(pytest.param(persona, language, marks=marks, id=f"{persona}-{language}"))
    return params


def _screenshot(page: Any, path: Path) -> bool:
    """Save what the page shows; a renderer still busy gets one more try once it has loaded.

    Headless Chromium now and then answers "Unable to capture screenshot" for a page that
    is still compositing on a loaded machine; a page that fails twice is a problem.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(2):
        try:
            page.screenshot(path=str(path), type="jpeg", quality=70)
            return True
        except PlaywrightError:
            if attempt:
                return False
            page.wait_for_load_state("load")
            page.wait_for_timeout(250)
    return False


@pytest.mark.parametrize(("persona", "language"), _params())
def test_every_page(browser: Any, demo_site: dict[str, Any], persona: str, language: str) -> None:
    visits = tour(browser, demo_site, persona, language)
    assert len(visits) > 40  # the routes were found and filled
    known = KNOWN_PROBLEMS.get((persona, language), [])
    found = [f"{v.path}: {p}" for v in visits for p in v.problems]

    def matches(problem: str, path: str, what: str) -> bool:
        return re.match(path + ": ", problem) is not None and what in problem

    unknown = [p for p in found if not any(matches(p, path, what) for path, what, _ in known)]
    gone = [
        f"{path}: {what}"
        for path, what, _ in known
        if not any(matches(p, path, what) for p in found)
    ]
    assert not unknown, f"\n({persona}, {language}):\n" + "\n".join(unknown)
    assert not gone, "fixed, remove from KNOWN_PROBLEMS:\n" + "\n".join(gone)
    if known:
        raise KnownProblems("\n".join(found))
