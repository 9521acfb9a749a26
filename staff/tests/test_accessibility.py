"""The public pages meet WCAG 2.1 AA, checked in a real browser.

With Haninge's demo data loaded, the pages are found by crawling from "/" (see
crawl.py) and one page of each kind (URL name) is opened in Debian's Chromium,
driven by Playwright, served by pytest-django's live_server. Each page is checked
at 1280 px and at 320 px wide: axe-core with the WCAG 2.0/2.1 A and AA rules,
one h1, a main landmark, a skip link first in the tab order, lang="sv", no
request to another host, no horizontal scrolling at 320 px and under 100 kB in all.
The admin's two-factor page, which every staff user sees at each login, is checked
the same way in both of its forms: asking for the code, and adding a device (QR
code and key), for a user logged in with the password through the login form. So
are the pages of a user past the second factor: the recovery codes, before and
after pressing "Skapa reservkoder" (the new codes), and adding the app to a new
phone.

The browser is Chromium from Debian (/usr/bin/chromium, or CHROMIUM_PATH); the
tests never download one, and fail (never skip) without it. axe-core comes
bundled in the PyPI package axe-playwright-python.
"""

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import modify_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from promises.tests.factories import committed_then_restored, login_verified
from public.tests.crawl import crawl, page_types

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_21_AA},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"1280 px": (1280, 800), "320 px": (320, 640)}
NARROW = "320 px"
MAX_BYTES = 100_000

PAGE_FACTS = """() => {
  const main = document.querySelector("main, [role=main]");
  return {
    lang: document.documentElement.getAttribute("lang"),
    h1: Array.from(document.querySelectorAll("h1"), (h) => h.textContent.trim()),
    mains: document.querySelectorAll("main, [role=main]").length,
    scrollWidth: document.documentElement.scrollWidth,
  };
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const href = el.getAttribute("href") || "";
  const id = href.startsWith("#") ? decodeURIComponent(href.slice(1)) : null;
  const target = id ? document.getElementById(id) : null;
  const main = document.querySelector("main, [role=main]");
  const box = el.getBoundingClientRect();
  return {
    html: el.outerHTML.slice(0, 200),
    tag: el.tagName.toLowerCase(),
    href: href,
    text: el.textContent.trim(),
    target: target ? target.tagName.toLowerCase() : null,
    targetIsMain: Boolean(target && main && (target === main || main.contains(target))),
    visible: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < window.innerWidth && box.top < window.innerHeight,
  };
}"""


@dataclass
class View:
    """What one page showed at one width."""

    violations: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    first_focus: dict | None = None
    requests: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (url, status or error)
    bytes: int = 0


@dataclass
class Audit:
    pages: dict  # {view name: url}
    views: dict  # {(view name, viewport): View}

    def each(self, viewport=None):
        for (name, width), view in self.views.items():
            if viewport in (None, width):
                yield f"{self.pages[name]} ({name}, {width})", view


def require_chromium() -> str:
    path = shutil.which(CHROMIUM)
    if path is None:
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}, and the accessibility tests "
            "need it. Install Debian's: `apt-get install chromium` (.ci/run does "
            "this in CI), or set CHROMIUM_PATH. Playwright's own browser download "
            "is not used.",
            pytrace=False,
        )
    return path


def look_at(
    browser, origin: str, url: str, width: int, height: int, cookies=(), submit=None
) -> View:
    view = View()
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 600,
        has_touch=width < 600,
        service_workers="block",
    )
    context.add_cookies(list(cookies))

    def only_this_site(route):
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            route.abort("blockedbyclient")  # recorded by on("request") below

    context.set_default_timeout(15_000)
    context.route("**/*", only_this_site)
    page = context.new_page()
    responses = []
    page.on("request", lambda request: view.requests.append(request.url))
    page.on("response", lambda response: responses.append(response))

    def failed(request):
        if request.url.startswith(origin + "/"):  # others: see only_this_site
            view.failed.append((request.url, request.failure))

    page.on("requestfailed", failed)
    try:
        page.goto(origin + url, wait_until="load")
        if submit:  # the page a form's button leads to, looked at alone
            if page.locator("#id_password").count():  # a factor replaced
                page.fill("#id_password", VERIFIED_PASSWORD)
            responses.clear()
            with page.expect_navigation(wait_until="load"):
                page.click(submit)
        for response in responses:
            if response.status >= 400:
                view.failed.append((response.url, response.status))
            sizes = response.request.sizes()
            view.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        view.facts = page.evaluate(PAGE_FACTS)
        view.violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        page.keyboard.press("Tab")
        view.first_focus = page.evaluate(FOCUSED)
    finally:
        context.close()
    return view


