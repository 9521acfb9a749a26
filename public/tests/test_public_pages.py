"""The public pages, through the HTTP client: what residents see and never see."""

import datetime

import pytest
from django.utils import timezone

from promises.models import Activity, Finding, OperationalPicture, Promise, Target
from promises.tests.factories import (
    local,
    make_activity,
    make_commitment,
    make_dialogue_and_friday_commitments,
    make_promise,
)


@pytest.fixture
def haninge_2026(promise_haninge, haninge, police, haninge_kommun):
    """Haninge's promise with a dialogue target, a Friday target and an inventory."""
    make_dialogue_and_friday_commitments(promise_haninge)
    make_commitment(
        promise_haninge,
        "Trygghetsinventeringar",
        kind=Activity.Kind.INVENTORY,
        count=2,
        period=Target.Period.HALF_YEAR,
        joint=True,
    )
    return promise_haninge


def district(municipality, name):
    return municipality.districts.get(name=name)


def test_start_goes_straight_to_the_only_municipalitys_promise(client, haninge_2026):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/haninge/2026/"


def test_start_lists_the_current_promise_of_each_municipality(
    client, haninge_2026, nynashamn
):
    make_promise(nynashamn, 2025)
    make_promise(nynashamn, 2026, status=Promise.Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Medborgarlöfte Haninge 2026" in html
    assert "Medborgarlöfte Nynäshamn 2025" in html
    assert "Nynäshamn 2026" not in html


def test_a_draft_promise_is_not_public(client, haninge):
    make_promise(haninge, 2027, status=Promise.Status.DRAFT)
    assert client.get("/haninge/2027/").status_code == 404


def test_overview_says_so_when_nothing_has_been_entered(client, haninge_2026):
    html = client.get("/haninge/2026/").content.decode()
    assert "Inget har registrerats ännu" in html
    assert "0 %" not in html


def test_overview_shows_progress_in_words_and_numbers(
    client, haninge_2026, haninge, police, haninge_kommun
):
    for day, name in [(3, "Handen"), (4, "Jordbro"), (5, "Brandbergen")]:
        make_activity(
            haninge_2026,
            Activity.Kind.DIALOGUE,
            local(2026, day, 10, 18),
            districts=[district(haninge, name)],
            organisations=[police, haninge_kommun],
            title=f"Trygghetsdialog i {name}",
        )
    html = client.get("/haninge/2026/").content.decode()
    assert "3 av 4 trygghetsdialoger, i 3 av 4 kommundelar" in html
    assert "Trygghetsdialog i Jordbro" in html
    assert 'value="75"' in html  # the bar: 3 of the year's 4


def test_friday_deployments_show_as_weeks_never_times_or_places(
    client, haninge_2026, haninge, police
):
    deployment = make_activity(
        haninge_2026,
        Activity.Kind.DEPLOYMENT,
        local(2026, 6, 5, 14, 37),
        districts=[district(haninge, "Vega")],
        organisations=[police],
        title="Utsättning vid Vega centrum",
        summary="Fyra patruller vid Vega centrum",
        participants=4711,
    )
    OperationalPicture.objects.create(activity=deployment, text="HEMLIG LÄGESBILD")
    commitment = haninge_2026.focus_areas.get().commitments.get(
        title="Veckovisa utsättningar"
    )
    for url in [
        "/haninge/2026/",
        f"/haninge/2026/atagande/{commitment.pk}/",
        "/haninge/2026/kommundel/vega/",
    ]:
        html = client.get(url).content.decode()
        assert "v.&nbsp;23" in html or "Kvartal 2 2026" in html, url
        for secret in ["14:37", "Vega centrum", "Fyra patruller", "4711", "HEMLIG"]:
            assert secret not in html, (url, secret)
    assert client.get(deployment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Activity.Status.PLANNED, "starts_at": local(2026, 5, 5)},
        {"status": Activity.Status.CANCELLED},
        {"publication_level": Activity.PublicationLevel.INTERNAL},
    ],
)
def test_activities_not_done_or_internal_have_no_public_page(
    client, haninge_2026, fields
):
    activity = make_activity(
        haninge_2026, Activity.Kind.INVENTORY, title="Syns inte", **fields
    )
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert "Syns inte" not in client.get("/haninge/2026/").content.decode()


def test_nothing_appears_before_it_has_happened(client, promise_haninge):
    now = timezone.now()
    promise = make_promise(
        promise_haninge.municipality,
        now.year + 1,
        starts_on=datetime.date(now.year + 1, 1, 1),
        ends_on=datetime.date(now.year + 1, 12, 31),
    )
    later = Activity(
        promise=promise,
        kind=Activity.Kind.INVENTORY,
        status=Activity.Status.DONE,  # wrongly, as a direct save could
        starts_at=now + datetime.timedelta(days=400),
        title="Inte än",
    )
    later.save()
    assert client.get(later.get_absolute_url()).status_code == 404
    assert "Inte än" not in client.get(f"/haninge/{now.year + 1}/").content.decode()


