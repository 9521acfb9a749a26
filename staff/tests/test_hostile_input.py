"""Hostile input: markup, scripts, odd Unicode, oversize values and odd URLs.

Markup in any public text is text: escaped on every HTML page, in the Atom feed, and
carried as plain data in the calendar and the open data downloads. Link fields take
only web addresses. Bad values through the admin give a clear error, never a 500;
odd query strings and paths give 200/302/400/404, never a 500 or a traceback. The
login never redirects off-site.
"""

import csv
import io
import json
from urllib.parse import quote, urlsplit

import feedparser
import icalendar
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promises.models import (
    Activity,
    Commitment,
    District,
    Finding,
    Organisation,
    Promise,
)
from promises.tests.factories import (
    PASSWORD,
    activity_form,
    built_once,
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_haninge,
    make_persona,
    make_promise,
    promise_form,
    serve,
)
from reports.models import QuarterlyReport, ReportChannel

pytestmark = pytest.mark.django_db

OPEN_DATA = [
    "aktiviteter",
    "sammanstallning",
    "utsattningsveckor",
    "framsteg",
    "framsteg-perioder",
    "iakttagelser",
    "indikatorer",
]


def payload(field: str) -> str:
    """Markup that would run or render if it were not escaped, named by field."""
    return f'<script>alert("{field}")</script><img src=x onerror="{field}">'


RAW_MARKERS = [b"<script>alert(", b"<img src=x onerror"]