TWO_FACTOR_URL = "/admin/tvastegsverifiering/"


def two_factor_sessions(origin: str) -> dict[str, list]:
    """{page name: browser cookies} of two staff users logged in with the password
    through the login form: one with a device (asked for the code), one without
    (adds a device). Their sessions await the second factor."""
    sessions = {}
    for name, has_device in [
        ("admin:two_factor (engångskod)", True),
        ("admin:two_factor (lägg till enhet)", False),
    ]:
        username = f"tillganglighet_{int(has_device)}"
        password = "tillgänglighet-i-två-steg"
        user = get_user_model().objects.create_user(
            username=username, password=password, is_staff=True
        )
        if has_device:
            TOTPDevice.objects.create(user=user, confirmed=True)
        client = Client()
        response = client.post(
            "/admin/login/", {"username": username, "password": password}
        )
        assert response.status_code == 302, "the login form did not log in"
        sessionid = client.cookies[settings.SESSION_COOKIE_NAME].value
        sessions[name] = [
            {"name": settings.SESSION_COOKIE_NAME, "value": sessionid, "url": origin}
        ]
    return sessions


RECOVERY_CODES_URL = "/admin/tvastegsverifiering/reservkoder/"
VERIFIED_PASSWORD = "tillganglig-och-verifierad"  # new codes ask for it
NEW_PHONE_URL = "/admin/tvastegsverifiering/ny-telefon/"
# {page name: (url, the button pressed there, or None)}
VERIFIED_PAGES = {
    "admin:two_factor_recovery_codes": (RECOVERY_CODES_URL, None),
    "admin:two_factor_recovery_codes (nya koder)": (
        RECOVERY_CODES_URL,
        "#content-main form input[type=submit]",
    ),
    "admin:two_factor_new_phone": (NEW_PHONE_URL, None),
}


def verified_session(origin: str) -> list:
    """Browser cookies of a staff user past the second factor."""
    user = get_user_model().objects.create_user(
        username="tillganglighet_verifierad",
        password=VERIFIED_PASSWORD,
        is_staff=True,
    )
    client = Client()
    login_verified(client, user)
    sessionid = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": sessionid, "url": origin}]


