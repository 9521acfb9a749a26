"""Exportera all data: a coordinator takes all of their municipality's data out.

Through the admin, as a coordinator would: the confirmation page, then the ZIP of
CSV files (UTF-8 with BOM, semicolons) with every row and every field, internal
ones included, of their own municipality and nothing of another's.
"""

import csv
import datetime
import io
import logging
import re
import zipfile
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from incidents.models import IncidentCategory, IncidentReport, Reporter
from incidents.tests.factories import make_report
from promises.models import (
    Activity,
    Commitment,
    District,
    Finding,
    FocusArea,
    Kind,
    Municipality,
    OperationalPicture,
    Organisation,
    PoliceArea,
    Priority,
    Promise,
    Target,
)
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
    make_promise,
    make_user,
)
from reports.models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    Indicator,
    IndicatorValue,
    QuarterlyReport,
    ReportChannel,
)
from staff import export

pytestmark = pytest.mark.django_db


def export_url(municipality) -> str:
    return reverse("admin:promises_municipality_export", args=[municipality.pk])


def fill(municipality, promise, word: str, organisations, user) -> dict:
    """One of every kind of row for a municipality, each named with `word`."""
    districts = list(municipality.districts.order_by("pk"))
    commitment = make_commitment(
        promise, f"Åtagande {word}", kind=Activity.Kind.DIALOGUE, count=4
    )
    Commitment.objects.filter(pk=commitment.pk).update(
        internal_notes=f"Intern anteckning om åtagandet {word}"
    )
    dialogue = make_activity(
        promise,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 10, 18),
        districts=districts[:2],
        organisations=organisations,
        title=f"Trygghetsdialog {word}",
        internal_notes=f"Intern anteckning om dialogen {word}",
    )
    Kind.objects.create(
        municipality=municipality, name=f"Tillsyn {word}", plural="tillsyner"
    )
    # The lägesbild of EST: a partner's reports, a district prioritised from them.
    own_category = IncidentCategory.objects.create(
        municipality=municipality, name=f"Nedskräpning {word}"
    )
    partner = Organisation.objects.create(
        name=f"Bostadsbolaget {word}",
        kind=Organisation.Kind.PARTNER,
        municipality=municipality,
    )
    Reporter.objects.create(
        user=make_user(f"rapportor_{municipality.slug}", None, [municipality]),
        organisation=partner,
    )
    make_report(districts[0], partner, internal_note=f"Intern händelse {word}")
    own = make_report(districts[1], partner)
    own.category = own_category
    own.save()
    priority = Priority.objects.create(
        municipality=municipality,
        year=2026,
        quarter=2,
        district=districts[0],
        reason=f"Många rapporter om klotter {word}",
    )
    inventory = make_activity(
        promise,
        Activity.Kind.INVENTORY,
        local(2026, 4, 14, 18),
        districts=districts[:1],
        title=f"Trygghetsinventering {word}",
    )
    Activity.objects.filter(pk=inventory.pk).update(priority=priority)
    Finding.objects.create(
        inventory=inventory,
        category=Finding.Category.LIGHTING,
        place=f"Gångtunneln {word}",
        district=districts[0],
        responsible=organisations[-1],
    )
    deployment = make_activity(
        promise,
        Activity.Kind.DEPLOYMENT,
        local(2026, 3, 6),
        organisations=organisations[:1],
        title=f"Fredagsutsättning {word}",
    )
    OperationalPicture.objects.create(
        activity=deployment, text=f"Hemlig lägesbild {word}"
    )
    indicator = Indicator.objects.create(
        name=f"Trygghetsindex {word}", unit="%", source="Trygghetsmätningen"
    )
    indicator.commitments.add(commitment)
    # The problem behind the commitment, and its goal (issue 13).
    commitment.problem_districts.set(districts[:1])
    commitment.responsible_organisations.set(organisations[-1:])
    commitment.source_dialogues.set([dialogue])
    Goal.objects.create(
        commitment=commitment,
        indicator=indicator,
        baseline_value=42,
        baseline_year=2025,
        target_value=30,
        target_by=datetime.date(2027, 12, 31),
    )
    IndicatorValue.objects.create(
        indicator=indicator, municipality=municipality, year=2025, value=Decimal("42.5")
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        municipality=municipality,
        district=districts[0],
        year=2025,
        value=Decimal("-1.25"),
    )
    report = QuarterlyReport.objects.create(
        promise=promise, year=2026, quarter=1, title=f"Rapport {word}", body="Text"
    )
    ReportChannel.objects.create(
        report=report, kind=ReportChannel.Kind.WEBSITE, url="https://example.se/r"
    )
    evaluation = Evaluation.objects.create(
        promise=promise, summary=f"Utvärdering {word}"
    )
    CommitmentOutcome.objects.create(
        evaluation=evaluation,
        commitment=commitment,
        outcome=CommitmentOutcome.Outcome.DONE,
    )
    # History: a change and a deletion.
    dialogue.summary = f"Ändrad sammanfattning {word}"
    dialogue._history_user = user
    dialogue.save()
    make_activity(promise, title=f"Borttagen aktivitet {word}").delete()
    return {"dialogue": dialogue, "deployment": deployment}


