"""The quarterly report's draft reads as Swedish prose, and an existing draft can be
written again from today's data (never a published report)."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from promises import demo as promises_demo
from promises.models import Activity, Finding, OperationalPicture, Target
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
)
from reports import demo as reports_demo
from reports import workflows
from reports.models import QuarterlyReport

pytestmark = pytest.mark.django_db

DRAFT_URL = "/admin/reports/quarterlyreport/skapa-utkast/"


def paragraph(body: str, commitment: str) -> str:
    """The draft's paragraph about one commitment."""
    (found,) = [
        p for p in body.split("\n\n") if p.startswith(f"Vi har lovat: {commitment}.")
    ]
    return found


def travel(day: str):
    return time_machine.travel(f"{day} 10:00 +01:00", tick=False)


# The words ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_every_count_has_the_right_plural(
    promise_haninge, haninge, n, django_assert_max_num_queries
):
    """One and several of each count, through the workflow: a quarter's draft, in
    the same few queries however many there are."""
    districts = list(haninge.districts.order_by("name"))  # Brandbergen, Handen, …
    make_commitment(
        promise_haninge,
        "Trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
        min_districts=4,
    )
    no_count = {
        Activity.Kind.INVENTORY: "Trygghetsinventeringar",
        Activity.Kind.PRESENCE: "Synlig närvaro",
        Activity.Kind.YOUTH_VISIT: "Besök i ungdomsmiljöer",
        Activity.Kind.DEPLOYMENT: "Utsättningar",
        Activity.Kind.YOUTH_COORDINATION: "Unga i riskzon",
        Activity.Kind.TRAFFIC: "Trafiksäkerhet",
        Activity.Kind.OTHER: "Annat",
    }
    for kind, title in no_count.items():
        make_commitment(promise_haninge, title, kind=kind)
    fridays_in_july = [3, 10, 17]
    for number in range(n):
        day = fridays_in_july[number]
        make_activity(
            promise_haninge,
            Activity.Kind.DIALOGUE,
            local(2026, 7, day, 18),
            districts=[districts[number]],
            title=f"Trygghetsdialog {number + 1}",
        )
        for kind in no_count:
            activity = make_activity(promise_haninge, kind, local(2026, 7, day, 14))
            if kind == Activity.Kind.INVENTORY:
                Finding.objects.create(
                    inventory=activity,
                    category=Finding.Category.LIGHTING,
                    place="Gångtunneln",
                    status=Finding.Status.FIXED,
                    fixed_on=datetime.date(2026, 8, 1),
                )

    with travel("2026-10-10"), django_assert_max_num_queries(9):
        body = workflows.draft_text(promise_haninge, 2026, 3)

    one = n == 1
    assert paragraph(body, "Trygghetsdialoger") == (
        "Vi har lovat: Trygghetsdialoger. Under kvartalet höll vi 1 trygghetsdialog. "
        "Hittills i år har vi hållit 1 av 4 trygghetsdialoger, i 1 kommundel. Vi "
        "ligger efter målet om 4 trygghetsdialoger under året, i minst 4 olika "
        "kommundelar."
        if one
        else "Vi har lovat: Trygghetsdialoger. Under kvartalet höll vi 3 "
        "trygghetsdialoger. Hittills i år har vi hållit 3 av 4 trygghetsdialoger, i "
        "3 olika kommundelar. Det är i fas med målet."
    )
    counts = {
        "Trygghetsinventeringar": (
            "1 trygghetsinventering",
            "3 trygghetsinventeringar",
        ),
        "Synlig närvaro": (
            "1 insats med synlig närvaro",
            "3 insatser med synlig närvaro",
        ),
        "Besök i ungdomsmiljöer": (
            "1 besök i en ungdomsmiljö",
            "3 besök i ungdomsmiljöer",
        ),
        "Utsättningar": ("1 utsättning", "3 utsättningar"),
        "Unga i riskzon": (
            "1 samverkansmöte om unga i riskzon",
            "3 samverkansmöten om unga i riskzon",
        ),
        "Trafiksäkerhet": ("1 trafiksäkerhetsinsats", "3 trafiksäkerhetsinsatser"),
        "Annat": ("1 aktivitet", "3 aktiviteter"),
    }
    for title, (singular, plural) in counts.items():
        count = singular if one else plural
        did, have_done = ("höll", "hållit") if "möte" in count else ("gjorde", "gjort")
        assert paragraph(body, title) == (
            f"Vi har lovat: {title}. Under kvartalet {did} vi {count}. "
            f"Hittills i år har vi {have_done} {count}."
        )
    assert (
        "1 brist som hittades vid en trygghetsinventering åtgärdades under kvartalet."
        if one
        else "3 brister som hittades vid trygghetsinventeringar åtgärdades under "
        "kvartalet."
    ) in body.split("\n\n")


