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

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from promises import importing
from promises.models import District, Organisation, for_user
from promises.validators import reject_personal_data

from .models import IncidentCategory, IncidentReport, Reporter

REQUIRED = ["datum", "kommundel", "kategori", "typ_av_plats"]
OPTIONAL = ["plats", "tid_på_dygnet", "antal", "anteckning"]
MAX_ROWS = 20_000
PLACE_LENGTH = IncidentReport._meta.get_field("place").max_length
NOTE_LENGTH = IncidentReport._meta.get_field("internal_note").max_length


def _label_key(text: str) -> str:
    """ "Morgon (06–10)" and "morgon" alike. No pattern: `\\s*\\(.*\\)` took
    quadratic time on a cell of many spaces or brackets."""
    text = text.strip()
    if text.endswith(")") and "(" in text:
        text = text[: text.index("(")]
    return text.strip().lower()


def _choices(choices) -> dict:
    found = {}
    for value, label in choices:
        found[_label_key(str(label))] = value
        found[value] = value
    return found


def read(text: str, user) -> importing.ImportResult:
    """Check every row; change nothing. A fixed number of queries per file. The
    rows are the reports to save (IncidentReport, unsaved)."""
    result = importing.ImportResult()
    rows = importing.csv_rows(
        text, result, required=REQUIRED, optional=OPTIONAL, max_rows=MAX_ROWS
    )
    if rows is None:
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
    for line, data in rows:
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
        for text_value, limit, too_long in (
            (place, PLACE_LENGTH, _("Platsen är för lång (högst %(limit)s tecken).")),
            (
                note,
                NOTE_LENGTH,
                _("Anteckningen är för lång (högst %(limit)s tecken)."),
            ),
        ):
            if len(text_value) > limit:  # no pattern reads a text that is too long
                errors.append(too_long % {"limit": limit})
                continue
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
        result.rows.append(
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
    if not result.rows and not result.errors:
        result.errors.append((1, _("Filen har inga rader med händelser.")))
    return result


def import_reports(
    data: bytes, *, user, dry_run: bool = False
) -> importing.ImportResult:
    """Read the file and, when every row is right and not dry_run, save all of it."""
    return importing.import_all_or_nothing(
        data,
        read=lambda text: read(text, user),
        # In bulk, with a history row for each, as every other change has.
        save=lambda result: bulk_create_with_history(
            result.rows,
            IncidentReport,
            batch_size=500,
            default_user=user,
            default_change_reason=_("Importerad från CSV"),
        ),
        dry_run=dry_run,
    )
