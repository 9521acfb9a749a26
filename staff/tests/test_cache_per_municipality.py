"""A change to one municipality's data re-renders that municipality's public pages
only; data shared by design (a police area, a shared organisation) re-renders each
municipality that shows it. Through the HTTP client: a page served from the cache
runs no query."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.deletion import Collector, ProtectedError
from django.test.utils import CaptureQueriesContext

from promises import generations
from promises.models import Activity, OperationalPicture, Organisation, StagedUpload
from promises.tests.factories import local, make_activity, make_user, serve
from reports.models import CommitmentOutcome, ReportChannel

from .test_permission_matrix import build_haninge_objects

HANINGE = "/haninge/2026/"
NYNASHAMN = "/nynashamn/2026/"
START = "/"


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert queries(client, url) == 0, url


@pytest.fixture
def both(haninge, nynashamn, promise_haninge, promise_nynashamn):
    """Haninge with a police area of its own, Nynäshamn with the shared one."""
    return promise_haninge, promise_nynashamn


def pages_of(slug: str) -> list[str]:
    """Every kind of page a municipality has (those that need no particular row)."""
    return [
        f"/{slug}/2026/",
        f"/{slug}/2026/inbaddning/",
        f"/{slug}/2026/rapporter/",
        f"/{slug}/2026/oppna-data/",
        f"/{slug}/2026/trygghetsdialoger.ics",
        f"/{slug}/rapporter.atom",
    ]


def test_a_change_in_haninge_leaves_nynashamns_pages_cached(client, both, police):
    promise_haninge, _ = both
    haninge, nynashamn = pages_of("haninge"), pages_of("nynashamn")
    warm(client, *haninge, *nynashamn, START, "/tillganglighet/")
    make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 6),
        title="Dialog i Vega",
        publication_level=Activity.PublicationLevel.DETAIL,
    )
    assert "Dialog i Vega" in client.get(HANINGE).text
    for page in haninge[1:]:
        assert queries(client, page) > 0, page
    for page in nynashamn:
        assert queries(client, page) == 0, page
    # They list municipalities and promises, not activities.
    assert queries(client, START) == 0
    assert queries(client, "/tillganglighet/") == 0


def test_a_shared_police_area_re_renders_both(client, both, police):
    haninge, nynashamn = (p.municipality for p in both)
    assert haninge.police_area == nynashamn.police_area
    warm(client, HANINGE, NYNASHAMN)
    area = haninge.police_area
    area.name = "Lokalpolisområde Södertörn"
    area.save()
    assert "Lokalpolisområde Södertörn" in client.get(HANINGE).text
    assert "Lokalpolisområde Södertörn" in client.get(NYNASHAMN).text


def test_a_shared_organisation_re_renders_the_municipalities_that_name_it(
    client, both, police
):
    promise_haninge, promise_nynashamn = both
    serve(promise_haninge.municipality, "Lokalpolisområde Haninge")  # its own
    trafikverket = Organisation.objects.create(
        name="Trafikverket", kind=Organisation.Kind.PARTNER
    )
    activity = make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 6),
        title="Dialog om trafiken",
        publication_level=Activity.PublicationLevel.DETAIL,
        organisations=[trafikverket],
    )
    page = f"/haninge/2026/aktivitet/{activity.pk}/"
    warm(client, page, NYNASHAMN)
    trafikverket.name = "Trafikverket Region Stockholm"
    trafikverket.save()
    assert "Trafikverket Region Stockholm" in client.get(page).text
    assert queries(client, NYNASHAMN) == 0


def test_a_new_promise_changes_the_start_page(client, both):
    _, promise_nynashamn = both
    warm(client, START, HANINGE)
    promise_nynashamn.title = "Nynäshamns nya löfte"
    promise_nynashamn.save()
    assert "Nynäshamns nya löfte" in client.get(START).text
    assert queries(client, HANINGE) == 0


def test_a_new_slug_retires_the_old_address(client, both):
    promise_haninge, _ = both
    warm(client, HANINGE)
    municipality = promise_haninge.municipality
    municipality.slug = "haninge-kommun"
    municipality.save()
    assert client.get(HANINGE).status_code == 404
    assert client.get("/haninge-kommun/2026/").status_code == 200


def test_a_change_rolled_into_a_transaction_is_replaced_once_per_key(both):
    """Many changes in one transaction: each municipality's key once at commit."""
    from django.db import transaction

    promise_haninge, _ = both
    with transaction.atomic():
        for day in range(1, 20):
            make_activity(promise_haninge, starts_at=local(2026, 3, day))
        callbacks = [c for _, c, _ in connection.run_on_commit]
        keys = [c.key for c in callbacks if isinstance(c, generations._Replacer)]
        assert len(keys) == len(set(keys))
        assert "public:generation:s:haninge" in keys


def every_watched_model() -> set[str]:
    return {
        model._meta.label_lower
        for model in apps.get_models()
        if generations._watched(model)
    }