@pytest.fixture
def south_police(haninge, nynashamn):
    """One police area serving both."""
    area = PoliceArea.objects.create(name="Polisen Södertörn")
    for municipality in (haninge, nynashamn):
        municipality.police_area = area
        municipality.save()
    return area.organisation


@pytest.fixture
def haninge_data(haninge, promise_haninge, south_police, coordinator_haninge):
    own = Organisation.objects.create(
        name="Haninge kommun", kind=Organisation.Kind.MUNICIPALITY, municipality=haninge
    )
    return fill(
        haninge, promise_haninge, "Haninge", [south_police, own], coordinator_haninge
    )


@pytest.fixture
def nynashamn_data(nynashamn, promise_nynashamn, south_police, coordinator_nynashamn):
    own = Organisation.objects.create(
        name="Nynäshamns kommun",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=nynashamn,
    )
    return fill(
        nynashamn,
        promise_nynashamn,
        "Nynäshamn",
        [south_police, own],
        coordinator_nynashamn,
    )


def run_the_worker() -> None:
    """What `manage.py db_worker` does on the worker host: run the queued tasks.

    The worker closes the database connection between tasks when it is not in
    autocommit, which inside the test's transaction it never is; as Django's test
    client does for requests, the test holds that off and keeps its transaction.
    """
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def download_link(client, municipality) -> str:
    page = client.get(export_url(municipality)).content.decode()
    links = re.findall(r'href="([^"]+/exportera/\d+/)"', page)
    assert links, "no export ready to download"
    return links[0]


def download(client, user, municipality):
    """Ask for the export, let the worker build it, download it, as the user would."""
    login_verified(client, user)
    response = client.post(export_url(municipality))
    assert response.status_code == 302
    assert response["Location"] == export_url(municipality)
    run_the_worker()
    response = client.get(download_link(client, municipality))
    assert response.status_code == 200
    return response


