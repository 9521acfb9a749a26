"""The admin is Swedish throughout, through the HTTP client as staff see it.

Django 6.1 and django-simple-history leave some of the admin in English for a
Swedish site, and some of Django's Swedish reads wrong; the project's own
translations (locale/sv/LC_MESSAGES/) and a few template overrides (templates/admin/,
templates/simple_history/) put that right. Date-only fields get no note about time
zones (staff/admin_widgets.py); the note under date-time fields is in
Swedish, which a browser in another time zone shows (the last test).
"""

import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.test.utils import modify_settings
from django.urls import reverse
from playwright.sync_api import sync_playwright

from promises.roles import COORDINATOR
from promises.tests.factories import (
    committed_then_restored,
    login_verified,
    make_activity,
    make_municipality,
    make_promise,
    make_user,
)
from staff.tests.test_accessibility import CHROMIUM_ARGS, require_chromium

LOCALE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"
TIMEZONE_NOTE = "_timezone_warning_helptext"

# Words that are English and not Swedish, as Django and its apps write them in
# the admin's pages. "Filter", "Status", "Start" and "Text" are Swedish too.
ENGLISH = re.compile(
    r"\b(Select|Search|Filter by|View|History|Historical|Changed|Created|Deleted|"
    r"Comment|Object|None|Promises|Reports|Note|option|Change|Delete|Add|Save|"
    r"Home|Log|Password|Today|Yesterday|Tomorrow|Now|Yes|No|Show|Hide|Close|"
    r"Choose|Remove|Run|Go|entries|entry|results?|selected|of|the|and|by)\b"
)


