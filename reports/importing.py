"""Indicator values from CSV, as Excel writes it in Sweden: all or nothing.

The file has a header row; columns (in any order, case-insensitive):

    indikator  kommun  kommundel  år  värde  [enhet  källa  högre_är_bättre]

`kommundel` empty means the whole municipality. An unknown indicator is created
when `enhet` and `källa` are given. UTF-8 with or without BOM; `;` or `,` between
columns; decimal comma or point. Every row is checked before anything is saved, and
errors name their line. See docs/indicators-example.csv.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from promises import importing
from promises.models import District, Municipality

from .display import format_number
from .models import (
    Evaluation,
    Indicator,
    IndicatorValue,
    small_count_conflict,
    value_shape,
)
from .workflows import freeze_published_evaluations

REQUIRED = ["indikator", "kommun", "kommundel", "år", "värde"]
OPTIONAL = ["enhet", "källa", "högre_är_bättre"]
MAX_VALUE = Decimal("999999999")
TRUE_WORDS = {"ja", "j", "1", "sant", "true", "yes"}
FALSE_WORDS = {"nej", "n", "0", "falskt", "false", "no", ""}


@dataclass
class Row:
    line: int
    indicator: str
    municipality: Municipality
    district: District | None
    year: int
    value: Decimal
    existing: Indicator | None = None  # the municipality's own, or a shared one
    new_indicator: dict | None = None
    action: str = ""  # "ny", "ändras", "oförändrad"
    old_value: Decimal | None = None
    # The published evaluations whose figures hold the value changed: they keep
    # the value they were published with, the district pages show the new one.
    published_in: list[str] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def old_value_text(self) -> str:
        return "–" if self.old_value is None else format_number(self.old_value)


class ImportResult(importing.ImportResult):
    """The rows (`Row`), each new, changed or unchanged."""

    def changes_published(self) -> list[Row]:
        return [row for row in self.rows if row.published_in]

    def counts(self) -> dict[str, int]:
        result = {"ny": 0, "ändras": 0, "oförändrad": 0}
        for row in self.rows:
            result[row.action] += 1
        return result


def parse_decimal(text: str) -> Decimal:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise InvalidOperation
    return value.quantize(Decimal("0.001"))


def read(text: str, municipalities: list[Municipality]) -> ImportResult:
    """Check every row against the database; change nothing. A fixed query count
    per file: the municipalities, their districts, the indicators and the values.
    """
    result = ImportResult()
    rows = importing.csv_rows(text, result, required=REQUIRED, optional=OPTIONAL)
    if rows is None:
        return result

    by_name = {m.name.lower(): m for m in municipalities}
    districts = {
        (d.municipality_id, d.name.lower()): d
        for d in District.objects.filter(municipality__in=municipalities)
    }
    indicators = _indicators(municipalities)
    # The shapes of the values stored for the indicators that hide small counts,
    # and of the file's rows so far: a file adds no total beside hidden counts.
    shapes = {}
    for indicator_id, year, district_id, quarter in IndicatorValue.objects.filter(
        indicator__in=[i for i in indicators.values() if i.hides_small_counts]
    ).values_list("indicator", "year", "district", "quarter"):
        shapes.setdefault((indicator_id, year), set()).add(
            value_shape(district_id, quarter)
        )
    new_indicators = {}
    seen = {}
    for line, data in rows:
        row_errors = []
        municipality = by_name.get(data["kommun"].lower())
        if municipality is None:
            row_errors.append(
                _("Okänd kommun ”%(name)s”, eller en kommun du inte arbetar med.")
                % {"name": data["kommun"]}
            )
        district = None
        if municipality and data["kommundel"]:
            district = districts.get((municipality.pk, data["kommundel"].lower()))
            if district is None:
                row_errors.append(
                    _("Kommundelen ”%(district)s” finns inte i %(municipality)s.")
                    % {"district": data["kommundel"], "municipality": municipality}
                )
        try:
            year = int(data["år"])
            if not 1990 <= year <= 2200:
                raise ValueError
        except ValueError:
            row_errors.append(
                _("Året ”%(year)s” är inte ett år mellan 1990 och 2200.")
                % {"year": data["år"]}
            )
            year = None
        try:
            value = parse_decimal(data["värde"])
        except (InvalidOperation, ValueError):
            row_errors.append(
                _("Värdet ”%(value)s” är inte ett tal (t.ex. 12,5).")
                % {"value": data["värde"]}
            )
            value = None
        name = data["indikator"]
        new_indicator = existing = None
        if municipality:
            existing = _find(indicators, municipality, name)
        if not name:
            row_errors.append(_("Indikatorns namn saknas."))
        elif len(name) > 200:
            row_errors.append(_("Indikatorns namn är för långt (högst 200 tecken)."))
        elif municipality and existing is None:
            new_indicator = new_indicators.get((municipality.pk, name.lower()))
            if new_indicator is None:
                if not data.get("enhet") or not data.get("källa"):
                    row_errors.append(
                        _(
                            "Okänd indikator ”%(name)s”. Fyll i enhet och källa för "
                            "att skapa den."
                        )
                        % {"name": name}
                    )
                elif data.get("högre_är_bättre", "").lower() not in (
                    TRUE_WORDS | FALSE_WORDS
                ):
                    row_errors.append(_("högre_är_bättre ska vara ”ja” eller ”nej”."))
                else:
                    new_indicator = {
                        "municipality": municipality,
                        "name": name[:200],
                        "unit": data["enhet"][:50],
                        "source": data["källa"][:200],
                        "higher_is_better": data.get("högre_är_bättre", "").lower()
                        in TRUE_WORDS,
                    }
                    new_indicators[(municipality.pk, name.lower())] = new_indicator
        key = (
            name.lower(),
            municipality and municipality.pk,
            district and district.pk,
            year,
        )
        if not row_errors and key in seen:
            row_errors.append(
                _("Samma indikator, plats och år finns redan på rad %(line)d.")
                % {"line": seen[key]}
            )
        seen.setdefault(key, line)
        if existing is not None and year is not None and not row_errors:
            shape = value_shape(district, None)
            found = shapes.setdefault((existing.pk, year), set())
            conflict = small_count_conflict(existing, year, shape, found)
            if conflict:
                row_errors.append(conflict)
            else:
                found.add(shape)
        if row_errors:
            result.errors += [(line, error) for error in row_errors]
            continue
        result.rows.append(
            Row(
                line=line,
                indicator=name,
                municipality=municipality,
                district=district,
                year=year,
                value=value,
                existing=existing,
                new_indicator=new_indicator,
            )
        )
    if not result.rows and not result.errors:
        result.errors.append((1, _("Filen har inga rader med värden.")))
    _plan(result)
    return result


def _indicators(municipalities) -> dict:
    """{(municipality id or None, lower-case name): indicator}: the municipalities'
    own indicators and the shared ones. One query."""
    return {
        (indicator.municipality_id, indicator.name.lower()): indicator
        for indicator in Indicator.objects.filter(
            Q(municipality__in=municipalities) | Q(municipality__isnull=True)
        )
    }


def _find(indicators: dict, municipality: Municipality, name: str):
    """The municipality's own indicator of that name, else a shared one."""
    key = name.lower()
    return indicators.get((municipality.pk, key)) or indicators.get((None, key))


