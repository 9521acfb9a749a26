"""Staff preview a draft (issue 22, §5): "Visa på webbplats" on a draft report,
evaluation or promise shows its public page as it will look, marked as a
preview, never cached and never public."""

import re

import pytest
from django.test import Client

from promises.models import Promise
from promises.tests.factories import login_verified, make_promise
from reports.models import Evaluation, QuarterlyReport
from staff.tests.test_swedish_admin import visible_text

pytestmark = pytest.mark.django_db

BANNER = "Förhandsvisning"


@pytest.fixture
def draft_report(promise_haninge):
    return QuarterlyReport.objects.create(
        promise=promise_haninge,
        year=2026,
        quarter=4,
        title="Så gick kvartal 4",
        body="Utkastets text om hösten.",
    )


@pytest.fixture
def draft_evaluation(promise_haninge):
    return Evaluation.objects.create(
        promise=promise_haninge, summary="Utkastets sammanfattning av året."
    )


@pytest.fixture
def draft_promise(haninge):
    return make_promise(
        haninge, 2027, title="Medborgarlöfte Haninge 2027", status=Promise.Status.DRAFT
    )


def change_url(obj) -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


def on_site_link(client, obj) -> str:
    html = client.get(change_url(obj)).content.decode()
    match = re.search(r'<a href="([^"]+)" class="viewsitelink">', html)
    assert match, "no 'Visa på webbplats'"
    return match[1]


@pytest.mark.parametrize(
    ("draft", "public_url", "text"),
    [
        ("draft_report", "/haninge/2026/rapporter/2026/kvartal-4/", "Utkastets text"),
        ("draft_evaluation", "/haninge/2026/utvardering/", "Utkastets sammanfattning"),
        ("draft_promise", "/haninge/2027/", "Medborgarlöfte Haninge 2027"),
    ],
)
def test_visa_pa_webbplats_on_a_draft_shows_a_preview_to_staff_only(
    client, coordinator_haninge, request, draft, public_url, text
):
    obj = request.getfixturevalue(draft)
    login_verified(client, coordinator_haninge)
    link = on_site_link(client, obj)
    assert link.startswith("/admin/") and link.endswith("/forhandsvisning/")
    response = client.get(link)
    assert response.status_code == 200
    texts = " ".join(visible_text(response))
    assert BANNER in texts and text in texts
    assert "Tillbaka till redigeringen" in texts
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # Never cached: not by the page cache, a CDN or a browser.
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "public" not in cache_control.replace("private", "")
    assert "X-Cache" not in response
    # Never public: residents still get a 404, at the preview's address too.
    resident = Client()
    assert resident.get(public_url).status_code == 404
    assert resident.get(link).status_code == 302  # to the login
    assert BANNER not in resident.get(link, follow=True).content.decode()


def test_another_municipalitys_draft_is_a_404(
    client, coordinator_nynashamn, draft_report
):
    login_verified(client, coordinator_nynashamn)
    url = f"/admin/reports/quarterlyreport/{draft_report.pk}/forhandsvisning/"
    assert client.get(url).status_code == 404


def test_a_draft_evaluations_preview_stores_no_figures(
    client, coordinator_haninge, draft_evaluation
):
    login_verified(client, coordinator_haninge)
    response = client.get(on_site_link(client, draft_evaluation))
    assert response.status_code == 200
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.figures is None  # published, it stores those of then


def test_a_published_report_links_to_its_public_page(
    client, coordinator_haninge, draft_report
):
    draft_report.publish()
    login_verified(client, coordinator_haninge)
    assert on_site_link(client, draft_report) == (
        "/haninge/2026/rapporter/2026/kvartal-4/"
    )
