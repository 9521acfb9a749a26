"""Every page fits a 360 × 740 phone: nothing sideways, nothing cut off.

With Haninge's demo data loaded, one public page of each kind (found by the crawl,
as in test_accessibility.py) and the staff pages the police liaison and the
coordinator use on a phone are opened in Debian's Chromium at 360 × 740, driven by
Playwright: the admin start page, the quick forms and the change lists they land
on after saving (with the saved message), the quarterly report's draft page and
the change form it leads to, the two-factor pages and the login. On every page:

- nothing is wider than the screen: the document does not scroll sideways and no
  element's box sticks out past the right edge (elements put off-screen on
  purpose, the skip link before it has focus and visually hidden text, aside);
- no text is cut off: no element with overflow hidden or clip whose text is wider
  than its box, and no text past the right edge of the screen;
- no heading (or table header, caption, legend, summary) breaks inside a word;
- a table shown as one block per row names each value (data-label).

And the overview of this year's promise says how it is going, the next safety
dialogue and the districts within the first 740 px.

Run with -s to see each page's width.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import modify_settings
from django.utils import timezone
from playwright.sync_api import sync_playwright

from conftest import SUITE_NOW
from promises.models import Commitment, Municipality
from promises.tests.factories import committed_then_restored, login_verified
from public.tests.crawl import crawl, page_types
from reports.models import QuarterlyReport
from staff.models import MunicipalityExport
from staff.tests.test_accessibility import (
    CHROMIUM_ARGS,
    TWO_FACTOR_URL,
    require_chromium,
    two_factor_sessions,
)

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 360, 740
COORDINATOR, LIAISON = "samordnare", "kontaktperson"

# (width) => what does not fit: see the module docstring.
MEASURE = """(width) => {
  const offScreenOnPurpose = (element) => {
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.position !== "absolute" && style.position !== "fixed") continue;
      const box = e.getBoundingClientRect();
      if (box.right <= 0 || box.bottom <= 0) return true;  // a skip link
      if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)"
          || (box.width <= 1 && box.height <= 1 && style.overflow !== "visible")) {
        return true;  // visually hidden
      }
    }
    return false;
  };
  const name = (element) => {
    const classes = typeof element.className === "string" ? element.className.trim() : "";
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (classes ? "." + classes.split(/\\s+/).join(".") : "");
  };
  const describe = (element, box) => ({
    element: name(element),
    text: (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40),
    width: Math.round(box.width),
    right: Math.round(box.right),
  });
  const wide = new Set();
  const tooWide = [], clipped = [], textOutside = [], brokenWords = [];
  let widest = 0;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if ((box.width === 0 && box.height === 0) || style.visibility === "hidden") continue;
    if (offScreenOnPurpose(element)) continue;
    widest = Math.max(widest, box.right);
    if (box.right > width + 1) {
      wide.add(element);
      if (!wide.has(element.parentElement)) tooWide.push(describe(element, box));
    }
    if (["hidden", "clip"].includes(style.overflowX) && element.textContent.trim()
        && element.scrollWidth > element.clientWidth + 1) {
      clipped.push({...describe(element, box), scrollWidth: element.scrollWidth});
    }
  }
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent || ["SCRIPT", "STYLE"].includes(parent.tagName)
        || offScreenOnPurpose(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const outside = Array.from(range.getClientRects()).find(
      (r) => r.width > 0 && r.right > width + 1);
    if (outside) textOutside.push(describe(parent, outside));
  }
  const unlabelled = [];  // values of tables shown as rows of blocks, without a name
  let stacked = 0;
  for (const cell of document.body.querySelectorAll("tbody td")) {
    if (getComputedStyle(cell).display !== "block") continue;
    stacked += 1;
    if (cell.textContent.trim() && !cell.dataset.label) {
      unlabelled.push(describe(cell, cell.getBoundingClientRect()));
    }
  }
  const headings = "h1, h2, h3, h4, h5, h6, caption, th, legend, summary";
  for (const heading of document.body.querySelectorAll(headings)) {
    if (offScreenOnPurpose(heading)) continue;
    const words = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let node = words.nextNode(); node; node = words.nextNode()) {
      for (const word of node.textContent.matchAll(/[^\\s\\-\\u2013\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = Array.from(range.getClientRects())
          .filter((r) => r.width > 0).map((r) => r.top);
        if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 2) {
          brokenWords.push({element: name(heading), word: word[0], lines: tops.length});
        }
      }
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    widest: Math.round(widest),
    h1: Array.from(document.querySelectorAll("h1"), (h) => h.textContent.trim()),
    messages: Array.from(document.querySelectorAll(".messagelist li"),
      (li) => li.textContent.trim()),
    tooWide, clipped, textOutside, brokenWords, unlabelled, stacked,
  };
}"""

# (ids) => the bottom of each element, from the top of the page (null if missing).
BOTTOMS = """(ids) => ids.map((id) => {
  const element = document.getElementById(id);
  return element ? element.getBoundingClientRect().bottom + window.scrollY : null;
})"""
FIRST_SCREEN = ["how-is-it-going", "next-dialogue", "choose-district"]


@dataclass
class Look:
    """What one page showed at 360 px."""

    name: str
    path: str  # where the browser was
    facts: dict = field(default_factory=dict)
    first_screen: dict = field(default_factory=dict)  # {id: bottom in px}

    @property
    def problems(self) -> list[str]:
        facts, lines = self.facts, []
        if facts["scrollWidth"] > WIDTH:
            lines.append(f"the page is {facts['scrollWidth']} px wide")
        for kind, label in [
            ("tooWide", "sticks out past the right edge"),
            ("clipped", "cuts its text off"),
            ("textOutside", "has text past the edge"),
        ]:
            for item in facts[kind][:12]:
                lines.append(
                    f"{item['element']} {label}: {item['width']} px wide, right edge "
                    f"at {item['right']} px, {item.get('scrollWidth', '')} "
                    f"{item['text']!r}"
                )
            if len(facts[kind]) > 12:
                lines.append(f"… and {len(facts[kind]) - 12} more that {label}")
        return lines


def browse(browser, origin, cookies=()):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    context.add_cookies(list(cookies))
    return context, context.new_page()


def look(page, name) -> Look:
    """Measure the page the browser shows."""
    return Look(name, urlsplit(page.url).path, page.evaluate(MEASURE, WIDTH))


def visit(page, origin, name, path) -> Look:
    response = page.goto(origin + path, wait_until="load")
    assert response.status == 200, (name, path, response.status)
    return look(page, name)


def verified_session(origin, username) -> list[dict]:
    """The cookie of a session past both factors, as promises.tests.factories
    login_verified makes it."""
    client = Client()
    login_verified(client, get_user_model().objects.get(username=username))
    sessionid = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": sessionid, "url": origin}]


def the_liaisons_pages(browser, origin) -> list[Look]:
    """The start page; the Friday form, saved; an activity form, saved."""
    context, page = browse(browser, origin, verified_session(origin, LIAISON))
    looks = [visit(page, origin, "admin:index (kontaktperson)", "/admin/")]
    page.click("text=Ny fredagsutsättning")
    page.wait_for_url("**/admin/promises/fridaydeployment/add/")
    looks.append(look(page, "fredagsutsättning, lägg till (kontaktperson)"))
    page.check("#id_districts label:has-text('Jordbro') input")
    page.fill("#id_participants", "7")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/promises/fridaydeployment/")
    looks.append(look(page, "fredagsutsättningar, sparad (kontaktperson)"))
    page.goto(f"{origin}/admin/")
    page.click("text=Ny aktivitet")
    page.wait_for_url("**/admin/promises/activity/add/")
    looks.append(look(page, "aktivitet, lägg till (kontaktperson)"))
    today = timezone.localdate()
    page.select_option("#id_promise", label=f"Medborgarlöfte Haninge {today.year}")
    page.select_option("#id_kind", "presence")
    page.fill("#id_starts_at_0", today.isoformat())
    page.fill("#id_starts_at_1", "00:00")  # done, and never in the future
    page.check("#id_districts label:has-text('Handen') input")
    page.check("#id_organisations label:has-text('Lokalpolisområde') input")
    page.fill("#id_title", "Synlig närvaro vid Handens pendeltågsstation")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/promises/activity/")
    looks.append(look(page, "aktiviteter, sparad (kontaktperson)"))
    context.close()
    return looks


def the_coordinators_pages(browser, origin) -> list[Look]:
    """The start page, the activity form and lists, a quarterly report's draft."""
    # The demo has drafted this quarter's report already: draft it anew.
    QuarterlyReport.objects.filter(status=QuarterlyReport.Status.DRAFT).delete()
    context, page = browse(browser, origin, verified_session(origin, COORDINATOR))
    with_problem = (
        Commitment.objects.filter(
            promise__year=timezone.localdate().year, goals__isnull=False
        )
        .exclude(problem="")
        .first()
    )
    looks = [
        visit(page, origin, "admin:index (samordnare)", "/admin/"),
        visit(
            page,
            origin,
            "aktivitet, lägg till (samordnare)",
            "/admin/promises/activity/add/",
        ),
        visit(page, origin, "aktiviteter (samordnare)", "/admin/promises/activity/"),
        visit(
            page,
            origin,
            "fredagsutsättningar (samordnare)",
            "/admin/promises/fridaydeployment/",
        ),
        visit(
            page,
            origin,
            "händelserapport, lägg till (samordnare)",
            "/admin/incidents/incidentreport/add/",
        ),
        visit(
            page,
            origin,
            "händelserapporter (samordnare)",
            "/admin/incidents/incidentreport/",
        ),
        visit(
            page,
            origin,
            "lägesbild (samordnare)",
            "/admin/incidents/incidentreport/lagesbild/",
        ),
        visit(
            page,
            origin,
            "årets lägesbild (samordnare)",
            "/admin/incidents/incidentreport/lagesbild/ar/",
        ),
        visit(
            page,
            origin,
            "prioriterad kommundel, lägg till (samordnare)",
            "/admin/promises/priority/add/",
        ),
        visit(
            page,
            origin,
            "kvartalsrapport, skapa utkast (samordnare)",
            "/admin/reports/quarterlyreport/skapa-utkast/",
        ),
    ]
    page.select_option(
        "#id_promise", label=f"Medborgarlöfte Haninge {timezone.localdate().year}"
    )
    page.click("input[type=submit][value='Skapa utkast']")
    page.wait_for_url("**/admin/reports/quarterlyreport/*/change/")
    looks.append(look(page, "kvartalsrapport, utkastet (samordnare)"))
    looks += [
        # The problem behind a commitment, and its goals (issue 13).
        visit(
            page,
            origin,
            "åtagande med problem och mål (samordnare)",
            f"/admin/promises/commitment/{with_problem.pk}/change/",
        ),
        visit(
            page,
            origin,
            "utvärdering, skapa utkast (samordnare)",
            "/admin/reports/evaluation/skapa-utkast/",
        ),
    ]
    # "Exportera all data" with one export built and one still in the queue.
    haninge = Municipality.objects.get(slug="haninge")
    coordinator = get_user_model().objects.get(username=COORDINATOR)
    for status, size in [("ready", 4_200_000), ("queued", 0)]:
        MunicipalityExport.objects.create(
            municipality=haninge, requested_by=coordinator, status=status, size=size
        )
    looks.append(
        visit(
            page,
            origin,
            "exportera all data (samordnare)",
            f"/admin/promises/municipality/{haninge.pk}/exportera/",
        )
    )
    context.close()
    return looks