def _plan(result: ImportResult) -> None:
    """Mark each row new, changed or unchanged against the values stored today."""
    existing = {
        (v.indicator_id, v.municipality_id, v.district_id, v.year): v.value
        for v in IndicatorValue.objects.filter(
            indicator__in={row.existing for row in result.rows if row.existing},
            municipality__in={row.municipality for row in result.rows},
            quarter=None,  # the file has yearly values
        )
    }
    for row in result.rows:
        key = (
            row.existing and row.existing.pk,
            row.municipality.pk,
            row.district and row.district.pk,
            row.year,
        )
        row.old_value = existing.get(key) if row.existing else None
        if row.old_value is None:
            row.action = "ny"
        elif row.old_value == row.value:
            row.action = "oförändrad"
        else:
            row.action = "ändras"
    _published(result)


def _published(result: ImportResult) -> None:
    """Name, on each changed row, the published evaluations that show its value:
    those of the promise of its year or of the year after (an evaluation shows
    the year before the promise and its year). One query."""
    changed = [row for row in result.rows if row.action == "ändras"]
    if not changed:
        return
    evaluations = {}
    for evaluation in (
        Evaluation.objects.published()
        .filter(promise__municipality__in={row.municipality for row in changed})
        .select_related("promise")
    ):
        promise = evaluation.promise
        for year in (promise.year - 1, promise.year):
            evaluations.setdefault((promise.municipality_id, year), []).append(
                _("utvärderingen %(year)d") % {"year": promise.year}
            )
    for row in changed:
        row.published_in = evaluations.get((row.municipality.pk, row.year), [])


def import_indicators(
    data: bytes, *, municipalities: list[Municipality], dry_run: bool = False
) -> ImportResult:
    """Read the file and, when every row is right and not dry_run, save all of it."""
    return importing.import_all_or_nothing(
        data,
        read=lambda text: read(text, municipalities),
        save=save,
        dry_run=dry_run,
        result_class=ImportResult,
    )


def save(result: ImportResult) -> None:
    """Every row of a checked file: new indicators, new and changed values."""
    # What was published stays as it was published.
    freeze_published_evaluations({row.municipality for row in result.rows})
    created = {}
    for row in result.rows:
        indicator = row.existing
        if indicator is None:
            key = (row.municipality.pk, row.indicator.lower())
            if key not in created:
                created[key] = Indicator.objects.create(**row.new_indicator)
            indicator = created[key]
        if row.action != "oförändrad":
            IndicatorValue.objects.update_or_create(
                indicator=indicator,
                municipality=row.municipality,
                district=row.district,
                year=row.year,
                quarter=None,
                defaults={"value": row.value},
            )