def assert_no_raw_markup(content: bytes, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in content, where


@pytest.fixture(scope="module", autouse=True)
def world(request, django_db_setup, django_db_blocker):
    """For the tests that use `hostile`: Haninge with a published promise whose
    every public text is hostile (make_hostile), its coordinator and a superuser,
    built once for them all (built_once: each test runs in a savepoint rolled back
    after it). For the other tests nothing: they make their own Haninge.
    pytest_generate_tests gives each test its kind, and pytest runs the tests of a
    kind together: the data is built once, and gone before the others run."""
    if not request.param:
        yield None
        return
    with built_once(django_db_blocker):
        haninge = make_haninge()
        police = serve(haninge).organisation
        kommun = Organisation.objects.create(
            name="Haninge kommun",
            kind=Organisation.Kind.MUNICIPALITY,
            municipality=haninge,
        )
        yield {
            "hostile": make_hostile(haninge, police, kommun),
            "coordinator_haninge": make_persona("coordinator_haninge", haninge),
            "superuser": make_persona("superuser"),
        }


def pytest_generate_tests(metafunc):
    uses = "hostile" in metafunc.fixturenames
    metafunc.parametrize(
        "world",
        [uses],
        ids=["hostile" if uses else "own"],
        indirect=True,
        scope="module",
    )


@pytest.fixture
def hostile(world):
    return world["hostile"]


@pytest.fixture
def coordinator_haninge(world, request):
    if world:
        return world["coordinator_haninge"]
    return make_persona("coordinator_haninge", request.getfixturevalue("haninge"))


@pytest.fixture
def superuser(world, db):
    return world["superuser"] if world else make_persona("superuser")


def make_hostile(haninge, police, haninge_kommun) -> dict:
    """A published Haninge promise whose every public text is hostile."""
    handen = haninge.districts.get(name="Handen")
    promise = make_promise(
        haninge, title=payload("promise.title"), introduction=payload("introduction")
    )
    commitment = make_commitment(
        promise, payload("commitment.title"), kind=Activity.Kind.DIALOGUE, count=4
    )
    commitment.description = payload("commitment.description")
    commitment.save()
    dialogue = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 6, 18),
        title=payload("dialogue.title"),
        summary=payload("summary"),
        residents_raised=payload("residents_raised"),
        districts=[handen],
        organisations=[police, haninge_kommun],
    )
    inventory = make_activity(
        promise,
        Activity.Kind.INVENTORY,
        local(2026, 4, 14, 18),
        title=payload("inventory.title"),
        district_reason=payload("district_reason"),
        districts=[handen],
        organisations=[police, haninge_kommun],
    )
    Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        district=handen,
        place=payload("finding.place"),
        description=payload("finding.description"),
    )
    planned = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        timezone.now() + timezone.timedelta(days=7),
        title=payload("planned.title") + "\r\nBEGIN:VEVENT\r\nSUMMARY:Injicerad",
        summary=payload("planned.summary"),
        status=Activity.Status.PLANNED,
        districts=[handen],
    )
    report = QuarterlyReport.objects.create(
        promise=promise,
        year=2026,
        quarter=1,
        title=payload("report.title"),
        body=payload("report.body"),
        status=QuarterlyReport.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    return {
        "promise": promise,
        "commitment": commitment,
        "dialogue": dialogue,
        "inventory": inventory,
        "planned": planned,
        "report": report,
        "district": handen,
    }


def public_pages(hostile) -> dict[str, str]:
    promise = hostile["promise"]
    base = "/haninge/2026/"
    return {
        "start": "/",
        "overview": base,
        "commitment": f"{base}atagande/{hostile['commitment'].pk}/",
        "district": f"{base}kommundel/{hostile['district'].slug}/",
        "dialogue": hostile["dialogue"].get_absolute_url(),
        "inventory": hostile["inventory"].get_absolute_url(),
        "planned": f"{base}aktivitet/{hostile['planned'].pk}/",
        "report_list": f"{base}rapporter/",
        "report": hostile["report"].get_absolute_url(),
        "open_data": f"{base}oppna-data/",
        "embed": f"{base}inbaddning/",
        "promise": promise.get_absolute_url(),
    }


PAGE_NAMES = [
    "start",
    "overview",
    "commitment",
    "district",
    "dialogue",
    "inventory",
    "planned",
    "report_list",
    "report",
    "open_data",
    "embed",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_public_pages_show_markup_as_text(client, hostile, page):
    url = public_pages(hostile)[page]
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    assert_no_raw_markup(response.content, url)
    if response.status_code == 200:
        assert b"&lt;script&gt;alert(" in response.content, url


# Each public text and a page where it is shown.
SHOWN_ON = [
    ("promise.title", "overview"),
    ("introduction", "overview"),
    ("commitment.title", "commitment"),
    ("commitment.description", "commitment"),
    ("dialogue.title", "dialogue"),
    ("summary", "dialogue"),
    ("residents_raised", "dialogue"),
    ("district_reason", "inventory"),
    ("finding.place", "inventory"),
    ("finding.description", "inventory"),
    ("report.title", "report"),
    ("report.body", "report"),
]


@pytest.mark.parametrize(("field", "page"), SHOWN_ON)
def test_each_public_text_is_shown_escaped(client, hostile, field, page):
    url = public_pages(hostile)[page]
    response = client.get(url)
    assert response.status_code == 200
    assert escape(payload(field)).encode() in response.content, (field, url)
    assert payload(field).encode() not in response.content


def test_the_atom_feed_carries_markup_as_text(client, hostile):
    response = client.get("/haninge/rapporter.atom")
    assert response.status_code == 200
    assert b"<script" not in response.content
    assert b"<img" not in response.content
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == payload("report.title")
    # The summary is declared as HTML: the body, which is text, must be escaped in
    # it, or a feed reader runs the script.
    summary = entry.summary_detail
    if summary.type == "text/html":
        assert "<script" not in summary.value
        assert "<img" not in summary.value
    else:
        assert summary.value == payload("report.body")


def test_the_calendar_carries_markup_as_plain_text_without_injection(client, hostile):
    response = client.get("/haninge/2026/trygghetsdialoger.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1  # the CRLF in the title started no second event
    assert str(events[0]["SUMMARY"]).startswith(payload("planned.title"))
    assert b"\r\nSUMMARY:Injicerad" not in response.content


@pytest.mark.parametrize("dataset", OPEN_DATA)
def test_csv_downloads_carry_markup_as_data(client, hostile, dataset):
    response = client.get(f"/haninge/2026/oppna-data/{dataset}.csv")
    assert response.status_code == 200
    assert "html" not in response["Content-Type"]
    assert response.get("X-Content-Type-Options") == "nosniff"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    list(csv.reader(io.StringIO(text)))  # parses


@pytest.mark.parametrize("dataset", OPEN_DATA)
def test_json_downloads_carry_markup_as_data(client, hostile, dataset):
    response = client.get(f"/haninge/2026/oppna-data/{dataset}.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.get("X-Content-Type-Options") == "nosniff"
    json.loads(b"".join(response.streaming_content))


def test_the_activities_csv_and_json_round_trip_the_text(client, hostile):
    base = "/haninge/2026/oppna-data/aktiviteter"
    csv_text = b"".join(client.get(f"{base}.csv").streaming_content).decode("utf-8-sig")
    json_text = b"".join(client.get(f"{base}.json").streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(csv_text)) for cell in row]
    assert payload("summary") in cells
    values = [value for row in json.loads(json_text) for value in row.values()]
    assert payload("summary") in values


# --- Link fields ---------------------------------------------------------------------


def report_form(report, **channel) -> dict:
    return {
        "promise": report.promise_id,
        "year": report.year,
        "quarter": report.quarter,
        "title": "Rapport",
        "body": "Text",
        "status": report.status,
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "1000",
        "channels-0-id": "",
        "channels-0-report": report.pk,
        "channels-0-kind": ReportChannel.Kind.WEBSITE,
        **{f"channels-0-{name}": value for name, value in channel.items()},
    }


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_a_link_must_be_a_web_address(client, coordinator_haninge, hostile, url):
    report = hostile["report"]
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"/admin/reports/quarterlyreport/{report.pk}/change/",
        report_form(report, url=url),
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not ReportChannel.objects.exists()


def test_a_web_address_is_accepted(client, coordinator_haninge, hostile):
    report = hostile["report"]
    login_verified(client, coordinator_haninge)
    response = client.post(
        f"/admin/reports/quarterlyreport/{report.pk}/change/",
        report_form(report, url="https://www.haninge.se/trygghet"),
    )
    assert response.status_code == 302
    assert ReportChannel.objects.get().url == "https://www.haninge.se/trygghet"


# --- Bad values through the admin forms ----------------------------------------------

ACTIVITY_ADD = "/admin/promises/activity/add/"


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "x" * 10_000},
        {"summary": "Före\x00efter"},
        {"title": "Nul\x00byte"},
        {"residents_raised": "\x00"},
        {"residents_met": str(10**30)},
        {"participants": "-1"},
        {"participants": "tolv"},
        {"starts_at_0": "2026-02-30"},
        {"starts_at_0": "2026-13-01"},
        {"starts_at_0": "99999-01-01"},
        {"starts_at_1": "25:61"},
        {"kind": "<script>"},
        {"promise": "123456789012345678901234567890"},
        {"promise": "' OR 1=1 --"},
    ],
    ids=lambda fields: (
        next(iter(fields)) + "=" + repr(next(iter(fields.values())))[:20]
    ),
)
def test_bad_activity_values_give_a_clear_error(
    client, coordinator_haninge, promise_haninge, fields
):
    login_verified(client, coordinator_haninge)
    response = client.post(ACTIVITY_ADD, activity_form(promise_haninge, **fields))
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("count", [10**5 + 1, 10**12])
@pytest.mark.parametrize("field", ["participants", "residents_met"])
def test_an_implausible_count_is_refused(
    client, coordinator_haninge, promise_haninge, field, count
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, **{field: str(count)})
    )
    assert response.status_code == 200
    assert "mindre än eller lika med 100000" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("field", ["participants", "residents_met"])
