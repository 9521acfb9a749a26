"""Incident reports from CSV, for partners who keep spreadsheets: all or nothing.

The file has a header row; columns (in any order, case-insensitive):

    datum  kommundel  kategori  typ_av_plats  [plats  tid_på_dygnet  antal  anteckning]

`datum` as 2026-11-30; `kategori`, `typ_av_plats` and `tid_på_dygnet` as the
form names them ("Klotter", "Trapphus eller källare", "Kväll"; the part in
brackets may be left out); `tid_på_dygnet` empty means the day, `antal` empty
means once. UTF-8 with or without BOM; `;` or `,` between columns. Every row is
checked before anything is saved, and errors name their line. The reports are
the importer's organisation's (a partner's), or the municipality's own.
"""

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from promises.models import District, Organisation, for_user
from promises.validators import reject_personal_data

from .models import IncidentCategory, IncidentReport, Reporter

REQUIRED = ["datum", "kommundel", "kategori", "typ_av_plats"]
OPTIONAL = ["plats", "tid_på_dygnet", "antal", "anteckning"]
MAX_BYTES = 5_000_000
MAX_ROWS = 20_000


@dataclass
class ImportResult:
    reports: list[IncidentReport] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [
            _("Rad %(line)d: %(message)s") % {"line": line, "message": message}
            for line, message in self.errors
        ]


def _label_key(text: str) -> str:
    """ "Morgon (06–10)" and "morgon" alike."""
    return re.sub(r"\s*\(.*\)\s*$", "", text).strip().lower()


def _choices(choices) -> dict:
    found = {}
    for value, label in choices:
        found[_label_key(str(label))] = value
        found[value] = value
    return found


def read(text: str, user) -> ImportResult:
    """Check every row; change nothing. A fixed number of queries per file."""
    result = ImportResult()
    if "\x00" in text:
        result.errors.append((1, _("Filen innehåller otillåtna tecken (NUL).")))
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower().replace(" ", "_") for name in next(reader)]
    except StopIteration:
        result.errors.append((1, _("Filen är tom.")))
        return result
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    if missing or unknown:
        message = _("Rubrikraden ska ha kolumnerna %(columns)s.") % {
            "columns": ", ".join(REQUIRED)
        }
        if missing:
            message += " " + _("Saknas: %(missing)s.") % {"missing": ", ".join(missing)}
        if unknown:
            message += " " + _("Okända: %(unknown)s.") % {"unknown": ", ".join(unknown)}
        result.errors.append((1, message))
        return result

    reporter = Reporter.objects.filter(user=user).select_related("organisation").first()
    districts = {}
    for district in for_user(District.objects.all(), user):
        districts.setdefault(district.name.lower(), []).append(district)
    categories = {}
    for category in for_user(IncidentCategory.objects.filter(is_active=True), user):
        categories.setdefault(category.name.lower(), []).append(category)
    own_organisations = {
        organisation.municipality_id: organisation
        for organisation in for_user(
            Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY), user
        )
    }
    place_types = _choices(IncidentReport.PlaceType.choices)
    parts_of_day = _choices(IncidentReport.PartOfDay.choices)
    today = timezone.localdate()
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(result.reports) + len(result.errors) >= MAX_ROWS:
            result.errors.append(
                (
                    line,
                    _("Filen har för många rader (högst %(max)d).") % {"max": MAX_ROWS},
                )
            )
            break
        if len(cells) != len(header):
            result.errors.append(
                (
                    line,
                    _("Raden har %(found)d kolumner, rubrikraden %(expected)d.")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        data = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        errors = []
        day = None
        with contextlib.suppress(ValueError):  # a date that does not exist
            day = parse_date(data["datum"])
        if day is None:
            errors.append(
                _("Datumet ”%(date)s” ska skrivas som 2026-11-30.")
                % {"date": data["datum"]}
            )
        elif day > today:
            errors.append(_("Datumet %(date)s har inte varit än.") % {"date": day})
        found = districts.get(data["kommundel"].lower(), [])
        district = found[0] if len(found) == 1 else None
        if not found:
            errors.append(
                _("Okänd kommundel ”%(name)s”, eller en du inte rapporterar för.")
                % {"name": data["kommundel"]}
            )
        elif len(found) > 1:
            errors.append(
                _("Kommundelen ”%(name)s” finns i flera av dina kommuner.")
                % {"name": data["kommundel"]}
            )
        category = next(
            (
                c
                for c in categories.get(data["kategori"].lower(), [])
                if district and c.municipality_id in (None, district.municipality_id)
            ),
            None,
        )
        if category is None:
            errors.append(_("Okänd kategori ”%(name)s”.") % {"name": data["kategori"]})
        place_type = place_types.get(_label_key(data["typ_av_plats"]))
        if place_type is None:
            errors.append(
                _("Okänd typ av plats ”%(name)s”.") % {"name": data["typ_av_plats"]}
            )
        part_of_day = parts_of_day.get(_label_key(data.get("tid_på_dygnet") or "dag"))
        if part_of_day is None:
            errors.append(_("Tid på dygnet ska vara morgon, dag, kväll eller natt."))
        try:
            occurrences = int(data.get("antal") or 1)
            if not 1 <= occurrences <= 500:
                raise ValueError
        except ValueError:
            errors.append(_("Antal ska vara ett heltal mellan 1 och 500."))
            occurrences = None
        place, note = data.get("plats", ""), data.get("anteckning", "")
        if len(place) > 150:
            errors.append(_("Platsen är för lång (högst 150 tecken)."))
        for text_value in (place, note):
            try:
                reject_personal_data(text_value)
            except ValidationError as error:
                errors += error.messages
        organisation = None
        if district:
            if reporter:
                organisation = reporter.organisation
                if not organisation.takes_part_for(district.municipality):
                    errors.append(
                        _("Din organisation rapporterar inte för %(district)s.")
                        % {"district": district}
                    )
            else:
                organisation = own_organisations.get(district.municipality_id)
                if organisation is None:
                    errors.append(
                        _("Kommunen har ingen egen organisation att rapportera för.")
                    )
        if errors:
            result.errors += [(line, error) for error in errors]
            continue
        result.reports.append(
            IncidentReport(
                category=category,
                district=district,
                place_type=place_type,
                place=place,
                date=day,
                part_of_day=part_of_day,
                occurrences=occurrences,
                internal_note=note,
                organisation=organisation,
                reported_by=user,
            )
        )
    if not result.reports and not result.errors:
        result.errors.append((1, _("Filen har inga rader med händelser.")))
    return result


def import_reports(data: bytes, *, user, dry_run: bool = False) -> ImportResult:
    """Read the file and, when every row is right and not dry_run, save all of it."""
    if len(data) > MAX_BYTES:
        return ImportResult(errors=[(1, _("Filen är för stor (högst 5 MB)."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportResult(
            errors=[(1, _("Filen är inte UTF-8. Spara den som ”CSV UTF-8” i Excel."))]
        )
    with transaction.atomic():
        result = read(text, user)
        if result.ok and not dry_run:
            IncidentReport.objects.bulk_create(result.reports, batch_size=500)
            result.applied = True
    return result