def test_announced_dialogues_are_public_before_they_happen(client, haninge):
    now = timezone.now()
    promise = make_promise(haninge, now.year)
    dialogue = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        now + datetime.timedelta(days=1),
        status=Activity.Status.PLANNED,
        title="Trygghetsdialog i Vega",
    )
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Kommande trygghetsdialoger" in html
    assert "Trygghetsdialog i Vega" in html
    assert client.get(dialogue.get_absolute_url()).status_code == 200


def test_district_page_tracks_inventory_findings_to_fixed(
    client, haninge_2026, haninge, police, haninge_kommun
):
    jordbro = district(haninge, "Jordbro")
    inventory = make_activity(
        haninge_2026,
        Activity.Kind.INVENTORY,
        local(2026, 3, 18, 18),
        districts=[jordbro],
        organisations=[police, haninge_kommun],
        title="Trygghetsinventering i Jordbro",
    )
    for place, status, fixed_on in [
        ("Gångtunneln", Finding.Status.FIXED, datetime.date(2026, 4, 20)),
        ("Busshållplatsen", Finding.Status.FIXED, datetime.date(2026, 5, 2)),
        ("Torget", Finding.Status.OPEN, None),
    ]:
        Finding.objects.create(
            inventory=inventory,
            district=jordbro,
            category=Finding.Category.LIGHTING,
            place=place,
            status=status,
            fixed_on=fixed_on,
        )
    html = client.get("/haninge/2026/kommundel/jordbro/").content.decode()
    assert "Åtgärdat 2 av 3" in html
    assert "Gångtunneln" in html
    assert "20 april 2026" in html
    activity_html = client.get(inventory.get_absolute_url()).content.decode()
    assert "Torget" in activity_html


def test_a_district_with_many_findings_lists_the_first_and_counts_them_all(
    client, haninge_2026, haninge, police, haninge_kommun
):
    from public.views import FINDINGS_SHOWN

    jordbro = district(haninge, "Jordbro")
    inventory = make_activity(
        haninge_2026,
        Activity.Kind.INVENTORY,
        local(2026, 3, 18, 18),
        districts=[jordbro],
        organisations=[police, haninge_kommun],
    )
    total = FINDINGS_SHOWN + 5
    Finding.objects.bulk_create(
        Finding(
            inventory=inventory,
            district=jordbro,
            category=Finding.Category.LITTER,
            place=f"Plats {i:03d}",
            status=Finding.Status.FIXED if i < 7 else Finding.Status.OPEN,
            fixed_on=datetime.date(2026, 4, 1) if i < 7 else None,
        )
        for i in range(total)
    )
    html = client.get("/haninge/2026/kommundel/jordbro/").text
    assert f"Åtgärdat 7 av {total}" in html
    listed = [i for i in range(total) if f"Plats {i:03d}<" in html]
    assert len(listed) == FINDINGS_SHOWN
    assert f"Tabellen visar {FINDINGS_SHOWN} av {total} brister." in html
    assert 'href="/haninge/2026/oppna-data/iakttagelser.csv"' in html
    # The open data has them all.
    csv = b"".join(
        client.get("/haninge/2026/oppna-data/iakttagelser.csv").streaming_content
    ).decode()
    assert all(f"Plats {i:03d}" in csv for i in range(total))


def test_commitment_page_shows_the_target_per_period_and_a_timeline(
    client, haninge_2026, haninge
):
    inventory = make_activity(
        haninge_2026,
        Activity.Kind.INVENTORY,
        local(2026, 3, 18, 18),
        districts=[district(haninge, "Handen")],
        title="Trygghetsinventering i Handen",
    )
    commitment = haninge_2026.focus_areas.get().commitments.get(
        title="Trygghetsinventeringar"
    )
    html = client.get(f"/haninge/2026/atagande/{commitment.pk}/").content.decode()
    assert "första halvåret 2026" in html
    assert inventory.title in html
    assert "Minst 2 gemensamma trygghetsinventeringar per halvår" in html


def test_every_page_links_the_accessibility_statement(client, haninge_2026):
    for url in [
        "/haninge/2026/",
        "/haninge/2026/kommundel/handen/",
        "/tillganglighet/",
    ]:
        assert 'href="/tillganglighet/"' in client.get(url).content.decode()


def test_the_accessibility_statement_has_diggs_required_parts(client, db):
    html = client.get("/tillganglighet/").content.decode()
    for part in [
        "Hur tillgänglig är webbplatsen?",
        "förenlig",
        "Kända brister",
        "Rapportera brister",
        "Hur vi testat webbplatsen",
        "25 november 2026",
        "https://www.digg.se/tdosanmalan",
    ]:
        assert part in html, part


def test_public_pages_answer_conditional_get(client, haninge_2026):
    response = client.get("/haninge/2026/")
    assert response.has_header("ETag")
    again = client.get("/haninge/2026/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/haninge/2025/",
        "/haninge/2026/atagande/999999/",
        "/haninge/2026/kommundel/finns-inte/",
        "/haninge/2026/aktivitet/999999/",
        "/okand/2026/",
    ],
)
def test_unknown_things_are_404(client, haninge_2026, url):
    assert client.get(url).status_code == 404