def test_the_database_refuses_an_implausible_count(promise_haninge, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_activity(promise_haninge, **{field: 10**5 + 1})


def test_a_large_plausible_count_is_kept(client, coordinator_haninge, promise_haninge):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD, activity_form(promise_haninge, residents_met="100000")
    )
    assert response.status_code == 302
    assert Activity.objects.get().residents_met == 100_000


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_on": "2026-02-30"},
        {"ends_on": "2026-13-01"},
        {"title": "x" * 10_000},
        {"introduction": "a\x00b"},
        {"year": str(10**12)},
        {"year": "99999"},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_bad_promise_values_give_a_clear_error(
    client, coordinator_haninge, haninge, fields
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/promises/promise/add/", promise_form(haninge, **fields)
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not Promise.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"title": "x" * 10_000}, {"body": "a\x00b"}, {"quarter": "5"}, {"year": "abc"}],
    ids=lambda fields: next(iter(fields)),
)
def test_bad_report_values_give_a_clear_error(
    client, coordinator_haninge, promise_haninge, fields
):
    login_verified(client, coordinator_haninge)
    data = {
        "promise": promise_haninge.pk,
        "year": "2026",
        "quarter": "1",
        "title": "Rapport",
        "body": "Text",
        "status": "draft",
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "1000",
        **fields,
    }
    response = client.post("/admin/reports/quarterlyreport/add/", data)
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not QuarterlyReport.objects.exists()


