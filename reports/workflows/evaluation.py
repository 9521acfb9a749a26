"""The year-end evaluation: its draft written from the data ("Skapa utkast"),
publishing it, and freezing its indicator figures.

A published evaluation is frozen: `Evaluation.figures` stores its indicator
tables (`evaluation_figures()`) when it is published (`publish_evaluation()`: the
admin's action and change form), and the public page shows those. One published
before figures were stored is frozen before indicator values change (the CSV
import, the admin's value pages, publishing counts) or at its first showing
(`freeze_evaluation()`). Set back to a draft, it loses them (`Evaluation.save()`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from promises.models import Activity, Promise
from promises.progress import TargetProgress, promise_progress

from ..display import is_hidden, shown_value
from ..models import (
    CommitmentOutcome,
    Evaluation,
    Goal,
    IndicatorValue,
    without_revealing_totals,
)


def evaluation_figures(promise: Promise) -> dict:
    """The evaluation's indicator tables: each indicator the year before the
    promise and its year, for the municipality and per district, beside the
    public activities held there. JSON (values as strings), to be stored when the
    evaluation is published."""
    before, after = promise.year - 1, promise.year
    values = (
        without_revealing_totals(
            IndicatorValue.objects.filter(
                municipality=promise.municipality, year__in=[before, after]
            )
        )
        .filter(quarter=None)
        .select_related("indicator", "district")
    )
    activities = dict(
        Activity.objects.public()
        .filter(promise=promise, districts__isnull=False)
        .values_list("districts")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("districts", "n")
    )
    table = {}  # indicator → {(district id, place): {year: value}}
    for value in values:
        place = value.district or promise.municipality
        key = (place.pk if value.district else None, str(place))
        table.setdefault(value.indicator, {}).setdefault(key, {})[value.year] = (
            value.value
        )
    indicators = []
    for indicator, rows in sorted(table.items(), key=lambda item: item[0].name):
        lines = []
        for (district_id, name), by_year in sorted(
            rows.items(), key=lambda item: (item[0][0] is not None, item[0][1])
        ):
            # A small count that is not shown cannot be told by its change.
            change = (
                by_year[after] - by_year[before]
                if before in by_year
                and after in by_year
                and not any(
                    is_hidden(by_year[year], indicator.hides_small_counts)
                    for year in (before, after)
                )
                else None
            )
            lines.append(
                {
                    "place": name,
                    "before": _text(by_year.get(before)),
                    "after": _text(by_year.get(after)),
                    "change": _text(change),
                    "activities": activities.get(district_id, 0)
                    if district_id
                    else None,
                }
            )
        indicators.append(
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "source": indicator.source,
                "higher_is_better": indicator.higher_is_better,
                "hides_small_counts": indicator.hides_small_counts,
                "rows": lines,
            }
        )
    return {"before": before, "after": after, "indicators": indicators}


def _text(value) -> str | None:
    return None if value is None else str(value)


def freeze_evaluation(evaluation: Evaluation) -> None:
    """Store the figures of today, once: a published evaluation keeps them. A
    draft, or one frozen already, is left as it is."""
    if evaluation.figures is not None or not evaluation.is_published:
        return
    evaluation.figures = evaluation_figures(evaluation.promise)
    Evaluation.objects.filter(pk=evaluation.pk).update(figures=evaluation.figures)


def freeze_published_evaluations(municipalities) -> None:
    """Freeze the municipalities' published evaluations not frozen yet (those
    published before figures were stored): before indicator values change."""
    for evaluation in Evaluation.objects.published().filter(
        figures__isnull=True, promise__municipality__in=municipalities
    ):
        freeze_evaluation(evaluation)


@transaction.atomic
def publish_evaluation(evaluation: Evaluation) -> None:
    """Validate and publish the evaluation, with its figures of today. Publishing
    again keeps the first publication time and the figures.

    Raises ValidationError, with nothing saved, when the evaluation is not valid.
    """
    evaluation.publish()
    freeze_evaluation(evaluation)


# The evaluation's draft ("Skapa utkast"): process and effect per commitment ------


def _decimal_text(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _process(progress_list: list[TargetProgress]) -> tuple[str, str]:
    """Were the commitment's targets met, period by period: the sentence, and the
    outcome it suggests."""
    Outcome = CommitmentOutcome.Outcome
    sentences, met_all, met_any, counted = [], True, False, False
    for progress in progress_list:
        ended = [period for period in progress.periods if period.ended]
        if progress.periods and ended:
            counted = True
            met = [period for period in ended if period.met]
            met_all = met_all and len(met) == len(ended)
            met_any = met_any or bool(met)
            missed = [period.label for period in ended if not period.met]
            sentence = _(
                "%(target)s: uppfyllt %(met)d av %(ended)d avslutade perioder."
            ) % {
                "target": progress.target.sentence(),
                "met": len(met),
                "ended": len(ended),
            }
            if missed:
                sentence += " " + _("Inte uppfyllt: %(periods)s.") % {
                    "periods": ", ".join(missed)
                }
            sentences.append(sentence)
        else:
            sentences.append(f"{progress.target.sentence()}: {progress.summary}")
            met_any = met_any or progress.activity_count > 0
    if counted:
        outcome = (
            Outcome.DONE if met_all else Outcome.PARTLY if met_any else Outcome.NOT_DONE
        )
    else:
        outcome = Outcome.DONE if met_any else Outcome.NOT_DONE
    return " ".join(sentences), outcome


def _effect(commitment, goals, values, activity_districts) -> str:
    """Each goal's baseline, latest value and target; where districts have values,
    those with the commitment's activities beside the rest, with the caveat."""
    sentences = []
    for goal in goals:
        hides = goal.indicator.hides_small_counts
        own = sorted(
            (v for v in values if v.indicator_id == goal.indicator_id),
            key=lambda v: v.year,
        )
        whole = [v for v in own if v.district_id is None]
        latest = whole[-1] if whole else None
        sentence = _(
            "%(indicator)s: utgångsläge %(baseline)s (%(year)d), mål %(target)s "
            "senast %(by)s."
        ) % {
            "indicator": goal.indicator.name,
            "baseline": shown_value(goal.baseline_value, hides),
            "year": goal.baseline_year,
            "target": shown_value(goal.target_value, hides),
            "by": date_format(goal.target_by, "j F Y"),
        }
        if latest is not None and latest.year > goal.baseline_year:
            sentence += " " + _("Senaste värde %(value)s (%(year)d).") % {
                "value": shown_value(latest.value, hides),
                "year": latest.year,
            }
        # Per district: the change from the baseline year to the latest year.
        by_district = {}
        for value in own:
            if value.district_id is not None:
                by_district.setdefault(value.district_id, {})[value.year] = value.value
        changes = {"with": [], "without": []}
        for district_id, years in by_district.items():
            later = [year for year in years if year > goal.baseline_year]
            if goal.baseline_year in years and later:
                change = years[max(later)] - years[goal.baseline_year]
                side = "with" if district_id in activity_districts else "without"
                changes[side].append(change)
        # Means of small counts could tell them (one district on a side).
        if changes["with"] and changes["without"] and not hides:
            mean = {side: sum(found) / len(found) for side, found in changes.items()}
            sentence += " " + _(
                "I kommundelar med åtagandets aktiviteter ändrades värdet i snitt "
                "med %(with)s, i övriga kommundelar med %(without)s. En skillnad "
                "visar inte att aktiviteterna orsakade den: andra saker påverkar "
                "också tryggheten och brottsligheten."
            ) % {
                "with": _decimal_text(round(mean["with"], 1)),
                "without": _decimal_text(round(mean["without"], 1)),
            }
        sentences.append(sentence)
    return " ".join(sentences)