def unzip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def parse(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def coordinators_export(
    client, coordinator_haninge, haninge, haninge_data, nynashamn_data
):
    return unzip(download(client, coordinator_haninge, haninge))


def expected_rows(haninge, police) -> list[tuple[str, object, str]]:
    """(file, the rows the database holds for Haninge, the id column)."""
    own_activities = Activity.objects.filter(promise__municipality=haninge)
    return [
        ("kommun.csv", Municipality.objects.filter(pk=haninge.pk), "id"),
        (
            "kommun_personal.csv",
            Municipality.staff.through.objects.filter(municipality=haninge),
            "id",
        ),
        ("kommundelar.csv", District.objects.filter(municipality=haninge), "id"),
        (
            "organisationer.csv",
            Organisation.objects.filter(
                name__in=["Haninge kommun", "Bostadsbolaget Haninge", police.name]
            ),
            "id",
        ),
        ("typer.csv", Kind.objects.filter(municipality=haninge), "id"),
        ("medborgarloften.csv", Promise.objects.filter(municipality=haninge), "id"),
        (
            "fokusomraden.csv",
            FocusArea.objects.filter(promise__municipality=haninge),
            "id",
        ),
        (
            "ataganden.csv",
            Commitment.objects.filter(focus_area__promise__municipality=haninge),
            "id",
        ),
        (
            "mal.csv",
            Target.objects.filter(
                commitment__focus_area__promise__municipality=haninge
            ),
            "id",
        ),
        ("aktiviteter.csv", own_activities, "id"),
        (
            "aktiviteter_kommundelar.csv",
            Activity.districts.through.objects.filter(activity__in=own_activities),
            "id",
        ),
        (
            "aktiviteter_organisationer.csv",
            Activity.organisations.through.objects.filter(activity__in=own_activities),
            "id",
        ),
        (
            "aktiviteter_ataganden.csv",
            Activity.commitments.through.objects.filter(activity__in=own_activities),
            "id",
        ),
        (
            "iakttagelser.csv",
            Finding.objects.filter(inventory__promise__municipality=haninge),
            "id",
        ),
        ("indikatorer.csv", Indicator.objects.filter(name__endswith="Haninge"), "id"),
        (
            "indikatorer_ataganden.csv",
            Indicator.commitments.through.objects.filter(
                indicator__name__endswith="Haninge"
            ),
            "id",
        ),
        (
            "indikatorvarden.csv",
            IndicatorValue.objects.filter(municipality=haninge),
            "id",
        ),
        *[
            (
                name,
                getattr(Commitment, field).through.objects.filter(
                    commitment__promise__municipality=haninge
                ),
                "id",
            )
            for name, field in [
                ("ataganden_problemets_kommundelar.csv", "problem_districts"),
                ("ataganden_ansvariga.csv", "responsible_organisations"),
                ("ataganden_dialoger.csv", "source_dialogues"),
            ]
        ],
        (
            "indikatormal.csv",
            Goal.objects.filter(commitment__promise__municipality=haninge),
            "id",
        ),
        (
            "historik/indikatormal.csv",
            Goal.history.filter(commitment__promise__municipality=haninge),
            "history_id",
        ),
        (
            "kvartalsrapporter.csv",
            QuarterlyReport.objects.filter(promise__municipality=haninge),
            "id",
        ),
        (
            "rapportkanaler.csv",
            ReportChannel.objects.filter(report__promise__municipality=haninge),
            "id",
        ),
        (
            "utvarderingar.csv",
            Evaluation.objects.filter(promise__municipality=haninge),
            "id",
        ),
        (
            "utfall.csv",
            CommitmentOutcome.objects.filter(evaluation__promise__municipality=haninge),
            "id",
        ),
        (
            "historik/aktiviteter.csv",
            Activity.history.filter(promise__municipality=haninge),
            "history_id",
        ),
        (
            "historik/ataganden.csv",
            Commitment.history.filter(focus_area__promise__municipality=haninge),
            "history_id",
        ),
        (
            "historik/iakttagelser.csv",
            Finding.history.filter(inventory__promise__municipality=haninge),
            "history_id",
        ),
        (
            "prioriterade_kommundelar.csv",
            Priority.objects.filter(municipality=haninge),
            "id",
        ),
        (
            "handelsekategorier.csv",
            IncidentCategory.objects.filter(
                Q(municipality=haninge) | Q(reports__district__municipality=haninge)
            ).distinct(),
            "id",
        ),
        (
            "rapportorer.csv",
            Reporter.objects.filter(organisation__municipality=haninge),
            "id",
        ),
        (
            "handelserapporter.csv",
            IncidentReport.objects.filter(district__municipality=haninge),
            "id",
        ),
        (
            "historik/handelserapporter.csv",
            IncidentReport.history.filter(district__municipality=haninge),
            "history_id",
        ),
        (
            "historik/prioriterade_kommundelar.csv",
            Priority.history.filter(municipality=haninge),
            "history_id",
        ),
        (
            "historik/aktiviteter_kommundelar.csv",
            Activity.history.model.districts.filter(
                history__promise__municipality=haninge
            ),
            "m2m_history_id",
        ),
    ]


# --- What a coordinator gets ---------------------------------------------------------


def test_the_coordinator_gets_every_row_of_their_municipality(
    coordinators_export, haninge, south_police
):
    for name, rows, id_column in expected_rows(haninge, south_police):
        in_database = {str(pk) for pk in rows.values_list("pk", flat=True)}
        assert in_database, name  # the test data has rows of every table
        in_file = [row[id_column] for row in parse(coordinators_export[name])]
        assert sorted(in_file) == sorted(in_database), name


def test_every_field_is_exported_internal_ones_included(coordinators_export):
    activities = {
        row["title"]: row for row in parse(coordinators_export["aktiviteter.csv"])
    }
    dialogue = activities["Trygghetsdialog Haninge"]
    assert dialogue["internal_notes"] == "Intern anteckning om dialogen Haninge"
    assert dialogue["summary"] == "Ändrad sammanfattning Haninge"
    assert dialogue["promise_id"]
    assert dialogue["starts_at"] == "2026-03-10T18:00:00+01:00"
    assert dialogue["is_demo"] == "nej"
    commitments = parse(coordinators_export["ataganden.csv"])
    assert "Intern anteckning om åtagandet Haninge" in [
        row["internal_notes"] for row in commitments
    ]
    values = {row["value"] for row in parse(coordinators_export["indikatorvarden.csv"])}
    assert values == {"42.500", "-1.250"}  # numbers are never prefixed


def test_the_links_re_link(coordinators_export, haninge_data):
    dialogue = haninge_data["dialogue"]
    links = parse(coordinators_export["aktiviteter_kommundelar.csv"])
    assert {
        row["district_id"] for row in links if row["activity_id"] == str(dialogue.pk)
    } == {str(pk) for pk in dialogue.districts.values_list("pk", flat=True)}
    commitments = parse(coordinators_export["aktiviteter_ataganden.csv"])
    assert [
        row["commitment_id"]
        for row in commitments
        if row["activity_id"] == str(dialogue.pk)
    ] == [str(pk) for pk in dialogue.commitments.values_list("pk", flat=True)]
    assert dialogue.commitments.exists()


def test_the_history_keeps_changes_and_deletions(
    coordinators_export, coordinator_haninge
):
    history = parse(coordinators_export["historik/aktiviteter.csv"])
    deleted = [row for row in history if row["title"] == "Borttagen aktivitet Haninge"]
    # Created, linked to its commitment, deleted.
    assert [row["history_type"] for row in deleted] == ["skapad", "ändrad", "borttagen"]
    dialogue = [row for row in history if row["title"] == "Trygghetsdialog Haninge"]
    # Created, its districts, organisations and commitments set, then its
    # summary changed.
    assert [row["history_type"] for row in dialogue] == ["skapad"] + ["ändrad"] * 4
    assert dialogue[0]["summary"] == ""
    assert dialogue[-1]["summary"] == "Ändrad sammanfattning Haninge"
    assert dialogue[-1]["history_user_id"] == str(coordinator_haninge.pk)
    assert dialogue[-1]["history_user_username"] == coordinator_haninge.username
    assert dialogue[-1]["internal_notes"] == "Intern anteckning om dialogen Haninge"
    assert {row["history_date"][:4] for row in history} == {
        str(timezone.localdate().year)
    }


def test_the_history_of_a_deleted_promise_and_its_activity_is_kept(
    client, coordinator_haninge, haninge
):
    promise = make_promise(haninge, 2027, title="Borttaget löfte")
    activity = make_activity(
        promise, starts_at=local(2027, 2, 1), title="Aktivitet i borttaget löfte"
    )
    activity.delete()
    promise.delete()
    files = unzip(download(client, coordinator_haninge, haninge))
    history = parse(files["historik/aktiviteter.csv"])
    assert {row["title"] for row in history} == {"Aktivitet i borttaget löfte"}
    assert history[0]["history_type"] == "skapad"
    assert history[-1]["history_type"] == "borttagen"
    promises = parse(files["historik/medborgarloften.csv"])
    assert [row["history_type"] for row in promises] == ["skapad", "borttagen"]
    assert not parse(files["aktiviteter.csv"])


def test_nothing_of_another_municipality(
    coordinators_export, haninge, nynashamn, nynashamn_data, coordinator_nynashamn
):
    everything = b"".join(coordinators_export.values()).decode("utf-8-sig")
    for word in ["Nynäshamn", "Sorunda", "Stora Vika", coordinator_nynashamn.username]:
        assert word not in everything
    theirs = {
        str(pk)
        for pk in Activity.objects.filter(promise__municipality=nynashamn).values_list(
            "pk", flat=True
        )
    }
    assert theirs
    for name in ["aktiviteter.csv", "historik/aktiviteter.csv"]:
        assert not theirs & {row["id"] for row in parse(coordinators_export[name])}
    municipalities = parse(coordinators_export["kommun.csv"])
    assert [row["name"] for row in municipalities] == ["Haninge"]


def test_the_zip_opens_and_every_csv_parses_as_swedish_excel_writes_it(
    coordinators_export,
):
    csv_files = [name for name in coordinators_export if name.endswith(".csv")]
    assert len(csv_files) > 20
    for name in csv_files:
        data = coordinators_export[name]
        assert data.startswith(b"\xef\xbb\xbf"), name  # BOM
        header = data.decode("utf-8-sig").splitlines()[0]
        assert ";" in header and "," not in header, name
        rows = parse(data)
        for row in rows:
            assert None not in row and None not in row.values(), name


def test_the_readme_describes_each_file_the_time_and_the_user(
    coordinators_export, coordinator_haninge
):
    readme = coordinators_export["README.txt"].decode("utf-8-sig")
    assert "Haninge" in readme
    assert f"Exporterad av: {coordinator_haninge.username}" in readme
    assert f"Exporterad: {timezone.localdate():%Y-%m-%d}" in readme
    for name in coordinators_export:
        if name != "README.txt":
            assert f"\n{name} (" in readme
    assert "- internal_notes: interna anteckningar" in readme
    assert "- promise_id: medborgarlöfte (id i medborgarloften.csv)" in readme


def test_a_formula_is_never_a_formula(
    client, coordinator_haninge, haninge, promise_haninge
):
    make_activity(
        promise_haninge,
        title='=HYPERLINK("https://evil.example","klicka")',
        internal_notes="+SUM(1;2)",
        summary="@risk",
    )
    files = unzip(download(client, coordinator_haninge, haninge))
    (row,) = parse(files["aktiviteter.csv"])
    assert row["title"] == '\'=HYPERLINK("https://evil.example","klicka")'
    assert row["internal_notes"] == "'+SUM(1;2)"
    assert row["summary"] == "'@risk"


# --- Every model of the municipality, through the registry ---------------------------


def belongs_to_a_municipality(model) -> bool:
    """A model scoped to a municipality, or pointing at one that is."""
    if hasattr(model, "municipality_path"):
        return True
    return any(
        field.many_to_one and hasattr(field.related_model, "municipality_path")
        for field in model._meta.concrete_fields
    )


def municipal_models() -> list:
    """The registry's models of a municipality's data: not the proxies (their rows
    are their model's), the links and the history models (checked with their
    model)."""
    return [
        model
        for model in django_apps.get_models()
        if not model._meta.proxy
        and not model._meta.auto_created
        and not hasattr(model, "instance_type")
        and belongs_to_a_municipality(model)
    ]


def test_every_model_of_a_municipality_is_exported_or_says_why_not():
    exported = {table.model for table in export.TABLES}
    models = municipal_models()
    assert {IncidentReport, IncidentCategory, Reporter, Priority} <= set(models)
    for model in models:
        if model in export.NOT_EXPORTED:
            assert model not in exported
            continue
        assert model in exported, model._meta.label
        if model in export.HISTORY_NOT_EXPORTED:
            assert model.history.model not in exported
        elif hasattr(model, "history"):
            assert model.history.model in exported, model._meta.label
        for field in model._meta.many_to_many:
            assert field.remote_field.through in exported, field
            if hasattr(model, "history"):
                links = getattr(model.history.model, field.name, None)
                assert links is None or links.model in exported, field


def test_a_coordinator_gets_every_table_they_may_read_and_is_told_the_rest(
    coordinator_haninge,
):
    tables = export.tables_for(coordinator_haninge)
    files = {table.filename for table in tables}
    assert {
        "handelserapporter.csv",
        "handelsekategorier.csv",
        "rapportorer.csv",
        "prioriterade_kommundelar.csv",
        "historik/handelserapporter.csv",
    } <= files
    left_out = export.left_out_for(coordinator_haninge)
    for table in export.TABLES:
        if table not in tables:
            assert any(table.filename in item for item in left_out), table.filename
    assert left_out[0].startswith("Operativa lägesbilder (lagesbilder.csv, ")
    assert "sekretess" in left_out[0]
    for reason in export.NOT_EXPORTED.values():
        assert str(reason) in left_out


def test_the_incident_reports_and_priorities_are_in_the_coordinators_export(
    coordinators_export, haninge_data
):
    reports = parse(coordinators_export["handelserapporter.csv"])
    assert "Intern händelse Haninge" in {row["internal_note"] for row in reports}
    assert {row["reported_by_username"] for row in reports} == {""}
    (priority,) = parse(coordinators_export["prioriterade_kommundelar.csv"])
    assert priority["reason"] == "Många rapporter om klotter Haninge"
    activities = parse(coordinators_export["aktiviteter.csv"])
    assert priority["id"] in {row["priority_id"] for row in activities}
    categories = {
        row["name"] for row in parse(coordinators_export["handelsekategorier.csv"])
    }
    assert categories == {"Klotter", "Nedskräpning Haninge"}
    (reporter,) = parse(coordinators_export["rapportorer.csv"])
    assert reporter["user_username"] == "rapportor_haninge"
    readme = coordinators_export["README.txt"].decode("utf-8-sig")
    assert "\nhandelserapporter.csv (2 rader)" in readme
    assert "Aktivitetsdagarna" in readme


# --- The lägesbild ----------------------------------------------------------------


def test_the_lagesbild_is_not_in_a_coordinators_export(coordinators_export):
    assert "lagesbilder.csv" not in coordinators_export
    assert "historik/lagesbilder.csv" not in coordinators_export
    everything = b"".join(coordinators_export.values()).decode("utf-8-sig")
    assert "Hemlig lägesbild" not in everything
    readme = coordinators_export["README.txt"].decode("utf-8-sig")
    assert "Ingår inte:\r\n- Operativa lägesbilder" in readme


def test_a_superusers_export_includes_the_lagesbild(
    client, superuser, haninge, haninge_data, nynashamn_data
):
    files = unzip(download(client, superuser, haninge))
    pictures = parse(files["lagesbilder.csv"])
    assert [(row["activity_id"], row["text"]) for row in pictures] == [
        (str(haninge_data["deployment"].pk), "Hemlig lägesbild Haninge")
    ]
    assert len(parse(files["historik/lagesbilder.csv"])) == 1
    readme = files["README.txt"].decode("utf-8-sig")
    assert "Operativa lägesbilder (" not in readme
    assert "Aktivitetsdagarna" in readme  # never exported, and says why


# --- The pages and who may open them ------------------------------------------------


def test_the_change_page_offers_the_export_to_the_coordinator_only(
    client, coordinator_haninge, liaison_haninge, haninge
):
    change = reverse("admin:promises_municipality_change", args=[haninge.pk])
    login_verified(client, coordinator_haninge)
    response = client.get(change)
    assert response.status_code == 200
    assert export_url(haninge).encode() in response.content
    assert b"Exportera all data (ZIP)" in response.content
    login_verified(client, liaison_haninge)
    response = client.get(change)
    assert response.status_code == 200
    assert export_url(haninge).encode() not in response.content


def test_the_confirmation_page_lists_what_is_in_it_and_what_is_not(
    client, coordinator_haninge, haninge
):
    login_verified(client, coordinator_haninge)
    response = client.get(export_url(haninge))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for name in [
        "aktiviteter.csv",
        "historik/aktiviteter.csv",
        "kommundelar.csv",
        "handelserapporter.csv",
        "handelsekategorier.csv",
        "rapportorer.csv",
        "prioriterade_kommundelar.csv",
    ]:
        assert f"<code>{name}</code>" in page
    assert "<code>lagesbilder.csv</code>" not in page
    left_out = page.split('id="export-left-out"')[1].split("</ul>")[0]
    assert "Operativa lägesbilder (lagesbilder.csv, historik/lagesbilder.csv)" in (
        left_out
    )
    assert "sekretess" in left_out
    assert "Aktivitetsdagarna" in left_out
    assert "lösenord" in left_out
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'method="post"' in page


def test_the_liaison_may_not_export(client, liaison_haninge, haninge, haninge_data):
    login_verified(client, liaison_haninge)
    assert client.get(export_url(haninge)).status_code == 403
    assert client.post(export_url(haninge)).status_code == 403


def test_another_municipality_is_a_404(
    client, coordinator_nynashamn, haninge, haninge_data
):
    login_verified(client, coordinator_nynashamn)
    for method in (client.get, client.post):
        response = method(export_url(haninge))
        assert response.status_code == 404
        assert b"Haninge" not in response.content


@pytest.mark.parametrize("object_id", ["999999", "inte-ett-id"])
def test_an_unknown_municipality_is_a_404(client, coordinator_haninge, object_id):
    login_verified(client, coordinator_haninge)
    url = reverse("admin:promises_municipality_export", args=[object_id])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_the_login(client, haninge):
    response = client.post(export_url(haninge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_post_without_csrf_token_is_refused(coordinator_haninge, haninge):
    client = Client(enforce_csrf_checks=True)
    login_verified(client, coordinator_haninge)
    assert client.post(export_url(haninge)).status_code == 403
    client.get(export_url(haninge))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(export_url(haninge), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_the_download(client, coordinator_haninge, haninge):
    response = download(client, coordinator_haninge, haninge)
    assert response["Content-Type"] == "application/zip"
    day = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="medborgarlofte-haninge-{day}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)


def test_the_export_is_in_the_security_log(
    client, caplog, coordinator_haninge, haninge, haninge_data
):
    caplog.set_level(logging.INFO, logger="medborgarlofte.security")
    login_verified(client, coordinator_haninge)
    client.get(export_url(haninge))
    assert not [r for r in caplog.records if "export" in r.getMessage()]
    download(client, coordinator_haninge, haninge)
    requested, downloaded = [
        r
        for r in caplog.records
        if r.name == "medborgarlofte.security" and "export" in r.getMessage()
    ]
    assert requested.getMessage().startswith("export requested ")
    assert downloaded.getMessage().startswith("export downloaded ")
    for record in (requested, downloaded):
        assert record.name == "medborgarlofte.security"
        message = record.getMessage()
        assert "municipality='haninge'" in message
        assert f"user='{coordinator_haninge.username}'" in message
        assert "Trygghetsdialog" not in message


# --- Flat cost ----------------------------------------------------------------------


def queries_of_an_export(client, municipality) -> int:
    """The queries of the worker building one export."""
    assert client.post(export_url(municipality)).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        run_the_worker()
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_activities(
    client, coordinator_haninge, haninge, promise_haninge, south_police
):
    districts = list(haninge.districts.all())
    login_verified(client, coordinator_haninge)
    make_activity(promise_haninge, districts=districts, organisations=[south_police])
    queries_of_an_export(client, haninge)  # warm the caches
    one = queries_of_an_export(client, haninge)
    start = local(2026, 1, 2)
    for day in range(19):
        make_activity(
            promise_haninge,
            starts_at=start + datetime.timedelta(days=day),
            districts=districts,
            organisations=[south_police],
        )
    twenty = queries_of_an_export(client, haninge)
    assert twenty == one
    files = unzip(download(client, coordinator_haninge, haninge))
    assert len(parse(files["aktiviteter.csv"])) == 20
    assert len(parse(files["aktiviteter_kommundelar.csv"])) == 20 * len(districts)
