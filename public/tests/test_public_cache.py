"""Public pages are cached until the data changes, and may be kept by CDNs briefly."""

import datetime
import socket
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from promises import generations, rollups
from promises.models import Activity, ActivityDay
from promises.progress import promise_progress
from promises.tests.factories import (
    activity_form,
    local,
    login_verified,
    make_activity,
    make_dialogue_and_friday_commitments,
)
from public.page_cache import allow_shared_caching
from public.tests.crawl import crawl
from public.views import ACTIVITIES_PER_PAGE
from reports.models import QuarterlyReport

OVERVIEW = "/haninge/2026/"


@pytest.fixture
def haninge_2026(promise_haninge, haninge, police, haninge_kommun):
    make_dialogue_and_friday_commitments(promise_haninge)
    return promise_haninge


def dialogue(promise, title, day=6, **fields):
    return make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 3, day),
        title=title,
        districts=promise.municipality.districts.all()[:1],
        **fields,
    )


def test_a_public_page_may_be_kept_briefly_by_shared_caches(client, haninge_2026):
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"]
    again = client.get(OVERVIEW, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_public_cache_seconds_come_from_the_settings(client, haninge_2026, settings):
    settings.PUBLIC_CACHE_SECONDS = 15
    assert client.get(OVERVIEW)["Cache-Control"] == "public, max-age=15"


def test_a_repeated_visit_runs_no_query(client, haninge_2026):
    dialogue(haninge_2026, "Dialog i Handen")
    first = client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(OVERVIEW)
    assert len(queries) == 0
    assert second.content == first.content
    assert not second.cookies


def test_the_page_says_whether_it_came_from_the_cache(client, haninge_2026):
    dialogue(haninge_2026, "Dialog i Handen")
    assert client.get(OVERVIEW)["X-Cache"] == "miss"
    assert client.get(OVERVIEW)["X-Cache"] == "hit"
    dialogue(haninge_2026, "Dialog i Jordbro")
    assert client.get(OVERVIEW)["X-Cache"] == "miss"


def rename_and_save(promise):
    activity = Activity.objects.get(title="Dialog i Handen")
    activity.title = "Ny dialog i Jordbro"
    activity.save()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: dialogue(p, "Ny dialog i Jordbro"), id="created"),
        pytest.param(rename_and_save, id="saved"),
    ],
)
def test_a_change_to_the_data_shows_at_once(client, haninge_2026, change):
    dialogue(haninge_2026, "Dialog i Handen")
    assert "Ny dialog i Jordbro" not in client.get(OVERVIEW).text
    change(haninge_2026)
    assert "Ny dialog i Jordbro" in client.get(OVERVIEW).text


def test_a_deletion_and_a_district_change_show_at_once(client, haninge_2026):
    activity = dialogue(haninge_2026, "Dialog i Handen")
    jordbro = haninge_2026.municipality.districts.get(name="Jordbro")
    district_page = f"/haninge/2026/kommundel/{jordbro.slug}/"
    assert "Dialog i Handen" not in client.get(district_page).text
    activity.districts.add(jordbro)
    assert "Dialog i Handen" in client.get(district_page).text
    activity.delete()
    assert "Dialog i Handen" not in client.get(district_page).text


def test_writes_inside_deferred_show_once_the_block_ends(client, haninge_2026):
    """load_haninge writes inside generations.deferred() (and in a transaction, so no
    other process sees its rows before the end): one new epoch at the end."""
    dialogue(haninge_2026, "Dialog i Handen")
    assert client.get(OVERVIEW)["X-Cache"] == "miss"
    with generations.deferred():
        dialogue(haninge_2026, "Ny dialog i Jordbro")
        assert client.get(OVERVIEW)["X-Cache"] == "hit"
    page = client.get(OVERVIEW)
    assert page["X-Cache"] == "miss"
    assert "Ny dialog i Jordbro" in page.text


def test_a_deferred_block_inside_another_ends_with_the_outer_one(client, haninge_2026):
    """Nested, as a loader inside a loader: the inner block changes nothing, and
    progress is computed afresh inside (nothing kept under an old generation)."""
    assert client.get(OVERVIEW)["X-Cache"] == "miss"
    with generations.deferred(), rollups.deferred():
        with generations.deferred(), rollups.deferred():
            dialogue(haninge_2026, "Dialog i Handen")
        assert client.get(OVERVIEW)["X-Cache"] == "hit"
        assert not ActivityDay.objects.exists()
        assert promise_progress(haninge_2026) == promise_progress(haninge_2026)
    assert ActivityDay.objects.exists()
    assert "Dialog i Handen" in client.get(OVERVIEW).text


