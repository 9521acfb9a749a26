"""Open data downloads: only what is public, in CSV and JSON, streamed, fixed queries.

The downloads are read back with the csv and json modules, as a user's program
would read them.
"""

import csv
import datetime
import io
import itertools
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import (
    Activity,
    Commitment,
    Finding,
    OperationalPicture,
    Promise,
    Target,
)
from promises.progress import promise_progress
from promises.tests.factories import (
    local,
    make_activity,
    make_commitment,
    make_dialogue_and_friday_commitments,
    make_promise,
)
from public import opendata

DATASETS = list(opendata.DATASETS)
FORMATS = ["csv", "json"]
counter = itertools.count()


def marker(what: str) -> str:
    return f"HEMLIGT{next(counter)}x{what}"


def url(dataset: str, extension: str, year: int = 2026) -> str:
    return f"/haninge/{year}/oppna-data/{dataset}.{extension}"


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def read(client, dataset: str, extension: str) -> list[dict]:
    """The rows of a download, as dicts of the column names, parsed."""
    text = body(client.get(url(dataset, extension)))
    if extension == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return json.loads(text)


@pytest.fixture
def data(promise_haninge, haninge, nynashamn, police, haninge_kommun):
    """Haninge 2026 with public, aggregate-only and non-public things, and markers.

    Returns the markers that must never appear in any download.
    """
    promise = promise_haninge
    handen, jordbro = (
        haninge.districts.get(name="Handen"),
        haninge.districts.get(name="Jordbro"),
    )
    both = [police, haninge_kommun]
    make_dialogue_and_friday_commitments(promise)
    make_commitment(
        promise,
        "Synlig närvaro",
        kind=Activity.Kind.PRESENCE,
        period=Target.Period.QUARTER,
    )
    markers = []
    for commitment in Commitment.objects.all():
        commitment.internal_notes = marker("commitmentnotes")
        commitment.save()
        markers.append(commitment.internal_notes)

    def secret(what):
        value = marker(what)
        markers.append(value)
        return value

    # Public in detail: a dialogue just after midnight local time (the day before
    # in UTC) and an inventory with a finding.
    dialogue = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 4, 1, 0, 30),
        districts=[handen, jordbro],
        organisations=both,
        title="Trygghetsdialog i Handen",
        summary="Öppet möte om tryggheten.",
        residents_met=31,
        residents_raised="Belysningen vid stationen.",
        internal_notes=secret("dialoguenotes"),
    )
    inventory = make_activity(
        promise,
        Activity.Kind.INVENTORY,
        local(2026, 3, 18),
        districts=[jordbro],
        organisations=both,
        title="Trygghetsinventering i Jordbro",
        district_reason="Trygghetsmätningen.",
        participants=8,
        internal_notes=secret("inventorynotes"),
    )
    Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        district=jordbro,
        place="Gångtunneln vid centrum",
        description="Trasig lampa.",
        responsible=haninge_kommun,
        status=Finding.Status.FIXED,
        fixed_on=local(2026, 4, 17).date(),
    )
    # Police work public only in aggregate: three Friday deployments (one on a
    # Thursday, with a reason) and two presence efforts at a hub.
    for day, reason in [(6, ""), (13, ""), (19, secret("notfridayreason"))]:
        deployment = make_activity(
            promise,
            Activity.Kind.DEPLOYMENT,
            local(2026, 3, day, 16),
            districts=[handen],
            organisations=[police],
            title=secret("deploymenttitle"),
            summary=secret("deploymentsummary"),
            internal_notes=secret("deploymentnotes"),
            not_friday_reason=reason,
            participants=12,
        )
        OperationalPicture.objects.create(
            activity=deployment, text=secret("operationalpicture")
        )
    for day in (10, 11):
        make_activity(
            promise,
            Activity.Kind.PRESENCE,
            local(2026, 2, day),
            districts=[jordbro],
            organisations=[police],
            place_type=Activity.PlaceType.HUB,
            title=secret("presencetitle"),
            summary=secret("presencesummary"),
        )
    # Not public at all: an internal inventory (with a finding), a cancelled
    # dialogue, a planned one that is not announced as done, and the draft's.
    internal = make_activity(
        promise,
        Activity.Kind.INVENTORY,
        local(2026, 5, 6),
        districts=[handen],
        organisations=both,
        publication_level=Activity.PublicationLevel.INTERNAL,
        title=secret("internaltitle"),
        summary=secret("internalsummary"),
        district_reason=secret("internalreason"),
    )
    Finding.objects.create(
        inventory=internal,
        category=Finding.Category.GRAFFITI,
        district=handen,
        place=secret("internalfindingplace"),
        description=secret("internalfindingdescription"),
    )
    make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 5, 20),
        districts=[handen],
        status=Activity.Status.CANCELLED,
        title=secret("cancelledtitle"),
        summary=secret("cancelledsummary"),
    )
    make_activity(
        promise,
        Activity.Kind.OTHER,
        local(2026, 2, 3),
        status=Activity.Status.PLANNED,
        title=secret("plannedtitle"),
    )
    draft = make_promise(haninge, 2027, status=Promise.Status.DRAFT)
    make_activity(
        draft,
        Activity.Kind.DIALOGUE,
        local(2027, 3, 3),
        title=secret("drafttitle"),
    )
    other = make_promise(nynashamn)
    make_activity(other, Activity.Kind.DIALOGUE, local(2026, 3, 3), title="Sorunda")
    return {"markers": markers, "dialogue": dialogue, "inventory": inventory}