class VisibleText(HTMLParser):
    """The text a user reads or hears: text outside scripts and styles, and the
    attributes read out or shown (alt, title, aria-label, placeholder, the value
    of buttons)."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        attrs = dict(attrs)
        for name in ("alt", "title", "aria-label", "placeholder"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"}:
            self.texts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_text(response) -> list[str]:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return parser.texts


def english_in(response) -> list[str]:
    return [text for text in visible_text(response) if ENGLISH.search(text)]


@pytest.fixture
def coordinator(client, coordinator_haninge):
    login_verified(client, coordinator_haninge)
    return client


@pytest.fixture
def activity(promise_haninge, haninge):
    activity = make_activity(promise_haninge, title="Trygghetsdialog i Handen")
    activity.title = "Trygghetsdialog i Jordbro"
    activity.save()  # a second version in its history
    return activity


# The empty choice of a drop-down list


@pytest.mark.parametrize(
    "url", ["/admin/promises/activity/add/", "/admin/promises/promise/add/"]
)
def test_an_empty_choice_says_valj_in_swedish(coordinator, promise_haninge, url):
    response = coordinator.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<option value=""( selected)?>– Välj –</option>', html)
    assert "Select an option" not in html


# No English on the pages staff see


def coordinator_pages(activity) -> list[str]:
    """The admin's start page, every list and add page the coordinator may open,
    and an activity's change page, its history and one version of it."""
    pages = ["/admin/", "/admin/promises/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label in {"promises", "reports"}:
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    version = activity.history.earliest("history_date").history_id
    pages += [
        "/admin/promises/activity/add/?kind=inventory",
        "/admin/promises/activity/?q=dialog",
        f"/admin/promises/activity/{activity.pk}/change/",
        f"/admin/promises/activity/{activity.pk}/history/",
        f"/admin/promises/activity/{activity.pk}/history/{version}/",
        f"/admin/promises/activity/{activity.pk}/delete/",
        f"/admin/promises/municipality/{activity.promise.municipality_id}/history/",
        f"/admin/promises/municipality/{activity.promise.municipality_id}/exportera/",
        "/admin/tvastegsverifiering/reservkoder/",
        "/admin/tvastegsverifiering/ny-telefon/",
    ]
    return pages


def test_the_coordinators_admin_pages_have_no_english(coordinator, activity):
    opened = 0
    for url in coordinator_pages(activity):
        response = coordinator.get(url)
        if response.status_code == 403:  # e.g. adding a municipality
            continue
        assert response.status_code == 200, url
        opened += 1
        assert english_in(response) == [], url
    assert opened > 20


def test_the_police_liaisons_list_of_deployments_has_no_english(
    client, liaison_haninge, promise_haninge
):
    login_verified(client, liaison_haninge)
    response = client.get("/admin/promises/fridaydeployment/")
    assert "Filtrera på start" in visible_text(response)  # the date links' label
    assert english_in(response) == []


def test_the_search_field_is_labelled_sok(coordinator):
    html = coordinator.get("/admin/promises/activity/").content.decode()
    assert re.search(r'<label for="searchbar"><img [^>]*alt="Sök"></label>', html)
    assert 'alt="Search"' not in html


def test_an_objects_history_is_in_swedish(coordinator, activity):
    response = coordinator.get(f"/admin/promises/activity/{activity.pk}/history/")
    texts = visible_text(response)
    assert "Historik: Trygghetsdialog i Jordbro (2026-03-06)" in texts
    for heading in ["Objekt", "Datum och tid", "Händelse", "Ändrad av", "Orsak"]:
        assert heading in texts
    assert {"Skapad", "Ändrad"} <= set(texts)
    # No change reason is recorded: an empty cell, not "None".
    assert "None" not in texts
    assert " style=" not in response.content.decode()


def test_one_version_names_the_app_and_the_model_in_swedish(coordinator, activity):
    version = activity.history.earliest("history_date").history_id
    response = coordinator.get(
        f"/admin/promises/activity/{activity.pk}/history/{version}/"
    )
    html = response.content.decode()
    breadcrumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    assert breadcrumbs, html
    crumbs = [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", breadcrumbs.group(1), re.S)
    ]
    assert crumbs == [
        "Hem",
        "Medborgarlöften",
        "Aktiviteter",
        "Trygghetsdialog i Handen (2026-03-06)",  # the version
        "Historik",
        "Visa Trygghetsdialog i Handen (2026-03-06)",
    ]


def test_the_start_page_says_dina_senaste_andringar(coordinator):
    """Not Django's "Senaste Händelser", which reads like the incident reports."""
    texts = visible_text(coordinator.get("/admin/"))
    assert "Dina senaste ändringar" in texts
    assert "Senaste Händelser" not in texts


# The municipality's staff: "Välj alla användare", not "Välj alla personal"


def test_the_staff_field_is_named_so_that_its_widget_reads_right(
    client, superuser, haninge
):
    login_verified(client, superuser)
    html = client.get(f"/admin/promises/municipality/{haninge.pk}/change/").content
    html = html.decode()
    # SelectFilter2.js builds its texts from the select's data-field-name.
    assert 'data-field-name="användare"' in html
    assert "<legend>Användare:</legend>" in html
    catalog = js_catalog(client)
    assert catalog["Choose all %s"] == "Välj alla %s"  # "Välj alla användare"
    assert catalog["Available %s"] == "Tillgängliga %s"
    assert catalog["Chosen %s"] == "Valda %s"
    assert catalog["Remove all %s"] == "Ta bort alla %s"


def js_catalog(client) -> dict:
    """The admin's JavaScript translations (/admin/jsi18n/), as a dict."""
    script = client.get(reverse("admin:jsi18n")).content.decode()
    match = re.search(r"const newcatalog = (\{.*?\});\n", script, re.S)
    assert match, script[:500]
    return json.loads(match.group(1))


# Time zones: a note under date-time fields only, in Swedish


def inputs(html: str, css_class: str) -> dict[str, str]:
    return {
        re.search(r'name="([^"]+)"', tag).group(1): tag
        for tag in re.findall(rf'<input [^>]*class="{css_class}"[^>]*>', html)
    }


def test_a_promises_dates_have_no_note_about_time_zones(coordinator):
    response = coordinator.get("/admin/promises/promise/add/")
    html = response.content.decode()
    dates = inputs(html, "vDateField")
    assert set(dates) == {"starts_on", "ends_on"}
    for tag in dates.values():
        assert TIMEZONE_NOTE not in tag
    # The script that keeps DateTimeShortcuts.js from adding the note comes after it.
    scripts = re.findall(r'<script src="([^"]+)"', html)
    shortcuts = scripts.index("/static/admin/js/admin/DateTimeShortcuts.js")
    assert scripts.index("/static/medborgarlofte/date-only.js") > shortcuts


@pytest.mark.parametrize("kind", ["", "?kind=inventory"])
def test_an_activitys_times_have_the_note_and_its_findings_dates_do_not(
    coordinator, kind
):
    response = coordinator.get(f"/admin/promises/activity/add/{kind}")
    html = response.content.decode()
    dates = inputs(html, "vDateField")
    times = inputs(html, "vTimeField")
    # Start and end are dates and times: the note explains which time zone.
    for name in ["starts_at_0", "ends_at_0"]:
        field = name.removesuffix("_0")
        assert f'aria-describedby="id_{field}{TIMEZONE_NOTE}"' in dates[name]
        assert f'aria-describedby="id_{field}{TIMEZONE_NOTE}"' in times[f"{field}_1"]
    if kind:
        # An inventory's finding: "åtgärdat datum" is a date only, without a note.
        fixed_on = [tag for name, tag in dates.items() if name.endswith("fixed_on")]
        assert fixed_on
        for tag in fixed_on:
            assert TIMEZONE_NOTE not in tag
        assert "/static/medborgarlofte/date-only.js" in html


def test_a_date_fields_help_text_stays_linked(client, coordinator_haninge):
    """Django 6.1's note replaced a date field's link to its help text."""
    from django import forms

    from staff.admin_widgets import DateOnlyWidget

    class Form(forms.Form):
        day = forms.DateField(help_text="Dagen.", widget=DateOnlyWidget)

    html = str(Form()["day"])
    assert 'aria-describedby="id_day_helptext"' in html


def test_the_note_about_time_zones_is_in_swedish(coordinator):
    catalog = js_catalog(coordinator)
    ahead = catalog[
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    ]
    behind = catalog[
        "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)"
    ]
    assert ahead == [
        "Obs! Ange tiden i tidszonen %(timezone)s. (Din dator går %(offset)s timme före.)",
        "Obs! Ange tiden i tidszonen %(timezone)s. (Din dator går %(offset)s timmar före.)",
    ]
    assert behind[1].endswith("timmar efter.)")
    assert catalog["Today (%(date)s)"] == "I dag (%(date)s)"
    assert catalog["6 p.m."] == "18:00"


# The translations are compiled


def po_entries(path: Path) -> dict:
    """{msgid or (msgid, msgid_plural): msgstr or [msgstr…]} of a .po file."""
    entries, entry, key = {}, {}, None
    lines = [*path.read_text(encoding="utf-8").splitlines(), ""]
    for line in lines:
        if not line.strip():
            if entry.get("msgid"):
                if "msgid_plural" in entry:
                    entries[entry["msgid"], entry["msgid_plural"]] = [
                        entry[k] for k in sorted(k for k in entry if k[:7] == "msgstr[")
                    ]
                else:
                    entries[entry["msgid"]] = entry["msgstr"]
            entry, key = {}, None
        elif line.startswith('"'):
            entry[key] += json.loads(line)
        elif not line.startswith("#"):
            key, _, value = line.partition(" ")
            entry[key] = json.loads(value)
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_translations_are_those_of_the_po_file(domain):
    """A changed .po needs `make messages` (compilemessages) and its .mo committed."""
    with open(LOCALE / f"{domain}.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    entries = po_entries(LOCALE / f"{domain}.po")
    assert len(entries) > 10
    for msgid, msgstr in entries.items():
        if isinstance(msgid, tuple):
            assert [compiled.ngettext(*msgid, n) for n in (1, 2)] == msgstr, msgid
        else:
            assert compiled.gettext(msgid) == msgstr, msgid
    assert len(compiled._catalog) - 1 == sum(  # the header is an entry too
        len(v) if isinstance(v, list) else 1 for v in entries.values()
    )


# In a browser whose clock is in another time zone


@pytest.mark.slow  # a browser and a live server (conftest.py)
def test_a_browser_in_another_time_zone_sees_the_note_in_swedish_under_times_only(
    django_db_setup, django_db_blocker, live_server
):
    chromium = require_chromium()
    origin = live_server.url
    with (
        committed_then_restored(django_db_blocker),
        modify_settings(ALLOWED_HOSTS={"append": urlsplit(origin).hostname}),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        haninge = make_municipality("Haninge", ["Handen"])
        make_promise(haninge)
        client = Client()
        login_verified(client, make_user("samordnare", COORDINATOR, [haninge]))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            # UTC: an hour behind Stockholm on the suite's day (1 December).
            context = browser.new_context(timezone_id="UTC")
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session,
                        "url": origin,
                    }
                ]
            )
            page = context.new_page()
            page.goto(f"{origin}/admin/promises/activity/add/?kind=inventory")
            assert page.locator("[name$=fixed_on]").count() >= 1
            # Start and end have the note; the finding's date has none.
            assert page.locator(".timezonewarning").count() == 2
            for field in ["starts_at", "ends_at"]:  # the end in a folded fieldset
                note = page.locator(f"#id_{field}{TIMEZONE_NOTE}")
                assert note.text_content().strip() == (
                    "Obs! Ange tiden i tidszonen Europe/Stockholm. "
                    "(Din dator går 1 timme efter.)"
                )
            page.goto(f"{origin}/admin/promises/promise/add/")
            assert page.locator(".datetimeshortcuts").count() == 2  # the calendars
            assert page.locator(".timezonewarning").count() == 0
            browser.close()