def the_pages_before_the_admin(browser, origin) -> list[Look]:
    """The login, and both forms of the two-factor page."""
    context, page = browse(browser, origin)
    looks = [visit(page, origin, "admin:login", "/admin/login/")]
    context.close()
    for name, cookies in two_factor_sessions(origin).items():
        context, page = browse(browser, origin, cookies)
        looks.append(visit(page, origin, name, TWO_FACTOR_URL))
        context.close()
    return looks


@dataclass
class Narrow:
    public: list[Look]
    staff: list[Look]

    @property
    def all(self):
        return self.public + self.staff


@pytest.fixture(scope="module")
def narrow(django_db_setup, django_db_blocker, live_server):
    """Load the demo data, look at every page at 360 px; clean up after."""
    chromium = require_chromium()
    origin = live_server.url
    with (
        # The suite's day, for the demo data and the forms' defaults (a module's
        # fixture runs before each test's clock is set).
        time_machine.travel(SUITE_NOW),
        committed_then_restored(django_db_blocker),
        modify_settings(ALLOWED_HOSTS={"append": urlsplit(origin).hostname}),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        call_command("load_haninge", "--demo", verbosity=0)
        public_pages = page_types(crawl(Client()))
        # This year's overview too, for its first screen (the crawl's is the largest).
        this_year = f"/haninge/{timezone.localdate().year}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            context, page = browse(browser, origin)
            public = [
                visit(page, origin, name, url) for name, url in public_pages.items()
            ]
            overview = visit(page, origin, "public:overview (i år)", this_year)
            overview.first_screen = dict(
                zip(FIRST_SCREEN, page.evaluate(BOTTOMS, FIRST_SCREEN), strict=True)
            )
            public.append(overview)
            context.close()
            staff = [
                *the_liaisons_pages(browser, origin),
                *the_coordinators_pages(browser, origin),
                *the_pages_before_the_admin(browser, origin),
            ]
            browser.close()
    result = Narrow(public, staff)
    print(f"\nAt {WIDTH} px: the page's width, and the right edge of its widest box")
    for seen in result.all:
        print(
            f"  {seen.name:45} {seen.path:45} {seen.facts['scrollWidth']:5} px "
            f"{seen.facts['widest']:5} px"
        )
    return result


def fail_if(problems: list[str], title: str):
    if problems:
        pytest.fail("\n".join([title, *problems]), pytrace=False)


def fitting(looks: list[Look]) -> list[str]:
    return [
        f"  {seen.name} ({seen.path}):\n    " + "\n    ".join(seen.problems)
        for seen in looks
        if seen.problems
    ]


def test_the_public_pages_fit_a_360_px_screen(narrow):
    assert {seen.name for seen in narrow.public} >= {
        "public:overview",
        "public:district",
        "public:commitment",
        "public:evaluation",
    }
    fail_if(fitting(narrow.public), f"Public pages that do not fit {WIDTH} px:")


def test_the_staff_pages_fit_a_360_px_screen(narrow):
    fail_if(fitting(narrow.staff), f"Staff pages that do not fit {WIDTH} px:")


def test_the_staff_pages_were_seen_logged_in_and_the_forms_saved(narrow):
    seen = {look.name: look for look in narrow.staff}
    assert seen["admin:index (kontaktperson)"].path == "/admin/"
    assert seen["admin:index (samordnare)"].path == "/admin/"
    assert seen["fredagsutsättning, lägg till (kontaktperson)"].path == (
        "/admin/promises/fridaydeployment/add/"
    )
    for name in [
        "fredagsutsättningar, sparad (kontaktperson)",
        "aktiviteter, sparad (kontaktperson)",
        "kvartalsrapport, utkastet (samordnare)",
    ]:
        assert seen[name].facts["messages"], f"{name}: no message that it was saved"
    for name in [
        "admin:two_factor (engångskod)",
        "admin:two_factor (lägg till enhet)",
    ]:
        assert seen[name].facts["h1"] in (
            ["Tvåstegsverifiering"],
            ["Lägg till tvåstegsverifiering"],
        ), seen[name].facts["h1"]


def test_tables_shown_as_rows_of_blocks_name_every_value(narrow):
    """A table stacked on a phone shows each value with its column's name."""
    stacked = {seen.name for seen in narrow.all if seen.facts["stacked"]}
    assert {
        "public:district",
        "admin:index (samordnare)",
        "aktiviteter (samordnare)",
        "lägesbild (samordnare)",
    } <= stacked
    fail_if(
        [
            f"  {seen.name} ({seen.path}): {item['element']} {item['text']!r}"
            for seen in narrow.all
            for item in seen.facts["unlabelled"]
        ],
        f"Values without their column's name at {WIDTH} px:",
    )


def test_headings_never_break_inside_a_word(narrow):
    fail_if(
        [
            f"  {seen.name} ({seen.path}): {item['element']} breaks "
            f"{item['word']!r} over {item['lines']} lines"
            for seen in narrow.all
            for item in seen.facts["brokenWords"]
        ],
        f"Headings that break inside a word at {WIDTH} px:",
    )


def test_the_overview_says_how_it_is_going_on_the_first_screen(narrow):
    """How it is going, the next safety dialogue (when there is one) and the
    districts, above the fold of a 740 px high phone."""
    (overview,) = [seen for seen in narrow.public if seen.name.endswith("(i år)")]
    bottoms = overview.first_screen
    assert bottoms["how-is-it-going"] is not None
    assert bottoms["choose-district"] is not None
    fail_if(
        [
            f"  #{id} ends at {bottom:.0f} px"
            for id, bottom in bottoms.items()
            if bottom is not None and bottom > HEIGHT
        ],
        f"Below the first {HEIGHT} px of the overview ({overview.path}):",
    )