# What is in them ------------------------------------------------------------------


@pytest.mark.parametrize("extension", FORMATS)
@pytest.mark.parametrize("dataset", DATASETS)
def test_no_download_holds_anything_that_is_not_public(
    client, data, dataset, extension
):
    text = body(client.get(url(dataset, extension)))
    leaked = [m for m in data["markers"] if m in text]
    assert not leaked
    assert "Sorunda" not in text  # another municipality's promise


@pytest.mark.parametrize("extension", FORMATS)
def test_activities_are_those_public_in_detail_with_local_dates(
    client, data, extension
):
    rows = read(client, "aktiviteter", extension)
    assert [str(row["id"]) for row in rows] == [
        str(data["inventory"].pk),
        str(data["dialogue"].pk),
    ]
    inventory, dialogue = rows
    assert dialogue["datum"] == "2026-04-01"  # 31 March in UTC
    assert dialogue["typ"] == "dialogue"
    assert dialogue["typ_namn"] == "Trygghetsdialog"
    assert dialogue["rubrik"] == "Trygghetsdialog i Handen"
    assert dialogue["sammanfattning"] == "Öppet möte om tryggheten."
    assert dialogue["invanarna_tog_upp"] == "Belysningen vid stationen."
    assert inventory["varfor_kommundelen"] == "Trygghetsmätningen."
    organisations = ["Haninge kommun", "Lokalpolisområde Haninge/Nynäshamn"]
    if extension == "csv":
        assert dialogue["kommundelar"] == "Handen; Jordbro"
        assert dialogue["organisationer"] == "; ".join(organisations)
        assert dialogue["antal_invanare"] == "31"
        assert dialogue["antal_medverkande"] == ""
        assert dialogue["platstyp"] == ""
    else:
        assert dialogue["kommundelar"] == ["Handen", "Jordbro"]
        assert dialogue["organisationer"] == organisations
        assert dialogue["antal_invanare"] == 31
        assert dialogue["antal_medverkande"] is None
        assert dialogue["platstyp"] is None


@pytest.mark.parametrize("extension", FORMATS)
def test_police_work_appears_only_as_counts_per_quarter_and_weeks(
    client, data, extension
):
    activity_ids = {str(row["id"]) for row in read(client, "aktiviteter", extension)}
    police_work = Activity.objects.filter(
        kind__in=[Activity.Kind.DEPLOYMENT, Activity.Kind.PRESENCE]
    )
    assert not activity_ids & {
        str(pk) for pk in police_work.values_list("pk", flat=True)
    }

    rows = read(client, "sammanstallning", extension)
    counts = {
        (str(r["kvartal"]), r["typ"], r["platstyp"] or ""): r["antal"] for r in rows
    }
    number = str if extension == "csv" else int
    assert counts == {
        ("1", "deployment", ""): number(3),
        ("1", "presence", "hub"): number(2),
        ("1", "inventory", ""): number(1),
        ("2", "dialogue", ""): number(1),
    }
    assert set(rows[0]) == {
        "ar",
        "kvartal",
        "typ",
        "typ_namn",
        "platstyp",
        "platstyp_namn",
        "antal",
    }
    weeks = read(client, "utsattningsveckor", extension)
    assert [(str(w["ar"]), str(w["vecka"])) for w in weeks] == [
        ("2026", "10"),
        ("2026", "11"),
        ("2026", "12"),
    ]


