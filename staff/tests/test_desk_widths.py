"""Every staff page fits a desk's screen, 1366 × 768 and 1920 × 1080 (issue 22,
§4), as test_narrow_screens.py checks 360 px with the same measure: nothing
sideways, no text cut off or past the edge, no heading or table header broken
inside a word ("Regelbund na"), and no button on top of a table's header.

The pages: with Haninge's demo data, every list and add page of every model the
coordinator, the police liaison and the superuser may open, and the pages they
work in: the start page with its progress, a saved inventory with its findings,
the weekly and yearly lägesbild, a priority with the figures behind it, a
quarterly report's and an evaluation's drafts, a commitment and a promise, the
export, the two-factor pages and the login.

Run with -s to see each page's width.
"""

from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import modify_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import sync_playwright

from conftest import SUITE_NOW
from promises.models import Activity, Commitment, Priority, Promise
from promises.tests.factories import committed_then_restored
from reports.models import Evaluation, QuarterlyReport
from reports.workflows import build_evaluation_draft
from staff.tests.test_accessibility import (
    CHROMIUM_ARGS,
    TWO_FACTOR_URL,
    require_chromium,
    two_factor_sessions,
)
from staff.tests.test_narrow_screens import MEASURE, verified_session

pytestmark = pytest.mark.slow  # a browser and a live server (conftest.py)

SCREENS = [(1366, 768), (1920, 1080)]
COORDINATOR, LIAISON, SUPERUSER = "samordnare", "kontaktperson", "superanvandare"

# (width) => the buttons that lie on a table's header cells.
OVERLAPS = """() => {
  const boxes = (selector) => Array.from(document.querySelectorAll(selector))
    .map((element) => [element, element.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && box.height > 0);
  const buttons = boxes("input[type=submit], button, a.button, .object-tools a");
  // Not the header cells only screen readers read (Django's visually-hidden).
  const headers = boxes("th").filter(([th, box]) => box.width > 2 && box.height > 2
    && !th.closest(".visually-hidden"));
  const found = [];
  for (const [button, a] of buttons) {
    for (const [th, b] of headers) {
      if (th.contains(button) || button.contains(th)) continue;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) {
        found.push((button.value || button.textContent).trim() + " on "
          + th.textContent.trim().slice(0, 30));
      }
    }
  }
  return found;
}"""


