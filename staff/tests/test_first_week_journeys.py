"""The first week of each role, in a browser (issue 22, "Done when"): the
resident, the police liaison, the partner reporter, the coordinator and the
superuser walk their journeys on the demo at 360 × 740 and 1366 × 768. On every
page they reach: no sideways scrolling, no English and no "Django" (names of
places and organisations allowed, NAMES). The taps and fields each journey
took are printed (run with -s) and kept in the note of the work.

A tap is a click or a tap on a link, a button, a box or a list; a field is a
form field given a value (a box checked, a choice made, a text typed). The staff
start logged in (the login and its second factor are tested in accounts/ and
test_new_municipality_browser.py).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test.utils import modify_settings
from django.utils import timezone
from playwright.sync_api import sync_playwright

from conftest import SUITE_NOW
from promises.tests.factories import committed_then_restored
from reports.models import QuarterlyReport
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium
from staff.tests.test_narrow_screens import verified_session
from staff.tests.test_swedish_admin import ENGLISH

pytestmark = pytest.mark.slow  # a browser and a live server (conftest.py)

SCREENS = [(360, 740), (1366, 768)]
SUPERUSER = "superanvandare"
# Names that read as English to the check, and are names: none in the demo yet.
NAMES: set[str] = set()

# The text a person reads: the page's title and its visible text, line by line.
TEXT = """() => [document.title, ...document.body.innerText.split("\\n")]
  .map((line) => line.trim()).filter(Boolean)"""


@dataclass
class Walk:
    """One role's journey at one width: what it took and what it met."""

    page: object
    origin: str
    width: int
    taps: int = 0
    fields: int = 0
    pages: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def see(self):
        page = self.page
        path = urlsplit(page.url).path
        self.pages.append(path)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > self.width:
            self.problems.append(f"{path}: {scroll} px wide at {self.width} px")
        for line in page.evaluate(TEXT):
            if "Django" in line:
                self.problems.append(f"{path}: {line!r}")
            english = ENGLISH.search(line)
            if english and not any(name in line for name in NAMES):
                self.problems.append(f"{path}: English {english[0]!r} in {line!r}")

    def goto(self, path: str):
        response = self.page.goto(self.origin + path, wait_until="load")
        assert response.status in (200, 404), (path, response.status)
        self.see()

    def tap(self, selector: str):
        """A link or a button that opens a page."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.click(selector)
        self.taps += 1
        self.see()

    def check(self, selector: str):
        self.page.check(selector)
        self.taps += 1
        self.fields += 1

    def choose(self, selector: str, **option):
        self.page.select_option(selector, **option)
        self.taps += 2  # open the list, pick
        self.fields += 1

    def type(self, selector: str, text: str):
        self.page.fill(selector, text)
        self.taps += 1
        self.fields += 1

    def saved(self) -> str:
        """The admin's message that it was saved; or, failing, its errors."""
        saved = self.page.locator(".messagelist .success").all_inner_texts()
        assert saved, self.page.locator(".errorlist, .errornote").all_inner_texts()
        return " ".join(saved)


def resident(walk: Walk, n: int):
    year = timezone.localdate().year
    walk.goto("/")  # the municipalities' promises
    walk.tap(f"main a[href='/haninge/{year}/']")
    walk.tap("main a[href*='/atagande/'] >> nth=0")
    walk.page.go_back(wait_until="load")
    walk.tap("main a[href*='/kommundel/'] >> nth=0")
    walk.page.go_back(wait_until="load")
    walk.tap("main a[href*='/kvartal-'] >> nth=0")
    walk.goto(f"/haninge/{year - 1}/utvardering/")
    walk.tap("text=Tillgänglighetsredogörelse")
    walk.goto("/finns-inte/")  # a wrong address: the site's own page


def liaison(walk: Walk, n: int):
    walk.goto("/admin/")
    walk.tap("text=Ny fredagsutsättning")
    if n == 0:  # this week's Friday, once
        walk.check("#id_districts label:has-text('Jordbro') input")
        walk.tap("input[name=_save]")
        assert walk.saved(), "the deployment was not saved"
        walk.goto("/admin/")
    else:
        walk.page.go_back(wait_until="load")
    walk.tap("text=Nytt besök i ungdomsmiljö")
    walk.check("#id_districts label:has-text('Handen') input")
    walk.tap("input[name=_save]")
    assert walk.saved(), "the visit was not saved"
    walk.goto("/admin/")
    walk.tap("text=Veckans lägesbild")


def partner(walk: Walk, n: int):
    walk.goto("/admin/")
    walk.tap("text=Rapportera händelse")
    walk.choose("#id_category", label="Klotter")
    walk.choose("#id_district", label="Jordbro")
    walk.check("label:has-text('Trapphus eller källare') input")
    walk.tap("input[name=_save]")
    assert walk.saved(), "the report was not saved"