@pytest.mark.parametrize("extension", FORMATS)
def test_findings_are_those_of_public_inventories(client, data, extension):
    rows = read(client, "iakttagelser", extension)
    assert len(rows) == 1
    finding = rows[0]
    assert finding["plats"] == "Gångtunneln vid centrum"
    assert finding["kategori"] == "lighting"
    assert finding["kategori_namn"] == "Belysning"
    assert finding["kommundel"] == "Jordbro"
    assert finding["ansvarig"] == "Haninge kommun"
    assert finding["status"] == "fixed"
    assert finding["status_namn"] == "Åtgärdat"
    assert finding["atgardat_datum"] == "2026-04-17"
    assert finding["inventering_datum"] == "2026-03-18"
    assert str(finding["inventering_id"]) == str(data["inventory"].pk)


@pytest.mark.parametrize("extension", FORMATS)
def test_progress_is_what_the_overview_shows(client, data, promise_haninge, extension):
    progress = promise_progress(promise_haninge)
    rows = read(client, "framsteg", extension)
    assert len(rows) == len(progress.targets) == 3
    for row, target_progress in zip(rows, progress.targets, strict=True):
        assert str(row["mal_id"]) == str(target_progress.target.pk)
        assert row["atagande"] == target_progress.target.commitment.title
        assert row["fokusomrade"] == "Trygghet"
        assert row["status"] == target_progress.status
        assert row["status_namn"] == str(target_progress.status.label)
        assert row["sammanfattning"] == str(target_progress.summary)
    dialogues = rows[0]
    number = str if extension == "csv" else int
    assert dialogues["mal"] == (
        "Minst 4 trygghetsdialoger per år, i minst 4 olika kommundelar"
    )
    assert dialogues["genomfort"] == number(1)
    assert dialogues["kravs"] == number(4)
    assert dialogues["procent"] == number(25)
    presence = rows[2]
    assert presence["status"] == "no_target"
    assert presence["antal_aktiviteter"] == number(2)
    assert presence["genomfort"] in ("", None)

    periods = read(client, "framsteg-perioder", extension)
    fridays = [p for p in periods if str(p["mal_id"]) == str(rows[1]["mal_id"])]
    assert len(fridays) == 53  # the ISO weeks touching 2026
    week_11 = next(p for p in fridays if p["start"] == "2026-03-09")
    assert week_11["period"] == "vecka 11, 2026"
    assert week_11["genomfort"] == number(1)
    assert week_11["uppfyllt"] == ("ja" if extension == "csv" else True)
    week_12 = next(p for p in fridays if p["start"] == "2026-03-16")
    assert week_12["genomfort"] == number(0)  # the Thursday does not count


def test_every_dataset_has_the_documented_columns_in_both_formats(client, data):
    for name, dataset in opendata.DATASETS.items():
        response = client.get(url(name, "csv"))
        header = next(csv.reader(io.StringIO(body(response))))
        assert header == dataset.column_names, name
        for row in read(client, name, "json"):
            assert list(row) == dataset.column_names, name
        for column in dataset.columns:
            assert column.type in opendata.TYPE_DOCS, (name, column.name)
            assert str(column.description), (name, column.name)


# CSV injection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+46", "-1+1", "@SUM(A1)", "\tflik", "\rvagn"]
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    client, promise_haninge, text
):
    make_activity(promise_haninge, title=text, summary="Vanlig text, =inte i början")
    row = read(client, "aktiviteter", "csv")[0]
    assert row["rubrik"] == "'" + text
    assert row["sammanfattning"] == "Vanlig text, =inte i början"
    assert read(client, "aktiviteter", "json")[0]["rubrik"] == text


def test_csv_cell():
    assert opendata.csv_cell(None) == ""
    assert opendata.csv_cell(-3) == "-3"  # numbers are numbers
    assert opendata.csv_cell(True) == "ja"
    assert opendata.csv_cell(["-a", "b"]) == "'-a; b"
    assert opendata.csv_cell("a=b") == "a=b"


