"""Quarterly reports: a draft from the data, published by a coordinator, and public."""

import datetime
from unittest import mock

import feedparser
import pytest
import time_machine
from django.utils import timezone

from promises.models import Activity, Finding, Target
from promises.progress import Status, promise_progress
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
)
from reports import workflows
from reports.models import QuarterlyReport, ReportChannel

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise(promise_haninge, haninge, police, haninge_kommun):
    make_commitment(
        promise_haninge,
        "Minst fyra trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
        min_districts=4,
    )
    make_commitment(
        promise_haninge, "Rapporter till invånarna", kind=Target.REPORT, count=4
    )
    handen = haninge.districts.get(name="Handen")
    make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 8, 20, 18),
        districts=[handen],
        organisations=[police, haninge_kommun],
        title="Trygghetsdialog i Handen",
    )
    make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 9, 3, 18),
        status=Activity.Status.CANCELLED,
        title="Inställd dialog",
    )
    inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 7, 2, 18),
        districts=[handen],
        title="Trygghetsinventering i Handen",
        internal_notes="INTERNT-ANTECKNING",
    )
    Finding.objects.create(
        inventory=inventory,
        district=handen,
        category=Finding.Category.LIGHTING,
        place="Gångtunneln",
        status=Finding.Status.FIXED,
        fixed_on=datetime.date(2026, 8, 1),
    )
    return promise_haninge