def coordinator(walk: Walk, n: int):
    walk.goto("/admin/")
    walk.tap("text=Ny trygghetsinventering")
    walk.check("#id_districts label:has-text('Jordbro') input")
    walk.type("#id_district_reason", "Otryggast i trygghetsmätningen.")
    walk.choose("#id_findings-0-category", value="lighting")
    walk.type("#id_findings-0-place", "Gångtunneln vid stationen")
    walk.type("#id_findings-0-description", "Två lampor är trasiga.")
    walk.tap("input[name=_save]")
    assert walk.saved(), "the inventory was not saved"
    # This quarter's report, drafted ("Skapa utkast"), and how it will look.
    draft = QuarterlyReport.objects.filter(status=QuarterlyReport.Status.DRAFT).get()
    walk.goto(f"/admin/reports/quarterlyreport/{draft.pk}/change/")
    walk.tap("a.viewsitelink")  # "Visa på webbplats": the draft's preview
    assert "Förhandsvisning" in walk.page.inner_text("body")
    walk.goto("/admin/")
    walk.tap("text=Veckans lägesbild")


def superuser(walk: Walk, n: int):
    name = ["Botkyrka", "Salem"][n]
    walk.goto("/admin/")
    walk.tap("text=Ny kommun")
    walk.type("#id_name", name)
    walk.type("#id_districts", "Centrum\nNorra")
    walk.type("#id_new_police_area", f"Lokalpolisområde {name}")
    walk.type("#id_coordinators", f"Anna Andersson, anna@{name.lower()}.se")
    walk.tap("input[type=submit]")
    assert walk.saved(), "the municipality was not made"
    walk.goto("/admin/promises/organisation/add/")
    walk.type("#id_name", f"Polisen i {name}")
    walk.choose("#id_kind", value="police")
    walk.tap("input[name=_save]")
    assert walk.page.locator(".errorlist").count(), "no error for the police"
    for section in ["Inloggningsförsök", "Autentiseringsappar", "Reservkodslistor"]:
        walk.goto("/admin/")
        walk.tap(f"#content-main a:text-is('{section}')")


JOURNEYS = {
    "invånare": (resident, None),
    "kontaktperson": (liaison, "kontaktperson"),
    "samverkanspart": (partner, "samverkanspart"),
    "samordnare": (coordinator, "samordnare"),
    "superanvändare": (superuser, SUPERUSER),
}


@pytest.fixture(scope="module")
def walks(django_db_setup, django_db_blocker, live_server):
    """{(role, width): Walk} of every journey at both widths."""
    chromium = require_chromium()
    origin = live_server.url
    done = {}
    with (
        time_machine.travel(SUITE_NOW),
        committed_then_restored(django_db_blocker),
        modify_settings(ALLOWED_HOSTS={"append": urlsplit(origin).hostname}),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        call_command("load_haninge", "--demo", verbosity=0)
        get_user_model().objects.create_superuser(SUPERUSER, "su@example.se", None)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            for n, (width, height) in enumerate(SCREENS):
                for role, (journey, username) in JOURNEYS.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        is_mobile=width < 768,
                        has_touch=width < 768,
                    )
                    context.set_default_timeout(15_000)
                    if username:
                        context.add_cookies(verified_session(origin, username))
                    walk = Walk(context.new_page(), origin, width)
                    journey(walk, n)
                    done[role, width] = walk
                    context.close()
            browser.close()
    print("\nThe first week: taps and fields per journey")
    for (role, width), walk in done.items():
        print(
            f"  {role:15} {width:5} px: {walk.taps:3} taps, {walk.fields:3} fields, "
            f"{len(walk.pages):3} pages"
        )
    return done


def test_every_role_walked_its_journey_at_both_widths(walks):
    assert {role for role, _width in walks} == set(JOURNEYS)
    for walk in walks.values():
        assert len(walk.pages) >= 3  # the partner's: start, form, their list


@pytest.mark.parametrize("role", list(JOURNEYS))
def test_no_sideways_scrolling_and_no_english_on_any_page(walks, role):
    problems = [
        f"  {width} px: {problem}"
        for (name, width), walk in walks.items()
        if name == role
        for problem in walk.problems
    ]
    if problems:
        pytest.fail("\n".join([f"{role}:", *problems]), pytrace=False)


def test_a_youth_visit_takes_few_taps(walks):
    """The liaison's visit to a youth environment: from the start page, the link,
    the district, Spara (issue 22: 13 taps, 7 fields and a typed title before)."""
    walk = walks["kontaktperson", 1366]
    # At 1366 the journey opens the Friday form only: 1 tap and back, then the
    # visit (3 taps, 1 field) and the lägesbild (1 tap).
    assert walk.taps <= 5 and walk.fields <= 1, (walk.taps, walk.fields)


def test_the_coordinator_saw_the_drafts_preview(walks):
    for width, _height in SCREENS:
        pages = walks["samordnare", width].pages
        assert any(page.endswith("/forhandsvisning/") for page in pages), pages