# The responses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [("csv", "text/csv; charset=utf-8"), ("json", "application/json; charset=utf-8")],
)
def test_downloads_are_streamed_attachments(client, data, extension, content_type):
    response = client.get(url("aktiviteter", extension))
    assert response.streaming
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="medborgarlofte-haninge-2026-aktiviteter.{extension}"'
    )
    text = body(response)
    assert not text.startswith("\ufeff")  # plain UTF-8, no byte order mark
    if extension == "csv":
        assert text.startswith("id,datum,typ,")
        assert text.endswith("\r\n")


def test_a_draft_promise_has_no_open_data(client, haninge):
    make_promise(haninge, 2027, status=Promise.Status.DRAFT)
    assert client.get("/haninge/2027/oppna-data/").status_code == 404
    for dataset in DATASETS:
        for extension in FORMATS:
            assert client.get(url(dataset, extension, 2027)).status_code == 404


def test_an_unknown_dataset_is_not_found(client, promise_haninge):
    assert client.get(url("hemligheter", "csv")).status_code == 404
    assert client.get("/haninge/2026/oppna-data/aktiviteter.xml").status_code == 404


def add_volume(promise, count, districts, organisations):
    """Count public inventories, each with a finding, and count Friday deployments."""
    for i in range(count):
        inventory = make_activity(
            promise,
            Activity.Kind.INVENTORY,
            local(2026, 1, 5) + datetime.timedelta(days=i % 280),
            districts=districts,
            organisations=organisations,
            title=f"Inventering {i}",
        )
        Finding.objects.create(
            inventory=inventory,
            category=Finding.Category.LITTER,
            district=districts[0],
            responsible=organisations[0],
            place=f"Plats {i}",
        )
        make_activity(
            promise,
            Activity.Kind.DEPLOYMENT,
            local(2026, 1, 2) + datetime.timedelta(weeks=i % 40),
            districts=districts,
            organisations=organisations,
            place_type=Activity.PlaceType.HUB,
        )


@pytest.mark.parametrize("extension", FORMATS)
def test_each_download_runs_a_fixed_number_of_queries(
    client,
    promise_haninge,
    haninge,
    police,
    haninge_kommun,
    extension,
    django_assert_num_queries,
):
    make_commitment(
        promise_haninge, kind=Activity.Kind.INVENTORY, count=2, period="half_year"
    )
    districts = list(haninge.districts.all())
    organisations = [haninge_kommun, police]
    add_volume(promise_haninge, 1, districts, organisations)

    def download(dataset):
        with CaptureQueriesContext(connection) as queries:
            rows = read(client, dataset, extension)
        return len(queries), len(rows)

    few = {dataset: download(dataset) for dataset in DATASETS}
    add_volume(promise_haninge, 49, districts, organisations)
    for dataset in DATASETS:
        queries, rows = few[dataset]
        with django_assert_num_queries(queries):
            many = read(client, dataset, extension)
        assert queries <= 8, dataset
        if dataset in ("aktiviteter", "iakttagelser"):
            assert (rows, len(many)) == (1, 50), dataset


def test_rows_are_read_and_sent_in_chunks(client, promise_haninge, monkeypatch):
    """The download starts before all rows are read: memory stays flat."""
    monkeypatch.setattr(opendata.rows, "CHUNK_SIZE", 10)
    monkeypatch.setattr(opendata.formats, "PIECE_SIZE", 1)
    for i in range(25):
        make_activity(promise_haninge, title=f"Dialog {i}")
    response = client.get(url("aktiviteter", "csv"))
    with CaptureQueriesContext(connection) as queries:
        pieces = iter(response.streaming_content)
        next(pieces)  # the header
        next(pieces)  # the first row
        after_first_row = len(queries)
        rest = list(pieces)
    assert len(rest) == 24
    # One select, then districts, organisations and commitments for each chunk of
    # ten rows.
    assert after_first_row == 4
    assert len(queries) == 1 + 3 * 3


# The index page -----------------------------------------------------------------------


def test_the_open_data_page_lists_every_dataset_with_its_columns(client, data):
    overview = client.get("/haninge/2026/").content.decode()
    assert 'href="/haninge/2026/oppna-data/"' in overview
    html = client.get("/haninge/2026/oppna-data/").content.decode()
    for name, dataset in opendata.DATASETS.items():
        assert f'href="/haninge/2026/oppna-data/{name}.csv"' in html
        assert f'href="/haninge/2026/oppna-data/{name}.json"' in html
        assert str(dataset.title) in html
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in html
    assert 'href="/haninge/2026/trygghetsdialoger.ics"' in html