def model_pages(user) -> list[str]:
    """Every list and add page of the admin the user may open."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for view, allowed in [
            ("changelist", model_admin.has_view_or_change_permission),
            ("add", model_admin.has_add_permission),
        ]:
            request = type("Request", (), {"user": user, "GET": {}, "POST": {}})()
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue
            if allowed(request):
                pages.append(url)
    return pages


def work_pages() -> list[str]:
    """The pages staff work in, with the demo's objects."""
    year = timezone.localdate().year
    promise = Promise.objects.get(municipality__slug="haninge", year=year)
    inventory = (
        Activity.objects.filter(promise=promise, kind=Activity.Kind.INVENTORY)
        .filter(findings__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    priority = Priority.objects.filter(municipality__slug="haninge").first()
    report = QuarterlyReport.objects.filter(promise=promise).first()
    commitment = Commitment.objects.filter(focus_area__promise=promise).first()
    # This year's evaluation, drafted from the data ("Skapa utkast").
    build_evaluation_draft(promise)
    evaluation = Evaluation.objects.get(promise=promise)
    return [
        "/admin/",
        f"/admin/promises/activity/{inventory.pk}/change/",
        "/admin/incidents/incidentreport/lagesbild/",
        "/admin/incidents/incidentreport/lagesbild/ar/",
        f"/admin/promises/priority/{priority.pk}/change/",
        f"/admin/reports/quarterlyreport/{report.pk}/change/",
        f"/admin/reports/evaluation/{evaluation.pk}/change/",
        "/admin/reports/evaluation/skapa-utkast/",
        "/admin/reports/quarterlyreport/skapa-utkast/",
        f"/admin/promises/commitment/{commitment.pk}/change/",
        f"/admin/promises/promise/{promise.pk}/change/",
        f"/admin/promises/municipality/{promise.municipality_id}/exportera/",
        "/admin/promises/activity/add/?kind=inventory",
        "/admin/promises/activity/add/?kind=youth_visit",
        "/admin/tvastegsverifiering/reservkoder/",
    ]


# Django's buttons of the two-list selector show an icon; their text is hidden
# on purpose (text-indent), for screen readers.
ICON_BUTTONS = (
    "selector-add",
    "selector-remove",
    "selector-chooseall",
    "selector-clearall",
)


def problems_of(facts: dict, width: int) -> list[str]:
    facts = {
        **facts,
        "clipped": [
            item
            for item in facts["clipped"]
            if not any(name in item["element"] for name in ICON_BUTTONS)
        ],
    }
    lines = []
    if facts["scrollWidth"] > width:
        lines.append(f"the page is {facts['scrollWidth']} px wide")
    for kind, label in [
        ("tooWide", "sticks out past the right edge"),
        ("clipped", "cuts its text off"),
        ("textOutside", "has text past the edge"),
    ]:
        for item in facts[kind][:6]:
            lines.append(
                f"{item['element']} {label}: right edge at {item['right']} px "
                f"{item['text']!r}"
            )
    for item in facts["brokenWords"][:6]:
        lines.append(f"{item['element']} breaks {item['word']!r} inside the word")
    for overlap in facts["overlaps"][:6]:
        lines.append(f"a button lies on a table's header: {overlap}")
    return lines


@pytest.fixture(scope="module")
def desk(django_db_setup, django_db_blocker, live_server):
    """{(width, user, path): problems} for every staff page at both widths."""
    chromium = require_chromium()
    origin = live_server.url
    seen = {}
    with (
        time_machine.travel(SUITE_NOW),
        committed_then_restored(django_db_blocker),
        modify_settings(ALLOWED_HOSTS={"append": urlsplit(origin).hostname}),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        call_command("load_haninge", "--demo", verbosity=0)
        get_user_model().objects.create_superuser(SUPERUSER, "su@example.se", None)
        User = get_user_model()
        pages = {
            name: sorted(
                set(work_pages() + model_pages(User.objects.get(username=name)))
            )
            for name in [COORDINATOR, LIAISON, SUPERUSER]
        }
        sessions = {name: verified_session(origin, name) for name in pages}
        before_admin = two_factor_sessions(origin)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            for width, height in SCREENS:
                for name, paths in [*pages.items(), ("", ["/admin/login/"])]:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}
                    )
                    context.set_default_timeout(15_000)
                    context.add_cookies(sessions.get(name, []))
                    page = context.new_page()
                    for path in paths:
                        response = page.goto(origin + path, wait_until="load")
                        if response.status == 403:  # not this user's page
                            continue
                        assert response.status == 200, (name, path, response.status)
                        facts = page.evaluate(MEASURE, width)
                        facts["overlaps"] = page.evaluate(OVERLAPS)
                        seen[width, name or "anonym", path] = facts
                    context.close()
                for name, cookies in before_admin.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}
                    )
                    context.add_cookies(cookies)
                    page = context.new_page()
                    page.goto(origin + TWO_FACTOR_URL, wait_until="load")
                    facts = page.evaluate(MEASURE, width)
                    facts["overlaps"] = page.evaluate(OVERLAPS)
                    seen[width, name, TWO_FACTOR_URL] = facts
                    context.close()
            browser.close()
    print("\nAt a desk: the page's width, and the right edge of its widest box")
    for (width, name, path), facts in seen.items():
        print(f"  {width:5} {name:36} {path:60} {facts['widest']:5} px")
    return seen


def test_every_staff_page_was_seen_at_both_widths(desk):
    for width, _height in SCREENS:
        paths = {path for (w, _name, path) in desk if w == width}
        assert "/admin/incidents/incidentreport/lagesbild/" in paths
        assert "/admin/promises/activity/add/" in paths
        assert "/admin/axes/accessattempt/" in paths  # the superuser's
        assert len(paths) > 40


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_every_staff_page_fits_a_desks_screen(desk, width, height):
    problems = [
        f"  {name} {path}:\n    " + "\n    ".join(lines)
        for (w, name, path), facts in desk.items()
        if w == width and (lines := problems_of(facts, width))
    ]
    if problems:
        pytest.fail(
            "\n".join([f"Staff pages that do not fit {width} px:", *problems]),
            pytrace=False,
        )