def test_a_coordinator_drafts_and_publishes_a_report_in_the_admin(
    client, promise, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    changelist = client.get("/admin/reports/quarterlyreport/").content.decode()
    assert "/admin/reports/quarterlyreport/skapa-utkast/" in changelist
    assert client.get("/admin/reports/quarterlyreport/skapa-utkast/").status_code == 200
    response = client.post(
        "/admin/reports/quarterlyreport/skapa-utkast/",
        {"promise": promise.pk, "year": 2026, "quarter": 3},
    )
    report = QuarterlyReport.objects.get()
    assert response["Location"] == f"/admin/reports/quarterlyreport/{report.pk}/change/"
    assert report.status == QuarterlyReport.Status.DRAFT
    assert report.title == "Så arbetade vi med medborgarlöftet, kvartal 3 2026"
    assert (
        "Vi har lovat: Minst fyra trygghetsdialoger. Under kvartalet höll vi 1 "
        "trygghetsdialog. Hittills i år har vi hållit 1 av 4 trygghetsdialoger, i 1 "
        "kommundel. Vi ligger efter målet om 4 trygghetsdialoger under året, i minst "
        "4 olika kommundelar."
    ) in report.body.split("\n\n")
    assert "Trygghetsdialog i Handen hölls den 20 augusti." in report.body
    assert (
        "1 brist som hittades vid en trygghetsinventering åtgärdades under kvartalet."
        in report.body
    )
    assert "Inställd dialog" not in report.body
    assert "INTERNT" not in report.body

    # A draft is not public.
    assert client.get(report.get_absolute_url()).status_code == 404

    response = client.post(
        "/admin/reports/quarterlyreport/",
        {"action": "publish", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == QuarterlyReport.Status.PUBLISHED
    assert report.published_at is not None
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "Trygghetsdialog i Handen" in page.content.decode()


def test_the_quarter_can_only_have_one_report(client, promise, coordinator_haninge):
    report = workflows.build_report_draft(promise, year=2026, quarter=2)
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/quarterlyreport/skapa-utkast/",
        {"promise": promise.pk, "year": 2026, "quarter": 2},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kvartal 2 2026 har redan ett utkast:" in html
    assert f'href="/admin/reports/quarterlyreport/{report.pk}/change/"' in html
    assert "Uppdatera utkastet med dagens uppgifter" in html
    assert QuarterlyReport.objects.count() == 1


def test_a_quarter_outside_the_promise_is_refused(client, promise, coordinator_haninge):
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/quarterlyreport/skapa-utkast/",
        {"promise": promise.pk, "year": 2027, "quarter": 1},
    )
    assert "Kvartalet ligger utanför löftets period." in response.content.decode()
    assert not QuarterlyReport.objects.exists()


def test_the_liaison_can_neither_draft_nor_publish(client, promise, liaison_haninge):
    report = workflows.build_report_draft(promise, year=2026, quarter=3)
    login_verified(client, liaison_haninge)
    assert client.get("/admin/reports/quarterlyreport/skapa-utkast/").status_code == 403
    client.post(
        "/admin/reports/quarterlyreport/",
        {"action": "publish", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.status == QuarterlyReport.Status.DRAFT


def test_another_municipalitys_coordinator_cannot_draft_for_haninge(
    client, promise, coordinator_nynashamn
):
    login_verified(client, coordinator_nynashamn)
    response = client.post(
        "/admin/reports/quarterlyreport/skapa-utkast/",
        {"promise": promise.pk, "year": 2026, "quarter": 3},
    )
    assert response.status_code == 200
    assert not QuarterlyReport.objects.exists()


def test_channels_must_be_web_links(client, promise, coordinator_haninge):
    report = workflows.build_report_draft(promise, year=2026, quarter=3)
    login_verified(client, coordinator_haninge)
    data = {
        "promise": promise.pk,
        "year": 2026,
        "quarter": 3,
        "title": report.title,
        "body": report.body,
        "status": "draft",
        "channels-TOTAL_FORMS": 1,
        "channels-INITIAL_FORMS": 0,
        "channels-MIN_NUM_FORMS": 0,
        "channels-MAX_NUM_FORMS": 1000,
        "channels-0-kind": "website",
        "channels-0-url": "javascript:alert(1)",
    }
    response = client.post(f"/admin/reports/quarterlyreport/{report.pk}/change/", data)
    assert response.status_code == 200
    assert "Fyll i en giltig URL." in response.content.decode()
    assert not ReportChannel.objects.exists()


def test_published_reports_count_towards_the_target(promise):
    for quarter in (1, 2, 3):
        report = workflows.build_report_draft(promise, year=2026, quarter=quarter)
        if quarter < 3:
            report.publish()
    progress = promise_progress(promise, timezone.localdate())
    (reports,) = [p for p in progress.targets if p.target.kind == Target.REPORT]
    assert reports.done == 2
    assert reports.summary.startswith("2 av 4 rapporter")


def test_the_atom_feed_parses_and_lists_published_reports_only(client, promise):
    published = workflows.build_report_draft(promise, year=2026, quarter=3)
    published.publish()
    ReportChannel.objects.create(
        report=published, kind="website", url="https://www.haninge.se/x"
    )
    workflows.build_report_draft(promise, year=2026, quarter=2)
    response = client.get("/haninge/rapporter.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Medborgarlöftet i Haninge: rapporter till invånarna"
    assert [entry.title for entry in feed.entries] == [published.title]
    assert feed.entries[0].link.endswith(published.get_absolute_url())
    assert "Trygghetsdialog i Handen" in feed.entries[0].summary


def test_the_feed_of_a_municipality_with_nothing_public_is_404(client, promise):
    """Nothing published at all (a municipality onboarded, its promise a draft):
    no feed, as no page, so the address tells nothing (issue 23). A published
    promise with no report yet has a valid, empty feed, to subscribe to before
    the first report; a published report of a promise taken back to draft is
    not in it."""
    published = workflows.build_report_draft(promise, year=2026, quarter=3)
    published.publish()
    promise.status = promise.Status.DRAFT
    promise.save()
    assert client.get("/haninge/rapporter.atom").status_code == 404

    promise.status = promise.Status.PUBLISHED
    promise.save()
    published.status = published.Status.DRAFT
    published.save()
    response = client.get("/haninge/rapporter.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries == []


def test_the_report_list_and_overview_link_the_published_reports(client, promise):
    report = workflows.build_report_draft(promise, year=2026, quarter=2)
    report.publish()
    overview = client.get("/haninge/2026/").content.decode()
    assert report.get_absolute_url() in overview
    assert 'type="application/atom+xml"' in overview
    listing = client.get("/haninge/2026/rapporter/").content.decode()
    assert report.title in listing


@pytest.mark.parametrize(
    ("today", "warned"),
    [
        (datetime.date(2026, 9, 16), True),  # 14 days left of quarter 3
        (datetime.date(2026, 9, 15), False),  # 15 days left
    ],
)
def test_the_coordinator_is_warned_when_a_quarter_ends_without_a_report(
    promise, today, warned
):
    for quarter in (1, 2):
        workflows.build_report_draft(promise, year=2026, quarter=quarter).publish()
    warnings = workflows.reports_due(promise, today)
    assert bool(warnings) == warned
    if warned:
        assert warnings == [
            "Kvartal 3 slutar 30 september och ingen rapport till invånarna är "
            "publicerad för Medborgarlöfte Haninge 2026."
        ]


def test_the_warning_shows_on_the_coordinators_admin_start_page(
    client, promise, coordinator_haninge, liaison_haninge
):
    with mock.patch(
        "staff.sites.timezone.localdate",
        return_value=datetime.date(2026, 12, 20),
    ):
        login_verified(client, coordinator_haninge)
        html = client.get("/admin/").content.decode()
        assert "Kvartal 4 slutar 31 december" in html
        assert "Kvartal 3 2026 saknar en publicerad rapport" in html
        login_verified(client, liaison_haninge)
        assert "Kvartal 4 slutar" not in client.get("/admin/").content.decode()


def test_the_status_is_behind_when_the_year_ends_with_three_reports(promise):
    for quarter in (1, 2, 3):
        report = workflows.build_report_draft(promise, year=2026, quarter=quarter)
        report.published_at = local(2026, 3 * quarter, 28)
        report.publish()
    progress = promise_progress(promise, datetime.date(2026, 12, 31))
    (reports,) = [p for p in progress.targets if p.target.kind == Target.REPORT]
    assert reports.status == Status.BEHIND


@time_machine.travel("2026-12-20 10:00 +01:00", tick=False)
def test_reports_to_residents_count_when_published(promise_haninge):
    make_commitment(promise_haninge, kind=Target.REPORT, count=4)
    for quarter, status in [(1, "published"), (2, "published"), (3, "draft")]:
        # Created as published, the report is stamped like a promise would be.
        QuarterlyReport.objects.create(
            promise=promise_haninge,
            year=2026,
            quarter=quarter,
            title=f"Kvartal {quarter}",
            body="Text",
            status=status,
        )
    assert QuarterlyReport.objects.published().count() == 2
    (progress,) = promise_progress(promise_haninge, datetime.date(2026, 12, 31)).targets
    assert progress.status == Status.BEHIND
    assert progress.summary == "2 av 4 rapporter"


# Publishing before the quarter ends (issue 22: Q4 published on 5 December)


def report_change_form(report: QuarterlyReport, **fields) -> dict:
    return {
        "promise": report.promise_id,
        "year": report.year,
        "quarter": report.quarter,
        "title": report.title,
        "body": report.body,
        "status": report.status,
        "channels-TOTAL_FORMS": "0",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.fixture
def december_draft(promise):
    make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 12, 9, 18),
        status=Activity.Status.PLANNED,
        title="Trygghetsdialog i Jordbro",
    )
    with time_machine.travel("2026-12-05 10:00 +01:00", tick=False):
        return workflows.build_report_draft(promise, year=2026, quarter=4)


@time_machine.travel("2026-12-05 11:00 +01:00", tick=False)
def test_publishing_before_the_quarter_ends_asks_first(
    client, december_draft, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    url = f"/admin/reports/quarterlyreport/{december_draft.pk}/change/"
    data = report_change_form(december_draft, status="published")
    response = client.post(url, data)
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["publish_early"]
    assert error.startswith("Kvartal 4 2026 slutar först den 31 december")
    assert "1 aktivitet är planerad före kvartalets slut." in error
    assert 'type="checkbox" name="publish_early"' in response.content.decode()
    december_draft.refresh_from_db()
    assert not december_draft.is_published

    response = client.post(url, {**data, "publish_early": "on"})
    assert response.status_code == 302
    december_draft.refresh_from_db()
    assert december_draft.is_published


@time_machine.travel("2026-12-05 11:00 +01:00", tick=False)
def test_the_publish_action_leaves_a_quarter_not_yet_over(
    client, december_draft, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    response = client.post(
        "/admin/reports/quarterlyreport/",
        {"action": "publish", "_selected_action": [december_draft.pk]},
        follow=True,
    )
    december_draft.refresh_from_db()
    assert not december_draft.is_published
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith(
        f"”{december_draft}” publicerades inte: Kvartal 4 2026 slutar först den "
        "31 december"
    )


@time_machine.travel("2027-01-04 09:00 +01:00", tick=False)
def test_after_the_quarter_the_report_publishes_without_a_question(
    client, december_draft, coordinator_haninge
):
    login_verified(client, coordinator_haninge)
    url = f"/admin/reports/quarterlyreport/{december_draft.pk}/change/"
    response = client.post(url, report_change_form(december_draft, status="published"))
    assert response.status_code == 302
    december_draft.refresh_from_db()
    assert december_draft.is_published


def test_a_reports_figures_say_the_date_they_are_from(
    client, december_draft, coordinator_haninge
):
    assert december_draft.figures_as_of == datetime.date(2026, 12, 5)
    QuarterlyReport.objects.filter(pk=december_draft.pk).update(
        status=QuarterlyReport.Status.PUBLISHED, published_at=timezone.now()
    )
    page = client.get(december_draft.get_absolute_url()).content.decode()
    assert "Siffrorna i rapporten gäller den 5 december 2026" in page
    # Written again later, the date moves on with the figures.
    with time_machine.travel("2026-12-20 10:00 +01:00", tick=False):
        report = workflows.build_report_draft(
            december_draft.promise, year=2026, quarter=3
        )
    assert report.figures_as_of == datetime.date(2026, 9, 30)  # the quarter's end