@pytest.mark.parametrize(
    ("day", "deployments", "visits"),
    [
        ("2026-01-05", "en utsättning på 1 av 1 fredag", None),
        (
            "2026-02-01",
            "en utsättning på 2 av 5 fredagar",
            "2 besök i ungdomsmiljöer och nått målet 1 av 1 månad",
        ),
        (
            "2026-03-02",
            "en utsättning på 2 av 9 fredagar",
            "3 besök i ungdomsmiljöer och nått målet 1 av 2 månader",
        ),
    ],
)
def test_weeks_and_months_so_far_in_the_singular_and_the_plural(
    promise_haninge, day, deployments, visits
):
    make_commitment(
        promise_haninge,
        "Fredagar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    make_commitment(
        promise_haninge,
        "Ungdomsmiljöer",
        kind=Activity.Kind.YOUTH_VISIT,
        count=1,
        period=Target.Period.MONTH,
    )
    for friday in [local(2026, 1, 2), local(2026, 1, 30)]:
        make_activity(promise_haninge, Activity.Kind.DEPLOYMENT, friday)
    for visit in [local(2026, 1, 12), local(2026, 1, 26), local(2026, 3, 1)]:
        make_activity(promise_haninge, Activity.Kind.YOUTH_VISIT, visit)
    with travel(day):
        body = workflows.draft_text(promise_haninge, 2026, 1)
    # The first quarter of the promise: the year so far is the quarter.
    assert paragraph(body, "Fredagar").startswith(
        f"Vi har lovat: Fredagar. Hittills i år har vi gjort {deployments}."
    )
    if visits:
        assert paragraph(body, "Ungdomsmiljöer").startswith(
            f"Vi har lovat: Ungdomsmiljöer. Hittills i år har vi gjort {visits}."
        )


@pytest.fixture
def status_promise(promise_haninge, police, haninge_kommun):
    """One commitment for each status, seen from 1 July 2026 (the second quarter)."""
    make_commitment(
        promise_haninge,
        "En trygghetsdialog",
        kind=Activity.Kind.DIALOGUE,
        count=1,
        period=Target.Period.YEAR,
    )
    make_commitment(
        promise_haninge,
        "Fyra trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
    )
    make_commitment(
        promise_haninge,
        "Två inventeringar i kvartalet",
        kind=Activity.Kind.INVENTORY,
        count=2,
        period=Target.Period.QUARTER,
        joint=True,
    )
    make_commitment(
        promise_haninge,
        "Trafik",
        kind=Activity.Kind.TRAFFIC,
        count=2,
        period=Target.Period.YEAR,
    )
    make_commitment(promise_haninge, "Synlig närvaro", kind=Activity.Kind.PRESENCE)
    for day in [local(2026, 4, 20, 18), local(2026, 5, 20, 18)]:
        make_activity(promise_haninge, Activity.Kind.DIALOGUE, day)
    for day in [local(2026, 2, 10), local(2026, 4, 10), local(2026, 5, 10)]:
        make_activity(
            promise_haninge,
            Activity.Kind.INVENTORY,
            day,
            organisations=[police, haninge_kommun],
        )
    for day in [local(2026, 1, 15), local(2026, 5, 5), local(2026, 6, 5)]:
        make_activity(promise_haninge, Activity.Kind.PRESENCE, day)
    return promise_haninge


