"""Indicator values from CSV: Swedish Excel files, row errors, all or nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from promises.models import StagedUpload
from promises.roles import COORDINATOR
from promises.tests.factories import login_verified, make_user
from reports.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "indicators-example.csv"
HEADER = "indikator;enhet;källa;högre_är_bättre;kommun;kommundel;år;värde\n"
OTRYGGA = "Andel otrygga;%;Trygghetsmätningen;nej"


def write(tmp_path, text: str, encoding="utf-8-sig") -> Path:
    path = tmp_path / "indikatorer.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_it_imports_the_example_file_with_bom_semicolons_and_decimal_commas(
    haninge, capsys
):
    call_command("import_indicators", str(EXAMPLE))
    assert (
        "Klart: 4 nya, 0 ändrade och 0 oförändrade värden." in capsys.readouterr().out
    )
    handen = IndicatorValue.objects.get(district__name="Handen")
    assert handen.value == Decimal("31.5")
    assert handen.indicator.unit == "%"
    assert not handen.indicator.higher_is_better
    assert IndicatorValue.objects.filter(district=None).count() == 2
    call_command("import_indicators", str(EXAMPLE))
    assert "0 nya, 0 ändrade och 4 oförändrade" in capsys.readouterr().out
    assert IndicatorValue.objects.count() == 4


def test_comma_separated_with_decimal_points_works_too(haninge, tmp_path):
    path = write(
        tmp_path,
        "indikator,enhet,källa,kommun,kommundel,år,värde\n"
        'Anmälda brott,per 1 000 invånare,Brå,Haninge,Jordbro,2025,"104,5"\n'
        "Anmälda brott,per 1 000 invånare,Brå,Haninge,Vega,2025,98.25\n",
        encoding="utf-8",
    )
    call_command("import_indicators", str(path))
    assert sorted(IndicatorValue.objects.values_list("value", flat=True)) == [
        Decimal("98.25"),
        Decimal("104.5"),
    ]


def test_a_broken_file_changes_nothing_and_names_each_wrong_line(
    haninge, tmp_path, capsys
):
    call_command("import_indicators", str(EXAMPLE))
    before = list(IndicatorValue.objects.values_list("pk", "value"))
    path = write(
        tmp_path,
        HEADER
        + f"{OTRYGGA};Haninge;Handen;2026;29\n"
        + f"{OTRYGGA};Haninge;Atlantis;2026;12\n"
        + f"{OTRYGGA};Haninge;Handen;tjugo;12\n"
        + f"{OTRYGGA};Haninge;Jordbro;2026;mycket\n"
        + f"{OTRYGGA};Göteborg;;2026;12\n"
        + "Okänd indikator;;;;Haninge;;2026;1\n"
        + f"{OTRYGGA};Haninge;Handen;2026;30\n"
        + "för;få;kolumner\n",
    )
    with pytest.raises(CommandError, match="Ingenting sparades"):
        call_command("import_indicators", str(path))
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "Rad 3: Kommundelen ”Atlantis” finns inte i Haninge.",
        "Rad 4: Året ”tjugo” är inte ett år mellan 1990 och 2200.",
        "Rad 5: Värdet ”mycket” är inte ett tal (t.ex. 12,5).",
        "Rad 6: Okänd kommun ”Göteborg”, eller en kommun du inte arbetar med.",
        "Rad 7: Okänd indikator ”Okänd indikator”. Fyll i enhet och källa för att "
        "skapa den.",
        "Rad 8: Samma indikator, plats och år finns redan på rad 2.",
        "Rad 9: Raden har 3 kolumner, rubrikraden 8.",
    ]
    assert list(IndicatorValue.objects.values_list("pk", "value")) == before
    assert not Indicator.objects.filter(name="Andel otrygga").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("namn;värde\nx;1\n", "Rubrikraden ska ha kolumnerna"),
        ("", "Filen är tom."),
        (HEADER, "Filen har inga rader med värden."),
    ],
)
def test_the_header_and_empty_files_are_checked(
    haninge, tmp_path, capsys, text, message
):
    with pytest.raises(CommandError):
        call_command("import_indicators", str(write(tmp_path, text)))
    assert message in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_refused_with_advice(haninge, tmp_path, capsys):
    path = write(tmp_path, HEADER + f"{OTRYGGA};Haninge;Handen;2026;1\n", "latin-1")
    with pytest.raises(CommandError):
        call_command("import_indicators", str(path))
    assert "Spara den som ”CSV UTF-8” i Excel." in capsys.readouterr().err


def test_dry_run_saves_nothing(haninge, capsys):
    call_command("import_indicators", str(EXAMPLE), "--dry-run")
    assert "Provkörning: 4 nya" in capsys.readouterr().out
    assert not IndicatorValue.objects.exists()
    assert not Indicator.objects.exists()


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("indikatorer.csv", text.encode("utf-8-sig"), "text/csv")


def test_a_coordinator_previews_then_imports_in_the_admin(client, coordinator_haninge):
    login_verified(client, coordinator_haninge)
    assert (
        "/admin/reports/indicatorvalue/importera/"
        in client.get("/admin/reports/indicatorvalue/").content.decode()
    )
    text = HEADER + f"{OTRYGGA};Haninge;Handen;2026;29,5\n"
    preview = client.post(
        "/admin/reports/indicatorvalue/importera/", {"file": upload(text)}
    )
    html = preview.content.decode()
    assert "Provkörning" in html
    assert "Handen" in html
    assert not IndicatorValue.objects.exists()
    response = client.post(
        "/admin/reports/indicatorvalue/importera/",
        {"upload": staged(preview), "confirm": "1"},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("29.5")
    assert not StagedUpload.objects.exists()


def staged(preview) -> str:
    """The upload the preview keeps on the server, as its form sends it back."""
    upload = preview.context["form"].initial["upload"]
    assert f'name="upload" value="{upload}"' in preview.content.decode()
    return str(upload)


def test_a_file_of_several_megabytes_previews_and_imports(client, coordinator_haninge):
    """Only the upload's id goes back and forth: the file stays on the server
    (DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB for the fields of a request)."""
    login_verified(client, coordinator_haninge)
    padding = (" " * 1000 + ";;;;\n") * 3500  # blank rows, 3.5 MB in all
    text = HEADER + f"{OTRYGGA};Haninge;Handen;2026;29,5\n" + padding
    assert len(text.encode()) > 3_000_000
    preview = client.post(
        "/admin/reports/indicatorvalue/importera/", {"file": upload(text)}
    )
    assert "Provkörning" in preview.content.decode()
    response = client.post(
        "/admin/reports/indicatorvalue/importera/",
        {"upload": staged(preview), "confirm": "1"},
    )
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == Decimal("29.5")


def test_another_users_upload_cannot_be_imported(client, coordinator_haninge, haninge):
    login_verified(client, coordinator_haninge)
    text = HEADER + f"{OTRYGGA};Haninge;Handen;2026;29,5\n"
    preview = client.post(
        "/admin/reports/indicatorvalue/importera/", {"file": upload(text)}
    )
    other = make_user("annan_samordnare", COORDINATOR, [haninge])
    login_verified(client, other)
    response = client.post(
        "/admin/reports/indicatorvalue/importera/",
        {"upload": staged(preview), "confirm": "1"},
    )
    assert response.status_code == 200
    assert "Filen finns inte kvar. Välj filen igen." in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_admin_shows_row_errors_and_saves_nothing(client, coordinator_haninge):
    login_verified(client, coordinator_haninge)
    text = HEADER + f"{OTRYGGA};Haninge;Handen;2026;<script>\n"
    html = client.post(
        "/admin/reports/indicatorvalue/importera/", {"file": upload(text)}
    ).content.decode()
    assert "Rad 2: Värdet ”&lt;script&gt;” är inte ett tal" in html
    assert "<script>" not in html.split("</head>")[1]
    assert not IndicatorValue.objects.exists()


def test_a_coordinator_cannot_import_for_another_municipality(
    client, coordinator_nynashamn, haninge
):
    login_verified(client, coordinator_nynashamn)
    text = HEADER + f"{OTRYGGA};Haninge;Handen;2026;29\n"
    html = client.post(
        "/admin/reports/indicatorvalue/importera/", {"file": upload(text)}
    ).content.decode()
    assert "Okänd kommun ”Haninge”" in html
    assert not StagedUpload.objects.exists()  # nothing to confirm
    assert not IndicatorValue.objects.exists()


def test_the_liaison_cannot_import(client, liaison_haninge):
    login_verified(client, liaison_haninge)
    assert client.get("/admin/reports/indicatorvalue/importera/").status_code == 403