def test_the_indicators_dataset_lists_the_municipalitys_values(client, promise_haninge):
    import csv as csv_module
    from decimal import Decimal

    from reports.models import Indicator, IndicatorValue

    indicator = Indicator.objects.create(
        name="Andel otrygga", unit="%", source="Trygghetsmätningen"
    )
    handen = promise_haninge.municipality.districts.get(name="Handen")
    IndicatorValue.objects.create(
        indicator=indicator,
        municipality=promise_haninge.municipality,
        district=handen,
        year=2025,
        value=Decimal("28.5"),
    )
    response = client.get("/haninge/2026/oppna-data/indikatorer.csv")
    rows = list(
        csv_module.DictReader(
            b"".join(response.streaming_content).decode().splitlines()
        )
    )
    assert rows == [
        {
            "indikator": "Andel otrygga",
            "enhet": "%",
            "kalla": "Trygghetsmätningen",
            "hogre_ar_battre": "nej",
            "kommun": "Haninge",
            "kommundel": "Handen",
            "ar": "2025",
            "kvartal": "",
            "varde": "28.5",
            "varde_text": "28,5",
        }
    ]
    data = json.loads(
        b"".join(
            client.get("/haninge/2026/oppna-data/indikatorer.json").streaming_content
        )
    )
    assert data[0]["varde"] == 28.5


@pytest.mark.parametrize("extension", FORMATS)
def test_problems_and_goals_are_open_data(
    client, promise_haninge, haninge, haninge_kommun, police, extension
):
    import datetime as dt

    from promises.models import Commitment, Organisation
    from reports.models import Goal, Indicator

    plain = make_commitment(promise_haninge, "Utan problem", kind="dialogue", count=4)
    commitment = make_commitment(promise_haninge, "Tryggare station")
    commitment.problem = "Otrygghet vid stationen."
    commitment.problem_since = 2023
    commitment.problem_source = Commitment.Source.SURVEY
    commitment.measure_kind = Commitment.MeasureKind.SITUATIONAL
    commitment.internal_notes = marker("intern")
    commitment.save()
    commitment.problem_districts.set(
        haninge.districts.filter(name__in=["Jordbro", "Handen"])
    )
    commitment.responsible_organisations.set([haninge_kommun, police])
    indicator = Indicator.objects.create(
        municipality=haninge, name="Otrygghet", unit="%", source="Enkät"
    )
    Goal.objects.create(
        commitment=commitment,
        indicator=indicator,
        baseline_value="38.500",
        baseline_year=2025,
        target_value=30,
        target_by=dt.date(2027, 12, 31),
    )
    with CaptureQueriesContext(connection) as few:
        problems = read(client, "problem", extension)
        goals = read(client, "mal", extension)
    assert [row["atagande_id"] for row in problems] in (
        [commitment.pk],
        [str(commitment.pk)],
    )
    assert plain.pk not in [row["atagande_id"] for row in problems]
    problem = problems[0]
    assert problem["problem"] == "Otrygghet vid stationen."
    assert problem["kalla"] == "survey" and problem["kalla_namn"] == "Trygghetsmätning"
    districts = problem["kommundelar"]
    assert districts in (["Handen", "Jordbro"], "Handen; Jordbro")
    assert "Haninge kommun" in problem["ansvariga"]
    assert problem["tidsperspektiv"] in (None, "")
    assert commitment.internal_notes not in str(problems)
    (goal,) = goals
    assert (goal["indikator"], goal["utgangsvarde"], goal["malvarde"]) == (
        "Otrygghet",
        "38.5",
        "30",
    )
    assert goal["mal_senast"] == "2027-12-31"
    # More of everything: the same number of queries.
    for n in range(5):
        more = make_commitment(promise_haninge, f"Åtagande {n}")
        more.problem = f"Problem {n}"
        more.save()
        more.problem_districts.set(haninge.districts.all())
        more.responsible_organisations.add(
            Organisation.objects.create(
                name=f"Partner {n}",
                kind=Organisation.Kind.PARTNER,
                municipality=haninge,
            )
        )
        Goal.objects.create(
            commitment=more,
            indicator=indicator,
            baseline_value=n,
            baseline_year=2024,
            target_value=n + 1,
            target_by=dt.date(2027, 12, 31),
        )
    with CaptureQueriesContext(connection) as many:
        assert len(read(client, "problem", extension)) == 6
        assert len(read(client, "mal", extension)) == 6
    assert len(many) == len(few)