def test_an_activity_logged_in_the_admin_shows_at_once(
    client, haninge_2026, coordinator_haninge, police
):
    assert "Dialog i Vega" not in client.get(OVERVIEW).text
    staff = type(client)()
    login_verified(staff, coordinator_haninge)
    response = staff.post(
        "/admin/promises/activity/add/",
        activity_form(
            haninge_2026,
            title="Dialog i Vega",
            publication_level=Activity.PublicationLevel.DETAIL,
            organisations=[police.pk],
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Dialog i Vega" in client.get(OVERVIEW).text


def test_publishing_a_report_shows_at_once(client, haninge_2026):
    report = QuarterlyReport.objects.create(
        promise=haninge_2026, year=2026, quarter=1, title="Första kvartalet", body="."
    )
    assert "Första kvartalet" not in client.get(OVERVIEW).text
    report.status = QuarterlyReport.Status.PUBLISHED
    report.published_at = local(2026, 3, 28)
    report.save()
    assert "Första kvartalet" in client.get(OVERVIEW).text


def test_a_new_day_renders_the_page_again(client, haninge_2026):
    client.get(OVERVIEW)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with (
        mock.patch("public.page_cache.timezone.localdate", return_value=tomorrow),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get(OVERVIEW).status_code == 200
    assert len(queries) > 0


def test_each_host_gets_its_own_feed(client, haninge_2026, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    QuarterlyReport.objects.create(
        promise=haninge_2026,
        year=2026,
        quarter=1,
        title="Första kvartalet",
        body=".",
        status=QuarterlyReport.Status.PUBLISHED,
        published_at=local(2026, 3, 28),
    )
    assert (
        "http://a.example/"
        in client.get("/haninge/rapporter.atom", HTTP_HOST="a.example").text
    )
    feed_b = client.get("/haninge/rapporter.atom", HTTP_HOST="b.example").text
    assert "http://b.example/" in feed_b and "a.example" not in feed_b


def test_the_cached_embed_page_keeps_its_frame_permission(client, haninge_2026):
    first = client.get("/haninge/2026/inbaddning/")
    second = client.get("/haninge/2026/inbaddning/")
    for response in (first, second):
        assert "X-Frame-Options" not in response
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_downloads_may_be_kept_by_shared_caches(client, haninge_2026):
    response = client.get("/haninge/2026/oppna-data/aktiviteter.csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"


def test_not_found_is_neither_cached_nor_shareable(client, haninge_2026):
    response = client.get("/haninge/2031/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_progress_is_computed_once_until_the_data_changes(haninge_2026):
    dialogue(haninge_2026, "Dialog i Handen")
    with CaptureQueriesContext(connection) as cold:
        first = promise_progress(haninge_2026)
    with CaptureQueriesContext(connection) as warm:
        promise_progress(haninge_2026)
    assert len(warm) < len(cold)
    dialogue(haninge_2026, "Dialog i Jordbro", day=13)
    after = promise_progress(haninge_2026)
    done = {p.target.kind: p.done for p in first.targets}
    assert {p.target.kind: p.done for p in after.targets} != done


def test_with_no_page_cache_nothing_is_written_to_the_cache(
    client, haninge_2026, settings
):
    """PAGE_CACHE_SECONDS = 0 keeps nothing, so neither the page nor the progress
    is written to the cache: storing pickled the value for nothing (a page and a
    year's occurrences on every request)."""
    settings.PAGE_CACHE_SECONDS = 0
    dialogue(haninge_2026, "Dialog i Handen")
    backend = type(caches["default"])
    with (
        mock.patch.object(backend, "set", autospec=True) as stored,
        mock.patch.object(backend, "get_or_set", autospec=True) as computed,
    ):
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(OVERVIEW)
            assert response.status_code == 200
            assert "Dialog i Handen" in response.text
            # Rendered every time, progress included.
            assert any("promises_activityday" in q["sql"] for q in queries)
    assert stored.call_count == computed.call_count == 0


# Pagination ----------------------------------------------------------------------


@pytest.fixture
def many_dialogues(haninge_2026, police):
    count = ACTIVITIES_PER_PAGE + 3
    for i in range(count):
        dialogue(
            haninge_2026,
            f"Dialog nummer {i:02d}",
            day=1 + i % 28,
            publication_level=Activity.PublicationLevel.DETAIL,
        )
    return count


def commitment_url(promise):
    commitment = promise.focus_areas.first().commitments.first()
    return f"/haninge/2026/atagande/{commitment.pk}/"


def test_long_lists_of_activities_come_in_pages(client, haninge_2026, many_dialogues):
    url = commitment_url(haninge_2026)
    first = client.get(url).text
    second = client.get(url, {"sida": 2}).text
    on_first = {i for i in range(many_dialogues) if f"Dialog nummer {i:02d}" in first}
    on_second = {i for i in range(many_dialogues) if f"Dialog nummer {i:02d}" in second}
    assert len(on_first) == ACTIVITIES_PER_PAGE
    assert len(on_second) == many_dialogues - ACTIVITIES_PER_PAGE
    assert not on_first & on_second
    assert "Sida 1 av 2" in first and 'href="?sida=2#timeline-heading"' in first
    assert "Sida 2 av 2" in second and 'rel="prev"' in second


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1", "1" * 30, "1.5"])
def test_a_page_that_does_not_exist_is_not_found(
    client, haninge_2026, many_dialogues, page
):
    assert client.get(commitment_url(haninge_2026), {"sida": page}).status_code == 404


def test_the_district_page_comes_in_pages(client, haninge_2026, many_dialogues):
    handen = haninge_2026.municipality.districts.all()[0]
    url = f"/haninge/2026/kommundel/{handen.slug}/"
    assert "Sida 1 av 2" in client.get(url).text
    assert "Sida 2 av 2" in client.get(url, {"sida": "2"}).text


# The shared caches: the database (the default) and Redis ------------------------------


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "medborgarlofte_cache",
            },
            id="database",
        ),
        pytest.param(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/15",
                "KEY_PREFIX": f"test-{socket.gethostname()}-{id(object())}",
            },
            id="redis",
            marks=pytest.mark.skipif(
                not redis_answers(), reason="no Redis on 127.0.0.1:6379"
            ),
        ),
    ],
)
def test_pages_are_shared_through_the_configured_cache(
    client, haninge_2026, settings, backend
):
    settings.CACHES = {"default": backend}
    try:
        if "DatabaseCache" in backend["BACKEND"]:
            call_command("createcachetable")
        caches["default"].clear()
        dialogue(haninge_2026, "Dialog i Handen")
        assert "Dialog i Handen" in client.get(OVERVIEW).text
        with CaptureQueriesContext(connection) as queries:
            client.get(OVERVIEW)
        # The database cache reads its table; nothing else runs.
        assert all("medborgarlofte_cache" in q["sql"] for q in queries)
        dialogue(haninge_2026, "Dialog i Jordbro", day=13)
        assert "Dialog i Jordbro" in client.get(OVERVIEW).text
    finally:
        caches["default"].clear()


def test_a_residents_page_does_not_vary_by_cookie(client, haninge_2026):
    """Residents send no cookie and the page is the same for all: a CDN may share
    it. (Django adds `Vary: Cookie` whenever the session is read.)"""
    response = client.get(OVERVIEW)
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_staff_get_the_same_public_page(client, haninge_2026, coordinator_haninge):
    resident = client.get(OVERVIEW).content
    login_verified(client, coordinator_haninge)
    assert client.get(OVERVIEW).content == resident


def test_head_is_answered_like_get_and_leaves_the_page_whole(client, haninge_2026):
    """Link checkers and CDNs ask with HEAD; other methods stay refused."""
    dialogue(haninge_2026, "Dialog i Handen")
    head = client.head(OVERVIEW)
    assert head.status_code == 200
    assert head["Cache-Control"] == "public, max-age=60"
    assert head.content == b""
    assert "Dialog i Handen" in client.get(OVERVIEW).text
    assert client.post(OVERVIEW).status_code == 405


def test_a_cache_that_keeps_nothing_breaks_nothing(client, settings, db):
    """CACHE_URL=dummycache:// is a valid setting: every page renders each time."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    call_command("load_haninge", "--demo", verbosity=0)
    pages = crawl(client)
    assert not pages.broken
    assert len(pages) > 20
    assert client.get(OVERVIEW).status_code == 200


# Every kind of public response: a page, a download, a calendar, a feed, a widget.
PUBLIC_RESPONSES = [
    "/tillganglighet/",
    OVERVIEW,
    "/haninge/2026/oppna-data/aktiviteter.csv",
    "/haninge/2026/oppna-data/aktiviteter.json",
    "/haninge/2026/trygghetsdialoger.ics",
    "/haninge/rapporter.atom",
    "/haninge/2026/inbaddning/",
]


@pytest.mark.parametrize("url", PUBLIC_RESPONSES)
def test_a_staff_members_session_never_rides_on_a_shareable_response(
    client, haninge_2026, coordinator_haninge, url
):
    """A logged-in staff member gets the resident's response: shareable, with no
    cookie set and no `Vary: Cookie` (the public view does not touch the session,
    whatever SESSION_SAVE_EVERY_REQUEST says). A CDN that ignores cookies on public
    paths could otherwise hand the session to strangers."""
    login_verified(client, coordinator_haninge)
    session = client.cookies["sessionid"].value
    for _visit in ("miss", "hit"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=60"
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        if response.get("X-Cache") == "hit":
            assert len(queries) == 0  # not even the session's row
    # Still logged in, in the same session.
    assert client.get("/admin/").status_code == 200
    assert client.cookies["sessionid"].value == session


def test_a_response_that_sets_a_cookie_is_never_shareable(rf):
    """Whatever a view does: a response marked public that sets a cookie (the
    CSRF cookie of a form, say) goes out private, outermost in MIDDLEWARE."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.utils.module_loading import import_string

    def view(request):
        response = allow_shared_caching(HttpResponse("Hej"))
        response.set_cookie("csrftoken", "x")
        return response

    outermost = import_string(settings.MIDDLEWARE[0])(view)
    response = outermost(rf.get(OVERVIEW))
    assert (
        response["Cache-Control"]
        == "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    plain = import_string(settings.MIDDLEWARE[0])(
        lambda request: allow_shared_caching(HttpResponse("Hej"))
    )(rf.get(OVERVIEW))
    assert plain["Cache-Control"] == "public, max-age=60"
