"""Publishing the incident picture's quarterly counts as indicators (issue 14).

The incident reports stay confidential; what a coordinator publishes is, per
category, an indicator of the municipality (unit "antal", source the partners'
reports, `hides_small_counts` set) with one value per district and finished
quarter: the sum of the occurrences reported. Every district gets a value, also
0, so that a missing row does not tell anything. Counts under 5 are stored as
they are, for staff, and shown to the public as "färre än 5"
(reports.display). No sum for the municipality or the year is published: with
it, a hidden count could be told by subtraction.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from promises.models import Municipality
from promises.periods import quarter_of
from reports.models import Indicator, IndicatorValue
from reports.workflows import freeze_published_evaluations

from .models import IncidentCategory, IncidentReport

UNIT = "antal"
SOURCE = "Samverkansparters rapporter (EST)"


def indicator_name(category: IncidentCategory) -> str:
    return _("Händelser: %(category)s") % {"category": category.name.lower()}


def finished_quarters(year: int, today=None) -> list[int]:
    """The quarters of the year that have ended by today (Stockholm)."""
    today = today or timezone.localdate()
    running_year, running = quarter_of(today)
    if year < running_year:
        return [1, 2, 3, 4]
    if year > running_year:
        return []
    return list(range(1, running))


@dataclasses.dataclass
class Published:
    indicators: list  # the Indicator per category
    quarters: list[int]
    values: int  # values written (created or changed)


@transaction.atomic
def publish_counts(
    municipality: Municipality, year: int, quarters: list[int], categories, today=None
) -> Published:
    """Write the counts of the finished quarters as indicator values, all or
    nothing. A quarter not finished yet is refused (ValidationError)."""
    finished = finished_quarters(year, today)
    running = [q for q in quarters if q not in finished]
    if running:
        raise ValidationError(
            _(
                "Kvartal %(quarters)s %(year)d är inte slut ännu. Bara avslutade "
                "kvartal kan publiceras."
            )
            % {"quarters": ", ".join(map(str, running)), "year": year}
        )
    categories = list(categories)
    if not quarters or not categories:
        raise ValidationError(_("Välj minst ett kvartal och en kategori."))
    names = [indicator_name(category) for category in categories]
    if len(set(names)) < len(names):
        # The municipality's own category named as a shared one.
        raise ValidationError(
            _("Två av kategorierna har samma namn. Välj en av dem i taget.")
        )
    totals = (
        IndicatorValue.objects.filter(
            indicator__municipality=municipality, indicator__name__in=names, year=year
        )
        .filter(Q(district=None) | Q(quarter=None))
        .values_list("indicator__name", flat=True)
        .distinct()
    )
    if totals:
        # Quarters per district beside them would give the hidden counts away.
        raise ValidationError(
            _(
                "%(names)s har redan värden för hela året eller hela kommunen "
                "%(year)d. Bredvid dem skulle antalen per kvartal låta vem som "
                "helst räkna ut de dolda antalen: ta bort dem under "
                "Indikatorvärden först."
            )
            % {"names": ", ".join(sorted(totals)), "year": year}
        )
    # A published evaluation keeps the figures it was published with.
    freeze_published_evaluations([municipality])
    sums = {
        (row["district_id"], row["category_id"], row["quarter"]): row["total"]
        for row in IncidentReport.objects.filter(
            district__municipality=municipality,
            date__year=year,
            category__in=categories,
        )
        .annotate(quarter=ExtractQuarter("date"))
        .filter(quarter__in=quarters)
        .values("district_id", "category_id", "quarter")
        .annotate(total=Sum("occurrences"))
        .order_by()
    }
    districts = list(municipality.districts.order_by("name"))
    indicators = []
    written = 0
    for category in categories:
        indicator, _created = Indicator.objects.update_or_create(
            municipality=municipality,
            name=indicator_name(category),
            defaults={"hides_small_counts": True},
            create_defaults={
                "unit": UNIT,
                "source": SOURCE,
                "higher_is_better": False,
                "hides_small_counts": True,
                "description": _(
                    "Antal händelser per kommundel och kvartal som kommunens "
                    "samverkansparter har rapporterat (EST). Antal under 5 visas "
                    "som ”färre än 5”."
                ),
            },
        )
        indicators.append(indicator)
        for district in districts:
            for quarter in quarters:
                count = sums.get((district.pk, category.pk, quarter), 0)
                value, created = IndicatorValue.objects.get_or_create(
                    indicator=indicator,
                    municipality=municipality,
                    district=district,
                    year=year,
                    quarter=quarter,
                    defaults={"value": count},
                )
                if not created and value.value != count:
                    value.value = count
                    value.save(update_fields=["value"])
                    written += 1
                written += created
    return Published(indicators, sorted(quarters), written)