@travel("2026-07-01")
def test_each_status_in_words_residents_understand(status_promise):
    body = workflows.draft_text(status_promise, 2026, 2)
    assert body.startswith(
        "Här berättar kommunen och polisen hur vi har arbetat med medborgarlöftet "
        "under kvartal 2 2026 (april–juni).\n\n"
    )
    assert paragraph(body, "En trygghetsdialog") == (
        "Vi har lovat: En trygghetsdialog. Under kvartalet höll vi 2 "
        "trygghetsdialoger. Hittills i år har vi hållit 2 trygghetsdialoger. "
        "Målet för året är nått."
    )
    assert paragraph(body, "Fyra trygghetsdialoger") == (
        "Vi har lovat: Fyra trygghetsdialoger. Under kvartalet höll vi 2 "
        "trygghetsdialoger. Hittills i år har vi hållit 2 av 4 trygghetsdialoger. "
        "Det är i fas med målet."
    )
    # The first quarter had one inventory of two.
    assert paragraph(body, "Två inventeringar i kvartalet") == (
        "Vi har lovat: Två inventeringar i kvartalet. Under kvartalet gjorde vi 2 "
        "trygghetsinventeringar. Hittills i år har vi gjort 3 av 8 "
        "trygghetsinventeringar. Vi ligger efter målet om 2 trygghetsinventeringar "
        "varje kvartal, där både polisen och kommunen är med."
    )
    assert paragraph(body, "Trafik") == (
        "Vi har lovat: Trafik. Under kvartalet blev det inga "
        "trafiksäkerhetsinsatser. Målet är 2 trafiksäkerhetsinsatser under året. "
        "Arbetet med det har inte börjat ännu."
    )
    # No measurable target: just what was done.
    assert paragraph(body, "Synlig närvaro") == (
        "Vi har lovat: Synlig närvaro. Under kvartalet gjorde vi 2 insatser med "
        "synlig närvaro. Hittills i år har vi gjort 3 insatser med synlig närvaro."
    )


@travel("2026-03-01")
def test_a_target_not_begun_while_work_that_does_not_count_was_done(
    promise_haninge, police
):
    make_commitment(
        promise_haninge,
        "Gemensamma inventeringar",
        kind=Activity.Kind.INVENTORY,
        count=2,
        period=Target.Period.HALF_YEAR,
        joint=True,
    )
    make_activity(  # the police alone: not joint
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 2, 10),
        organisations=[police],
    )
    body = workflows.draft_text(promise_haninge, 2026, 1)
    assert paragraph(body, "Gemensamma inventeringar") == (
        "Vi har lovat: Gemensamma inventeringar. Under kvartalet gjorde vi 1 "
        "trygghetsinventering. Målet är 2 trygghetsinventeringar varje halvår, där "
        "både polisen och kommunen är med. Inget av det som räknas mot målet är "
        "gjort ännu."
    )


def test_a_draft_written_during_the_quarter_says_which_day_its_figures_are_from(
    status_promise,
):
    with travel("2026-05-25"):
        body = workflows.draft_text(status_promise, 2026, 2)
    assert body.startswith(
        "Här berättar kommunen och polisen hur vi har arbetat med medborgarlöftet "
        "under kvartal 2 2026 (april–juni). Siffrorna gäller till och med den 25 maj "
        "2026.\n\n"
    )


def test_the_year_told_once_it_is_over(status_promise):
    with travel("2027-01-05"):
        body = workflows.draft_text(status_promise, 2026, 4)
    assert "Siffrorna gäller" not in body
    assert paragraph(body, "Fyra trygghetsdialoger") == (
        "Vi har lovat: Fyra trygghetsdialoger. Under kvartalet blev det inga "
        "trygghetsdialoger. Under året har vi hållit 2 av 4 trygghetsdialoger. "
        "Vi ligger efter målet om 4 trygghetsdialoger under året."
    )
    assert "Under året har vi gjort 3 insatser med synlig närvaro." in body


