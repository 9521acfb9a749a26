"""In a real browser: Botkyrka joins, end to end, and what it took is counted.

The superuser creates the municipality with 5 districts, a police area, a
coordinator and a liaison ("Ny kommun"). The coordinator chooses a password from
the e-mail's link, logs in (password, then adding an authenticator app), creates
the 2027 promise from the built-in example, adjusts 3 targets and publishes it on
the promise's page. The public pages then show the target sentences and
"Börjar 1 januari 2027" (the suite runs on 1 December 2026).

Page loads are the browser's main-frame navigations (a redirect and the page it
leads to are one); fields are the form fields a person fills, chooses or ticks.
Goal: at most 12 page loads and 25 fields in all.
"""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import sync_playwright

from promises.models import Municipality, Promise, Target
from promises.tests.factories import committed_then_restored, make_user
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium

# A browser, a server or a process of its own: CI runs it once, on PostgreSQL
# (conftest.py, `slow`).
pytestmark = pytest.mark.slow

PASSWORD = "ett-eget-långt-lösenord"


class Counted:
    """A page whose navigations and filled fields are counted."""

    def __init__(self, page, origin):
        self.page, self.origin = page, origin
        self.loads = 0
        self.fields = 0
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.loads += 1

    def goto(self, path):
        self.page.goto(path if path.startswith("http") else self.origin + path)

    def fill(self, selector, value):
        self.page.fill(selector, value)
        self.fields += 1

    def choose(self, selector, value):
        self.page.select_option(selector, value)
        self.fields += 1

    def submit(self, selector="input[type=submit]"):
        with self.page.expect_navigation():
            self.page.click(selector)


@pytest.fixture
def committed_database(django_db_setup, django_db_blocker):
    with committed_then_restored(django_db_blocker):
        yield


def superuser_session(browser, live_server):
    """The superuser, already logged in and past the second factor."""
    from django.conf import settings
    from django.test import Client

    from promises.tests.factories import login_verified

    superuser = make_user("admin", None, is_superuser=True)
    client = Client()
    login_verified(client, superuser)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_botkyrka_joins_in_at_most_12_page_loads_and_25_fields(
    committed_database, live_server, monkeypatch
):
    chromium = require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    origin = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )

        # The superuser: "Ny kommun", one form.
        admin = Counted(superuser_session(browser, live_server).new_page(), origin)
        admin.goto("/admin/")
        admin.loads = 0  # counting starts on the start page
        admin.page.click("text=Ny kommun")
        admin.fill("#id_name", "Botkyrka")
        admin.fill("#id_districts", "Alby\nFittja\nHallunda-Norsborg\nTumba\nTullinge")
        admin.fill("#id_new_police_area", "Lokalpolisområde Botkyrka")
        admin.fill("#id_coordinators", "Anna Andersson, anna.andersson@botkyrka.se")
        admin.fill("#id_liaisons", "Per Polis, per.polis@polisen.se")
        admin.submit()
        assert "Botkyrka är skapad med 5 kommundelar" in admin.page.content()

        # The coordinator: the e-mail's link, a password of her own.
        (welcome,) = [m for m in mail.outbox if "anna.andersson@botkyrka.se" in m.to]
        link = re.search(r"https?://\S+/konto/losenord/\S+/", welcome.body).group(0)
        anna = Counted(browser.new_context().new_page(), origin)
        anna.goto(link)
        anna.fill("#id_new_password1", PASSWORD)
        anna.fill("#id_new_password2", PASSWORD)
        anna.submit()
        # Logged in with it: then adding an authenticator app.
        key = b32decode(anna.page.inner_text("#two-factor-secret").replace(" ", ""))
        anna.fill("#id_code", f"{TOTP(key).token():06d}")
        anna.submit("#two-factor-form input[type=submit]")
        # The 2027 promise from the example: the defaults are right.
        anna.page.click("text=Nytt medborgarlöfte från mall")
        anna.submit()
        assert "skapades som utkast" in anna.page.content()
        # Three targets adjusted, and published, in one save of the promise's page.
        rows = {
            anna.page.input_value(f"#id_commitments-{n}-title"): n for n in range(9)
        }
        dialogues = rows["Minst fyra trygghetsdialoger i olika delar av kommunen"]
        inventories = rows["Gemensamma trygghetsinventeringar"]
        youth = rows["Regelbundna besök i ungdomsmiljöer"]
        anna.fill(f"#id_commitments-{dialogues}-target_count", "6")
        anna.fill(f"#id_commitments-{inventories}-target_count", "1")
        anna.choose(f"#id_commitments-{youth}-target_frequency", "quarter")
        anna.choose("#id_status", "published")
        anna.submit("input[name=_save]")
        assert anna.page.url.endswith("/admin/promises/promise/")
        assert anna.page.locator(".messagelist .success").count() == 1

        # What residents see.
        anna.goto("/botkyrka/2027/")
        public = anna.page.content()
        browser.close()

    loads = admin.loads + anna.loads
    fields = admin.fields + anna.fields
    print(f"Botkyrka joined in {loads} page loads and {fields} fields")
    botkyrka = Municipality.objects.get(name="Botkyrka")
    promise = Promise.objects.get(municipality=botkyrka, year=2027)
    assert promise.is_published
    sentences = {
        t.sentence() for t in Target.objects.filter(commitment__promise=promise)
    }
    assert "Minst 6 trygghetsdialoger per år, i minst 4 olika kommundelar" in sentences
    assert "Minst en gemensam trygghetsinventering per halvår" in sentences
    assert "Minst ett besök i en ungdomsmiljö per kvartal" in sentences
    assert "Börjar 1 januari 2027." in public
    assert "En gemensam utsättning varje fredag" in public
    assert "Minst 6 trygghetsdialoger per år, i minst 4 olika kommundelar" in public
    assert loads <= 12
    assert fields <= 25