@pytest.fixture
def haninge_rows(both, police, housing_company):
    promise_haninge, _ = both
    rows = build_haninge_objects(
        promise_haninge.municipality, promise_haninge, housing_company
    )
    deployment = rows["promises.fridaydeployment"]
    evaluation = rows["reports.evaluation"]
    rows.update(
        {
            "promises.focusarea": rows["promises.commitment"].focus_area,
            "promises.operationalpicture": OperationalPicture.objects.create(
                activity=deployment, text="Läget"
            ),
            "reports.reportchannel": ReportChannel.objects.create(
                report=rows["reports.quarterlyreport"],
                kind=ReportChannel.Kind.WEBSITE,
                url="https://haninge.se/rapport",
            ),
            "reports.goal": rows["promises.commitment"].goals.first(),
            "reports.commitmentoutcome": CommitmentOutcome.objects.create(
                evaluation=evaluation,
                commitment=rows["promises.commitment"],
                outcome=CommitmentOutcome.Outcome.DONE,
            ),
        }
    )
    return {label: obj for label, obj in rows.items() if label in every_watched_model()}


def test_every_watched_model_is_tried_below(haninge_rows):
    shown_nowhere = {"promises.stagedupload", "promises.activityday"}
    assert set(haninge_rows) | shown_nowhere == every_watched_model()


@pytest.mark.parametrize(
    "label",
    sorted(every_watched_model() - {"promises.stagedupload", "promises.activityday"}),
)
def test_every_change_re_renders_its_municipality_only(client, haninge_rows, label):
    """Saved, re-linked or deleted: Haninge's pages render again, Nynäshamn's stay
    in the cache (the national pages too, unless a promise or a municipality)."""
    obj = haninge_rows[label]
    national = label in generations.NATIONAL_MODELS
    warm(client, HANINGE, NYNASHAMN, START)
    obj.save()
    assert queries(client, HANINGE) > 0
    assert queries(client, NYNASHAMN) == 0
    assert (queries(client, START) > 0) == national
    if label in ("promises.activity", "promises.dialoguetopic"):
        warm(client, HANINGE)
        activity = obj if label == "promises.activity" else obj.dialogue
        obj.districts.add(activity.promise.municipality.districts.first())
        assert queries(client, HANINGE) > 0
        assert queries(client, NYNASHAMN) == 0
    if label not in (
        "promises.municipality",
        "promises.promise",
        "promises.policearea",
    ):
        remove_what_protects(obj)
        warm(client, HANINGE)
        obj.delete()
        assert queries(client, HANINGE) > 0
        assert queries(client, NYNASHAMN) == 0


def remove_what_protects(obj):
    """Delete the rows that protect obj from deletion (a district's incident
    reports, an indicator's goals), so that its own deletion is what is tried."""
    try:
        Collector(using="default").collect([obj])
    except ProtectedError as error:
        for row in error.protected_objects:
            row.delete()


def test_a_staged_upload_changes_no_public_page(client, both):
    warm(client, HANINGE, NYNASHAMN)
    StagedUpload.objects.create(
        user=make_user("importerare", None), purpose="x", name="a.csv", content=b""
    )
    assert queries(client, HANINGE) == queries(client, NYNASHAMN) == 0


def test_staff_added_to_a_municipality_changes_only_its_pages(client, both):
    promise_haninge, _ = both
    warm(client, HANINGE, NYNASHAMN)
    user = make_user("ny_samordnare", None)
    promise_haninge.municipality.staff.add(user)
    assert queries(client, NYNASHAMN) == 0


def test_a_cache_that_keeps_nothing_still_serves_every_change(client, both, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    promise_haninge, _ = both
    assert queries(client, HANINGE) > 0
    make_activity(
        promise_haninge,
        title="Dialog i Handen",
        publication_level=Activity.PublicationLevel.DETAIL,
    )
    assert "Dialog i Handen" in client.get(HANINGE).text


def test_the_start_pages_redirect_is_cached_too(client, promise_haninge):
    """One municipality: the start page sends residents to its promise, from the
    cache, until a promise or a municipality changes."""
    assert client.get(START)["Location"] == HANINGE
    with CaptureQueriesContext(connection) as captured:
        assert client.get(START)["Location"] == HANINGE
    assert len(captured) == 0
    promise_haninge.status = promise_haninge.Status.DRAFT
    promise_haninge.save()
    assert client.get(START).status_code == 200


def test_published_counts_re_render_their_municipalitys_district_page(client, both):
    """The lägesbild's counts (incidents/counts.py) are indicator values: the
    district page shows them at once, and Nynäshamn's pages stay cached."""
    import datetime

    from incidents.counts import publish_counts
    from incidents.tests.factories import category, make_report

    promise_haninge, _ = both
    haninge = promise_haninge.municipality
    handen = haninge.districts.get(name="Handen")
    district_page = f"/haninge/2026/kommundel/{handen.slug}/"
    nynashamn = pages_of("nynashamn")
    organisation = Organisation.objects.create(
        name="Haninge Bostäder", kind=Organisation.Kind.PARTNER, municipality=haninge
    )
    klotter = category("Klotter")
    make_report(handen, organisation, datetime.date(2026, 4, 2), occurrences=8)
    warm(client, district_page, *nynashamn)
    publish_counts(haninge, 2026, [2], [klotter])
    page = client.get(district_page).text
    assert "Händelser: klotter" in page and "<td>8</td>" in page
    for url in nynashamn:
        assert queries(client, url) == 0, url