# Nothing internal ----------------------------------------------------------------


@travel("2026-10-10")
def test_no_internal_text_and_no_police_details_reach_the_draft(
    promise_haninge, haninge, police, haninge_kommun
):
    handen, vega = (haninge.districts.get(name=n) for n in ["Handen", "Vega"])
    commitment = make_commitment(
        promise_haninge, "Trygghetsdialoger", kind=Activity.Kind.DIALOGUE, count=4
    )
    commitment.internal_notes = "HEMLIGT-åtagande"
    commitment.save()
    make_commitment(
        promise_haninge,
        "Fredagar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 8, 20, 18),
        districts=[handen],
        title="Trygghetsdialog i Handen",
        internal_notes="HEMLIGT-anteckning",
    )
    for status, level, title in [
        (Activity.Status.DONE, Activity.PublicationLevel.INTERNAL, "HEMLIGT-intern"),
        (Activity.Status.CANCELLED, "", "HEMLIGT-inställd"),
        (Activity.Status.DONE, Activity.PublicationLevel.AGGREGATE, "HEMLIGT-samman"),
    ]:
        make_activity(
            promise_haninge,
            Activity.Kind.DIALOGUE,
            local(2026, 9, 3, 18),
            status=status,
            publication_level=level,
            title=title,
            summary=f"{title}-sammanfattning",
        )
    deployment = make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        local(2026, 9, 4, 21, 30),
        districts=[vega],
        place_type=Activity.PlaceType.CENTRE,
        title="HEMLIGT-utsättning",
        summary="HEMLIGT-utsättningens sammanfattning",
        participants=7,
        internal_notes="HEMLIGT-utsättningens anteckning",
    )
    OperationalPicture.objects.create(activity=deployment, text="HEMLIGT-lägesbild")
    internal_inventory = make_activity(
        promise_haninge,
        Activity.Kind.INVENTORY,
        local(2026, 7, 2, 18),
        publication_level=Activity.PublicationLevel.INTERNAL,
        title="HEMLIGT-inventering",
    )
    Finding.objects.create(
        inventory=internal_inventory,
        category=Finding.Category.LIGHTING,
        place="HEMLIGT-plats",
        description="HEMLIGT-beskrivning",
        status=Finding.Status.FIXED,
        fixed_on=datetime.date(2026, 8, 1),
    )

    report = workflows.build_report_draft(promise_haninge, year=2026, quarter=3)

    text = f"{report.title}\n{report.body}"
    assert "HEMLIGT" not in text
    # Dialogues public only in aggregate are counted, not named.
    assert "Under kvartalet höll vi 2 trygghetsdialoger." in report.body
    assert "Trygghetsdialog i Handen hölls den 20 augusti." in report.body
    # Police work in aggregate: a count, no time, no place, no staffing.
    assert "Under kvartalet gjorde vi 1 utsättning." in report.body
    assert "Vega" not in text
    assert "Centrum" not in text
    assert not re.search(r"\b\d{1,2}[:.]\d{2}\b", text)
    assert "4 september" not in text
    # A finding of an internal inventory is not told.
    assert "brist" not in report.body


# Updating a draft ----------------------------------------------------------------


@pytest.fixture
def dialogues(promise_haninge, haninge):
    make_commitment(
        promise_haninge,
        "Trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
        min_districts=4,
    )
    return promise_haninge


def hold_dialogue(promise, haninge, day: datetime.datetime, district: str):
    return make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        day,
        districts=[haninge.districts.get(name=district)],
        title=f"Trygghetsdialog i {district}",
    )