@pytest.fixture(scope="module")
def audit(django_db_setup, django_db_blocker, live_server):
    """Load the demo data, crawl, look at one page of each kind; clean up after."""
    chromium = require_chromium()
    origin = live_server.url
    with (
        # The demo data is committed for the live server, and removed afterwards.
        committed_then_restored(django_db_blocker),
        modify_settings(ALLOWED_HOSTS={"append": urlsplit(origin).hostname}),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        # Playwright's sync API runs an event loop in this thread.
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # Two activities a page: the demo's lists come in pages, with their links.
        monkeypatch.setattr("public.views.ACTIVITIES_PER_PAGE", 2)
        call_command("load_haninge", "--demo", verbosity=0)
        pages = page_types(crawl(Client()))
        sessions = two_factor_sessions(origin)
        pages |= dict.fromkeys(sessions, TWO_FACTOR_URL)
        verified = verified_session(origin)
        submits = {}
        for name, (url, submit) in VERIFIED_PAGES.items():
            pages[name], sessions[name], submits[name] = url, verified, submit
        views = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            for name, url in pages.items():
                for width, (w, h) in VIEWPORTS.items():
                    views[name, width] = look_at(
                        browser,
                        origin,
                        url,
                        w,
                        h,
                        sessions.get(name, ()),
                        submits.get(name),
                    )
            browser.close()
        yield Audit(pages, views)


def fail_if(problems: list[str], title: str):
    if problems:
        pytest.fail("\n".join([title, *problems]), pytrace=False)


def describe(violation: dict) -> str:
    lines = [
        f"  [{violation['impact']}] {violation['id']}: {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        lines.append(f"    at {', '.join(map(str, node['target']))}")
        lines.append(f"       {node['html'][:300]}")
        for summary in node.get("failureSummary", "").splitlines():
            lines.append(f"       {summary.strip()}")
    return "\n".join(lines)


def test_the_crawl_found_the_public_pages(audit):
    assert "/" in audit.pages.values(), f"the start page is missing: {audit.pages}"


def test_the_two_factor_pages_were_looked_at_logged_in(audit):
    """Not the login page they would redirect to without the session."""
    headings = {
        "admin:two_factor (engångskod)": "Tvåstegsverifiering",
        "admin:two_factor (lägg till enhet)": "Lägg till tvåstegsverifiering",
        "admin:two_factor_recovery_codes": "Reservkoder",
        "admin:two_factor_recovery_codes (nya koder)": "Dina nya reservkoder",
        "admin:two_factor_new_phone": "Lägg till appen i en ny telefon",
    }
    for name, h1 in headings.items():
        for width in VIEWPORTS:
            view = audit.views[name, width]
            assert view.facts["h1"] == [h1], (name, width, view.facts)


def test_axe_finds_no_wcag_2_1_aa_violations(audit):
    problems = []
    for page, view in audit.each():
        if view.violations:
            problems.append(f"\n{page}: {len(view.violations)} violations")
            problems.extend(describe(v) for v in view.violations)
    fail_if(problems, "axe-core, WCAG 2.1 A and AA:")


def test_every_page_has_exactly_one_h1(audit):
    fail_if(
        [
            f"  {page}: {len(view.facts['h1'])} h1 {view.facts['h1']}"
            for page, view in audit.each()
            if len(view.facts["h1"]) != 1
        ],
        "Pages without exactly one h1:",
    )


def test_every_page_has_one_main_landmark(audit):
    fail_if(
        [
            f"  {page}: {view.facts['mains']} main landmarks"
            for page, view in audit.each()
            if view.facts["mains"] != 1
        ],
        "Pages without exactly one <main> (or role=main):",
    )


def test_every_page_is_in_swedish(audit):
    fail_if(
        [
            f"  {page}: <html lang={view.facts['lang']!r}>"
            for page, view in audit.each()
            if (view.facts["lang"] or "").split("-")[0].lower() != "sv"
        ],
        'Pages without <html lang="sv">:',
    )


def test_a_skip_link_to_the_main_content_is_focused_first(audit):
    problems = []
    for page, view in audit.each():
        focus = view.first_focus
        if focus is None:
            problems.append(f"  {page}: Tab focuses nothing")
        elif not (focus["tag"] == "a" and focus["href"].startswith("#")):
            problems.append(f"  {page}: Tab first focuses {focus['html']}")
        elif not focus["targetIsMain"]:
            problems.append(
                f"  {page}: the skip link {focus['href']} leads to "
                f"{focus['target'] or 'nothing'}, not to the main content"
            )
        elif not (focus["visible"] and focus["text"]):
            problems.append(f"  {page}: the focused skip link is not visible")
    fail_if(problems, "Skip link (WCAG 2.4.1):")


def test_no_request_leaves_the_site(audit, live_server):
    origin = live_server.url
    fail_if(
        [
            f"  {page}: {url}"
            for page, view in audit.each()
            for url in view.requests
            if not url.startswith((origin + "/", "data:", "blob:"))
        ],
        f"Requests to hosts other than {origin} (blocked):",
    )


def test_every_asset_loads(audit):
    fail_if(
        [
            f"  {page}: {url}: {reason}"
            for page, view in audit.each()
            for url, reason in view.failed
        ],
        "Requests that failed:",
    )


def test_pages_reflow_at_320_px_without_horizontal_scrolling(audit):
    fail_if(
        [
            f"  {page}: scrollWidth {view.facts['scrollWidth']} px"
            for page, view in audit.each(NARROW)
            if view.facts["scrollWidth"] > 320
        ],
        "Pages that scroll sideways at 320 px (WCAG 1.4.10):",
    )


def test_pages_weigh_under_100_kb(audit):
    fail_if(
        [
            f"  {page}: {view.bytes} bytes"
            for page, view in audit.each()
            if view.bytes >= MAX_BYTES
        ],
        f"Pages of {MAX_BYTES} bytes or more (HTML, CSS and assets, with headers):",
    )