@transaction.atomic
def build_evaluation_draft(promise: Promise):
    """The year-end evaluation as a draft, written from the data: per commitment
    its process (targets met, period by period) and effect (each goal's
    indicator from baseline to latest, districts with the commitment's activities
    beside the rest). A draft that exists is written again; a published one is
    refused (ValidationError). Only public data goes in."""
    evaluation = Evaluation.objects.filter(promise=promise).first()
    if evaluation is not None and evaluation.is_published:
        raise ValidationError(
            _("Utvärderingen av %(promise)s är redan publicerad.")
            % {"promise": promise}
        )
    progress = promise_progress(promise)
    commitments = list(
        promise.commitments.select_related("focus_area").order_by(
            "focus_area__order", "order", "pk"
        )
    )
    goals = {}
    for goal in Goal.objects.filter(commitment__promise=promise).select_related(
        "indicator"
    ):
        goals.setdefault(goal.commitment_id, []).append(goal)
    values = list(
        IndicatorValue.objects.filter(
            municipality=promise.municipality,
            indicator__in={g.indicator_id for found in goals.values() for g in found},
            quarter=None,
        )
    )
    # The districts of each commitment's own activities, by kind.
    districts_by_kind = {}
    for commitment_id, kind, district_id in (
        Activity.objects.public()
        .filter(promise=promise, districts__isnull=False, commitments__isnull=False)
        .values_list("commitments", "kind", "districts")
        .distinct()
    ):
        districts_by_kind.setdefault((commitment_id, kind), set()).add(district_id)
    if evaluation is None:
        evaluation = Evaluation(promise=promise)
    done = 0
    paragraphs = []
    outcomes = []
    for commitment in commitments:
        targets = progress.for_commitment(commitment.pk)
        process, outcome = _process(targets)
        kinds = {target.target.kind for target in targets}
        activity_districts = set().union(
            *(districts_by_kind.get((commitment.pk, kind), set()) for kind in kinds)
        )
        effect = _effect(
            commitment, goals.get(commitment.pk, []), values, activity_districts
        )
        comment = _("Process: %(process)s") % {"process": process}
        if effect:
            comment += "\n\n" + _("Effekt: %(effect)s") % {"effect": effect}
        outcomes.append((commitment, outcome, comment))
        done += outcome == CommitmentOutcome.Outcome.DONE
    paragraphs.append(
        ngettext(
            "%(done)d av %(count)d åtagande genomfördes som det var lovat.",
            "%(done)d av %(count)d åtaganden genomfördes som de var lovade.",
            len(commitments),
        )
        % {"done": done, "count": len(commitments)}
    )
    evaluation.summary = " ".join(paragraphs)
    if not evaluation.method:
        evaluation.method = _(
            "Utkastet skrevs från uppgifterna: för varje åtagande om målen nåddes "
            "period för period (process), och för dess mål för indikatorer "
            "utgångsläget, det senaste värdet och målet (effekt)."
        )
    evaluation.full_clean(validate_unique=False)
    evaluation.save()
    evaluation.outcomes.all().delete()
    for commitment, outcome, comment in outcomes:
        CommitmentOutcome.objects.create(
            evaluation=evaluation,
            commitment=commitment,
            outcome=outcome,
            comment=comment,
        )
    return evaluation