def test_a_stale_draft_is_written_again_from_todays_data(dialogues, haninge):
    hold_dialogue(dialogues, haninge, local(2026, 10, 6, 18), "Handen")
    with travel("2026-10-20"):
        report = workflows.build_report_draft(dialogues, year=2026, quarter=4)
    assert "hållit 1 av 4 trygghetsdialoger, i 1 kommundel." in report.body
    assert "Siffrorna gäller till och med den 20 oktober 2026." in report.body
    report.body += "\n\nEn rad som samordnaren skrev."
    report.title = "Samordnarens rubrik"
    report.save()
    hold_dialogue(dialogues, haninge, local(2026, 11, 10, 18), "Jordbro")

    with travel("2026-12-01"):
        assert workflows.refresh_report_draft(report=report) is True
        expected = workflows.draft_text(dialogues, 2026, 4)
        report.refresh_from_db()
        assert report.body == expected
        assert report.title == "Så arbetade vi med medborgarlöftet, kvartal 4 2026"
        assert "hållit 2 av 4 trygghetsdialoger, i 2 olika kommundelar." in report.body
        assert "Siffrorna gäller till och med den 1 december 2026." in report.body
        assert "samordnaren" not in report.body
        assert report.status == QuarterlyReport.Status.DRAFT
        # Again on the same day: nothing changed, nothing saved.
        history = report.history.count()
        assert workflows.refresh_report_draft(report=report) is False
        assert report.history.count() == history


def test_a_published_report_is_never_rewritten(dialogues, haninge):
    hold_dialogue(dialogues, haninge, local(2026, 8, 20, 18), "Handen")
    report = workflows.build_report_draft(dialogues, year=2026, quarter=3)
    report.body = "Som invånarna läste den."
    report.publish()
    hold_dialogue(dialogues, haninge, local(2026, 9, 10, 18), "Jordbro")
    with pytest.raises(ValidationError) as error:
        workflows.refresh_report_draft(report=report)
    assert error.value.messages == [
        "Rapporten för kvartal 3 2026 är redan publicerad. En publicerad rapport "
        "skrivs aldrig om från uppgifterna; ändra den för hand om något behöver "
        "rättas."
    ]
    report.refresh_from_db()
    assert report.body == "Som invånarna läste den."
    # Published since it was read: the database decides, not the object in hand.
    draft = workflows.build_report_draft(dialogues, year=2026, quarter=2)
    QuarterlyReport.objects.get(pk=draft.pk).publish()
    with pytest.raises(ValidationError):
        workflows.refresh_report_draft(report=draft)


# In the admin --------------------------------------------------------------------


def test_the_coordinator_sees_and_updates_the_quarters_draft(
    client, dialogues, haninge, coordinator_haninge
):
    """Today (1 December) is in the fourth quarter, which has a draft from October."""
    hold_dialogue(dialogues, haninge, local(2026, 10, 6, 18), "Handen")
    with travel("2026-10-20"):
        report = workflows.build_report_draft(dialogues, year=2026, quarter=4)
    hold_dialogue(dialogues, haninge, local(2026, 11, 10, 18), "Jordbro")
    login_verified(client, coordinator_haninge)

    html = client.get(DRAFT_URL).content.decode()
    assert "Kvartal 4 2026 har redan ett utkast:" in html
    link = f'<a href="/admin/reports/quarterlyreport/{report.pk}/change/">'
    assert f"{link}{report.title}</a>" in html
    assert f'name="refresh" value="{report.pk}"' in html
    assert 'value="Uppdatera utkastet med dagens uppgifter"' in html

    response = client.post(DRAFT_URL, {"refresh": report.pk}, follow=True)
    assert response.redirect_chain == [
        (f"/admin/reports/quarterlyreport/{report.pk}/change/", 302)
    ]
    assert "Utkastet är uppdaterat med dagens uppgifter." in response.content.decode()
    report.refresh_from_db()
    assert "hållit 2 av 4 trygghetsdialoger, i 2 olika kommundelar." in report.body
    assert "Siffrorna gäller till och med den 1 december 2026." in report.body

    response = client.post(DRAFT_URL, {"refresh": report.pk}, follow=True)
    assert "Utkastet stämde redan med dagens uppgifter." in response.content.decode()
    assert QuarterlyReport.objects.count() == 1