# --- Unicode -------------------------------------------------------------------------

UNICODE_TEXT = "Åäö i Brandbergen 🏠 \u200fשלום\u200f – “citat” ‘ok’"


def test_unicode_text_round_trips_through_the_admin_and_the_public_page(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        ACTIVITY_ADD,
        activity_form(promise_haninge, title=UNICODE_TEXT, summary=UNICODE_TEXT),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.title == UNICODE_TEXT
    assert activity.summary == UNICODE_TEXT
    page = Client().get(activity.get_absolute_url())
    assert page.status_code == 200
    assert escape(UNICODE_TEXT) in page.content.decode()


def district_form(haninge, name: str, slug: str) -> dict:
    return {"municipality": haninge.pk, "name": name, "slug": slug}


def test_a_unicode_district_is_created_in_the_admin_and_shown_publicly(
    client, coordinator_haninge, haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/promises/district/add/",
        district_form(haninge, "Åkersberga 🏠", "åkersberga"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    district = District.objects.get(name="Åkersberga 🏠")
    assert district.slug == "åkersberga"
    url = f"/haninge/2026/kommundel/{quote(district.slug)}/"
    page = Client().get(url)
    assert page.status_code == 200
    assert "Åkersberga 🏠" in page.content.decode()


@pytest.mark.parametrize(
    "slug", ["åkersberga-🏠", "a b", "<script>", "x" * 101, "a/b", "\u200f"]
)
def test_a_bad_district_slug_gives_a_clear_error(
    client, coordinator_haninge, haninge, slug
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/promises/district/add/", district_form(haninge, "Ny kommundel", slug)
    )
    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not District.objects.filter(name="Ny kommundel").exists()


# --- Query parameters and paths ------------------------------------------------------

SQL = "' OR 1=1 --"
ODD_PUBLIC_URLS = [
    "/haninge/2026/?page=abc",
    "/haninge/2026/?year=99999",
    f"/haninge/2026/?q={quote(SQL)}",
    "/haninge/2026/aktivitet/123456789012345678901234567890/",
    "/haninge/2026/atagande/123456789012345678901234567890/",
    "/haninge/2026/aktivitet/0/",
    f"/haninge/2026/aktivitet/{quote(SQL)}/",
    f"/haninge/2026/kommundel/{quote(SQL)}/",
    "/haninge/2026/kommundel/%00/",
    "/haninge/2026/kommundel/%3Cscript%3E/",
    "/haninge/99999/",
    "/haninge/0/",
    "/haninge/123456789012345678901234567890/",
    f"/{quote(SQL)}/2026/",
    "/finns-inte/2026/",
    "/haninge/rapporter.atom?page=abc",
    "/finns-inte/rapporter.atom",
    "/haninge/2026/rapporter/?page=abc",
    "/haninge/2026/rapporter/2026/kvartal-9/",
    "/haninge/2026/rapporter/99999/kvartal-1/",
    "/haninge/2026/rapporter/123456789012345678901234567890/kvartal-1/",
    "/haninge/2026/utvardering/",
    "/haninge/2026/oppna-data/finns-inte.csv",
    "/haninge/2026/oppna-data/aktiviteter.csv?year=abc",
    "/haninge/2026/oppna-data/aktiviteter.json?page=abc",
    "/haninge/99999/oppna-data/aktiviteter.json",
    "/haninge/99999/trygghetsdialoger.ics",
    "/haninge/2026/inbaddning/?theme=%3Cscript%3E",
    "/?next=https://evil.example/",
]


def assert_no_crash(response, url) -> None:
    assert response.status_code < 500, url
    assert b"Traceback" not in b"".join(
        response.streaming_content if response.streaming else [response.content]
    )


@pytest.mark.parametrize("url", ODD_PUBLIC_URLS)
def test_odd_public_urls_never_crash(client, hostile, url):
    response = client.get(url)
    assert_no_crash(response, url)


ODD_CHANGELIST_QUERIES = [
    f"q={quote(SQL)}",
    "q=%00",
    "o=abc",
    "o=999",
    "o=-1.2.x",
    "p=abc",
    "p=99999",
    "p=123456789012345678901234567890",
    "kind__exact=%3Cscript%3E",
    "status__exact=%3Cscript%3E",
    "promise__id__exact=abc",
    "promise__id__exact=123456789012345678901234567890",
    "municipality__id__exact=abc",
    "starts_at__gte=2026-02-30",
    "year=99999",
    f"id__in={quote(SQL)}",
    "all=",
    "_to_field=password",
    "e=1",
]


def changelists():
    from django.contrib import admin

    return sorted(
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    )


@pytest.mark.parametrize("query", ODD_CHANGELIST_QUERIES)
@pytest.mark.parametrize("changelist", changelists())
def test_odd_changelist_queries_never_crash(
    client, superuser, hostile, changelist, query
):
    login_verified(client, superuser)
    url = f"{changelist}?{query}"
    response = client.get(url)
    assert_no_crash(response, url)
    assert_no_raw_markup(response.content, url)


@pytest.mark.parametrize("query", ["q", "o", "p", "kind__exact"])
def test_odd_changelist_queries_never_crash_for_the_coordinator(
    client, coordinator_haninge, hostile, query
):
    login_verified(client, coordinator_haninge)
    value = {"q": SQL, "o": "abc", "p": "abc", "kind__exact": "<script>"}[query]
    response = client.get("/admin/promises/activity/", {query: value})
    assert_no_crash(response, query)
    assert_no_raw_markup(response.content, query)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/promises/activity/123456789012345678901234567890/change/",
        f"/admin/promises/activity/{quote(SQL)}/change/",
        "/admin/promises/activity/abc/history/",
        "/admin/promises/activity/1/history/123456789012345678901234567890/",
        "/admin/reports/indicator/123456789012345678901234567890/change/",
        "/admin/auth/user/abc/change/",
    ],
)
def test_odd_admin_object_ids_never_crash(client, superuser, hostile, path):
    login_verified(client, superuser)
    assert_no_crash(client.get(path), path)


# --- Open redirect -------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_the_login_does_not_redirect_off_site(client, coordinator_haninge, next_url):
    response = client.post(
        f"/admin/login/?next={quote(next_url)}",
        {
            "username": coordinator_haninge.username,
            "password": PASSWORD,
            "next": next_url,
        },
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.scheme in ("", "http", "https")
    assert location.netloc in ("", "testserver")
    assert not response["Location"].startswith(("//", "/\\", "\\"))


def test_the_login_redirects_to_a_local_next(client, coordinator_haninge):
    response = client.post(
        "/admin/login/",
        {
            "username": coordinator_haninge.username,
            "password": PASSWORD,
            "next": "/admin/promises/activity/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/promises/activity/"


# --- Random text in a public title ---------------------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    title=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"]),
        min_size=1,
        max_size=200,
    ).filter(str.strip)
)
def test_random_text_in_an_activity_title_is_escaped_on_its_page(
    client, promise_haninge, title
):
    activity = make_activity(promise_haninge, title=title)
    try:
        response = client.get(activity.get_absolute_url())
        assert response.status_code == 200
        assert escape(title) in response.content.decode()
    finally:
        activity.delete()


def test_commitment_text_is_escaped_in_the_admin_too(
    client, coordinator_haninge, hostile
):
    login_verified(client, coordinator_haninge)
    commitment = Commitment.objects.get()
    for url in [
        "/admin/promises/commitment/",
        f"/admin/promises/commitment/{commitment.pk}/change/",
        "/admin/promises/promise/",
        "/admin/reports/quarterlyreport/",
        "/admin/promises/finding/",
        "/admin/promises/activity/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_raw_markup(response.content, url)