def test_a_quarter_with_a_published_report_says_so_and_offers_no_update(
    client, dialogues, haninge, coordinator_haninge
):
    hold_dialogue(dialogues, haninge, local(2026, 8, 20, 18), "Handen")
    report = workflows.build_report_draft(dialogues, year=2026, quarter=3)
    report.publish()
    body = report.body
    hold_dialogue(dialogues, haninge, local(2026, 9, 10, 18), "Jordbro")
    login_verified(client, coordinator_haninge)

    response = client.post(
        DRAFT_URL, {"promise": dialogues.pk, "year": 2026, "quarter": 3}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kvartal 3 2026 har redan en publicerad rapport:" in html
    assert f'href="/admin/reports/quarterlyreport/{report.pk}/change/"' in html
    assert "En publicerad rapport skrivs aldrig om från uppgifterna." in html
    assert "Uppdatera utkastet" not in html

    # Asked all the same (an old page): refused, in Swedish, and nothing changes.
    response = client.post(DRAFT_URL, {"refresh": report.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapporten för kvartal 3 2026 är redan publicerad." in html
    assert "Kvartal 3 2026 har redan en publicerad rapport:" in html
    report.refresh_from_db()
    assert report.body == body
    assert QuarterlyReport.objects.count() == 1


@pytest.mark.parametrize("refresh", ["", "inte-ett-id", "999999"])
def test_an_update_of_no_draft_is_a_clear_error(
    client, dialogues, coordinator_haninge, refresh
):
    login_verified(client, coordinator_haninge)
    response = client.post(DRAFT_URL, {"refresh": refresh})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Välj utkastet som ska uppdateras."
        if not refresh
        else "Utkastet finns inte längre, eller så saknar du behörighet."
    ) in html


def test_only_the_municipalitys_coordinator_updates_its_draft(
    client, dialogues, haninge, coordinator_nynashamn, liaison_haninge
):
    report = workflows.build_report_draft(dialogues, year=2026, quarter=4)
    body = report.body
    hold_dialogue(dialogues, haninge, local(2026, 11, 10, 18), "Jordbro")

    login_verified(client, coordinator_nynashamn)
    response = client.post(DRAFT_URL, {"refresh": report.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utkastet finns inte längre, eller så saknar du behörighet." in html
    assert report.title not in html

    login_verified(client, liaison_haninge)
    assert client.post(DRAFT_URL, {"refresh": report.pk}).status_code == 403
    report.refresh_from_db()
    assert report.body == body


# The demo ------------------------------------------------------------------------


def load_demo(today: datetime.date):
    """What `load_haninge --demo` does for Haninge's promise of the year."""
    haninge = promises_demo.load_municipality(
        "Haninge", promises_demo.HANINGE_DISTRICTS
    )
    promises_demo.load_police_area(haninge)
    promises_demo.load_organisations(haninge)
    promise = promises_demo.load_haninge_promise(haninge, today.year)
    promises_demo.load_demo_activities(promise, today)
    reports_demo.load_reports(promise, today)
    reports_demo.load_evaluation(promise, today)
    return promise


def test_the_demo_run_again_on_a_later_day_leaves_no_stale_draft():
    with travel("2026-11-05"):
        promise = load_demo(datetime.date(2026, 11, 5))
        draft = QuarterlyReport.objects.get(promise=promise, quarter=4)
        assert "Hittills i år har vi gjort 3 av 4 trygghetsinventeringar." in draft.body
        third = QuarterlyReport.objects.get(promise=promise, quarter=3)
        assert third.is_published

    with travel("2026-12-01"):
        load_demo(datetime.date(2026, 12, 1))
        draft.refresh_from_db()
        assert draft.body == workflows.draft_text(promise, 2026, 4)
        assert (
            "Hittills i år har vi gjort 4 av 4 trygghetsinventeringar. Målet för året "
            "är nått." in draft.body
        )
        assert "Siffrorna gäller till och med den 1 december 2026." in draft.body
        # The published report of the third quarter is left as it was.
        assert QuarterlyReport.objects.get(pk=third.pk).body == third.body
