"""Quarterly reports: a draft built from the quarter's data, written again from
today's, and the reports still due.

The draft is written for residents reading on a phone: a short paragraph per
commitment, in whole sentences, saying what was promised, what was done in the
quarter and where the year stands. Only public data goes into it: activities and
findings the public may see (police work as counts only, never times or places),
and the progress the public pages show.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from promises.models import (
    Activity,
    Finding,
    Promise,
    Target,
    is_own_kind,
    parties_in_words,
)
from promises.periods import previous_quarter, quarter_of, quarter_span
from promises.progress import (
    PERIOD_COUNTS,
    WEEKDAY_COUNTS,
    OwnKindCount,
    Status,
    TargetProgress,
    promise_progress,
)

from ..models import QuarterlyReport


@dataclass(frozen=True)
class Words:
    """How a draft tells what was done of one kind: "höll" in the quarter, "hållit"
    so far, "3 trygghetsdialoger", "en trygghetsdialog", "inga trygghetsdialoger"."""

    did: LazyText  # what we did in the quarter (preterite)
    have_done: LazyText  # what we have done so far (supine)
    count: LazyText  # ngettext_lazy over "n"
    one: LazyText
    things: LazyText  # the plural without a number


def kind_words(did, have_done, singular, plural, one, things) -> Words:
    return Words(
        did=gettext_lazy(did),
        have_done=gettext_lazy(have_done),
        count=ngettext_lazy(singular, plural, "n"),
        one=gettext_lazy(one),
        things=gettext_lazy(things),
    )


# Plain words for residents, one entry for each kind a target counts.
WORDS = {
    Activity.Kind.INVENTORY: kind_words(
        "gjorde",
        "gjort",
        "%(n)d trygghetsinventering",
        "%(n)d trygghetsinventeringar",
        "en trygghetsinventering",
        "trygghetsinventeringar",
    ),
    Activity.Kind.PRESENCE: kind_words(
        "gjorde",
        "gjort",
        "%(n)d insats med synlig närvaro",
        "%(n)d insatser med synlig närvaro",
        "en insats med synlig närvaro",
        "insatser med synlig närvaro",
    ),
    Activity.Kind.YOUTH_VISIT: kind_words(
        "gjorde",
        "gjort",
        "%(n)d besök i en ungdomsmiljö",
        "%(n)d besök i ungdomsmiljöer",
        "ett besök i en ungdomsmiljö",
        "besök i ungdomsmiljöer",
    ),
    Activity.Kind.DEPLOYMENT: kind_words(
        "gjorde",
        "gjort",
        "%(n)d utsättning",
        "%(n)d utsättningar",
        "en utsättning",
        "utsättningar",
    ),
    Activity.Kind.YOUTH_COORDINATION: kind_words(
        "höll",
        "hållit",
        "%(n)d samverkansmöte om unga i riskzon",
        "%(n)d samverkansmöten om unga i riskzon",
        "ett samverkansmöte om unga i riskzon",
        "samverkansmöten om unga i riskzon",
    ),
    Activity.Kind.TRAFFIC: kind_words(
        "gjorde",
        "gjort",
        "%(n)d trafiksäkerhetsinsats",
        "%(n)d trafiksäkerhetsinsatser",
        "en trafiksäkerhetsinsats",
        "trafiksäkerhetsinsatser",
    ),
    Activity.Kind.DIALOGUE: kind_words(
        "höll",
        "hållit",
        "%(n)d trygghetsdialog",
        "%(n)d trygghetsdialoger",
        "en trygghetsdialog",
        "trygghetsdialoger",
    ),
    Activity.Kind.OTHER: kind_words(
        "gjorde",
        "gjort",
        "%(n)d aktivitet",
        "%(n)d aktiviteter",
        "en aktivitet",
        "aktiviteter",
    ),
    Target.REPORT: kind_words(
        "publicerade",
        "publicerat",
        "%(n)d rapport till invånarna",
        "%(n)d rapporter till invånarna",
        "en rapport till invånarna",
        "rapporter till invånarna",
    ),
    Target.EVALUATION: kind_words(
        "publicerade",
        "publicerat",
        "%(n)d utvärdering",
        "%(n)d utvärderingar",
        "en utvärdering",
        "utvärderingar",
    ),
}
# "4 trygghetsdialoger under året", "1 besök i en ungdomsmiljö varje månad"
EVERY_PERIOD = {
    Target.Period.WEEK: gettext_lazy("varje vecka"),
    Target.Period.MONTH: gettext_lazy("varje månad"),
    Target.Period.QUARTER: gettext_lazy("varje kvartal"),
    Target.Period.HALF_YEAR: gettext_lazy("varje halvår"),
    Target.Period.YEAR: gettext_lazy("under året"),
}
# Reports and the evaluation are counted when published, not per quarter.
COUNTED_IN_THE_QUARTER = set(Activity.Kind.values)


def words_of(target: Target) -> Words:
    """WORDS of the target's kind; a kind the municipality named itself in its own
    words ("gjorde 2 tillsyner", "inga tillsyner")."""
    own = target.own_words()
    if own is None:
        return WORDS[target.kind]
    count = OwnKindCount(*own)
    return Words(
        did=gettext_lazy("gjorde"),
        have_done=gettext_lazy("gjort"),
        count=count,
        one=count % {"n": 1},
        things=own[1],
    )


def as_list(names: list[str]) -> str:
    """ "Handen", "Handen och Jordbro", "Handen, Jordbro och Vega"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s och %(last)s") % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def sentence(text: str) -> str:
    """A title as a sentence of its own: with a full stop, not two."""
    return text.strip().rstrip(".!?:;,") + "."


def goal(target: Target) -> str:
    """The target in words: "en utsättning varje fredag", "4 trygghetsdialoger
    under året, i minst 4 olika kommundelar"."""
    kind = words_of(target)
    if target.weekday:
        text = _("%(one)s varje %(weekday)s") % {
            "one": kind.one,
            "weekday": Target.Weekday(target.weekday).label,
        }
    else:
        text = _("%(count)s %(period)s") % {
            "count": kind.count % {"n": target.count},
            "period": EVERY_PERIOD[target.period],
        }
    if target.min_districts:
        text += ngettext(
            ", i minst %(n)d kommundel",
            ", i minst %(n)d olika kommundelar",
            target.min_districts,
        ) % {"n": target.min_districts}
    if target.joint:
        text += _(", där både polisen och kommunen är med")
    if target.party_id:
        text += _(", där %(party)s är med") % {
            "party": parties_in_words([target.party], capitalise=False)
        }
    return text


def quarter_sentence(progress: TargetProgress, in_quarter: int) -> str:
    """What was done in the quarter: "Under kvartalet höll vi 1 trygghetsdialog."
    Empty for what is not counted per quarter (reports, the evaluation)."""
    target = progress.target
    if target.kind not in COUNTED_IN_THE_QUARTER and not is_own_kind(target.kind):
        return ""
    kind = words_of(target)
    if not in_quarter:
        return _("Under kvartalet blev det inga %(things)s.") % {"things": kind.things}
    return _("Under kvartalet %(did)s vi %(count)s.") % {
        "did": kind.did,
        "count": kind.count % {"n": in_quarter},
    }


def year_sentence(progress: TargetProgress, *, year_over: bool) -> str:
    """Where the year stands: "Hittills i år har vi hållit 3 av 4
    trygghetsdialoger, i 3 olika kommundelar." Empty before anything counts."""
    target = progress.target
    kind = words_of(target)
    so_far = (
        _("Under året har vi %(have_done)s %(what)s.")
        if year_over
        else _("Hittills i år har vi %(have_done)s %(what)s.")
    )
    if progress.status == Status.NOT_STARTED:
        return ""
    if progress.status == Status.NO_TARGET:
        if not progress.activity_count:
            return (
                _("Under året blev det inga %(things)s.")
                if year_over
                else _("Hittills i år har det inte blivit några %(things)s.")
            ) % {"things": kind.things}
        what = kind.count % {"n": progress.activity_count}
    elif target.weekday:
        what = _("%(one)s på %(done)d av %(weekdays)s") % {
            "one": kind.one,
            "done": progress.done,
            "weekdays": WEEKDAY_COUNTS[target.weekday] % {"n": progress.expected},
        }
    else:
        ended = [period for period in progress.periods if period.ended]
        if len(progress.periods) > 1 and target.count == 1 and ended:
            what = _("%(count)s och nått målet %(met)d av %(periods)s") % {
                "count": kind.count % {"n": progress.done},
                "met": sum(period.met for period in ended),
                "periods": PERIOD_COUNTS[target.period] % {"n": len(ended)},
            }
        elif progress.done > progress.required:  # more than promised
            what = kind.count % {"n": progress.done}
        else:
            what = _("%(done)d av %(required)s") % {
                "done": progress.done,
                "required": kind.count % {"n": progress.required},
            }
        districts = len(progress.district_ids)
        if target.min_districts and districts:
            what += ngettext(
                ", i %(n)d kommundel", ", i %(n)d olika kommundelar", districts
            ) % {"n": districts}
    return so_far % {"have_done": kind.have_done, "what": what}


def status_sentence(progress: TargetProgress, *, anything_done: bool) -> str:
    """The status in words residents understand; empty without a measurable target."""
    match progress.status:
        case Status.DONE:
            return _("Målet för året är nått.")
        case Status.ON_TRACK:
            return _("Det är i fas med målet.")
        case Status.BEHIND:
            return _("Vi ligger efter målet om %(goal)s.") % {
                "goal": goal(progress.target)
            }
        case Status.NOT_STARTED:
            return _("Målet är %(goal)s.") % {"goal": goal(progress.target)} + (
                _(" Inget av det som räknas mot målet är gjort ännu.")
                if anything_done
                else _(" Arbetet med det har inte börjat ännu.")
            )
    return ""


def draft_title(year: int, quarter: int) -> str:
    return _("Så arbetade vi med medborgarlöftet, kvartal %(quarter)d %(year)d") % {
        "quarter": quarter,
        "year": year,
    }


def figures_date(year: int, quarter: int) -> datetime.date:
    """The day a draft's figures are from: today, or the quarter's last day."""
    return min(quarter_span(year, quarter)[1], timezone.localdate())


def draft_text(promise: Promise, year: int, quarter: int) -> str:
    """The quarter told from public data only: a paragraph per commitment (what
    was promised, what was done in the quarter, where the year stands), the
    dialogues held and the problems fixed. Paragraphs are separated by blank lines.

    Takes a fixed number of queries.
    """
    starts_on, ends_on = quarter_span(year, quarter)
    as_of = figures_date(year, quarter)
    public = Activity.objects.public().filter(
        promise=promise,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
    )
    # Per commitment and kind: a target counts only its commitment's activities.
    counts = {
        (commitment, kind): n
        for commitment, kind, n in public.filter(commitments__isnull=False)
        .values_list("commitments", "kind")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("commitments", "kind", "n")
    }
    progress = promise_progress(promise, as_of)
    year_over = as_of >= promise.ends_on
    first_quarter = starts_on <= promise.starts_on

    intro = _(
        "Här berättar kommunen och polisen hur vi har arbetat med medborgarlöftet "
        "under kvartal %(quarter)d %(year)d (%(first)s–%(last)s)."
    ) % {
        "quarter": quarter,
        "year": year,
        "first": date_format(starts_on, "F"),
        "last": date_format(ends_on, "F"),
    }
    if as_of < ends_on:
        intro += _(" Siffrorna gäller till och med den %(date)s.") % {
            "date": date_format(as_of, "j F Y")
        }
    paragraphs = [intro]

    by_commitment: dict[int, list[TargetProgress]] = {}
    for target in progress.targets:
        by_commitment.setdefault(target.target.commitment_id, []).append(target)
    for targets in by_commitment.values():
        commitment = targets[0].target.commitment
        sentences = [
            _("Vi har lovat: %(commitment)s")
            % {"commitment": sentence(commitment.title)}
        ]
        for target in targets:
            in_quarter = counts.get((commitment.pk, target.target.kind), 0)
            so_far = year_sentence(target, year_over=year_over)
            sentences += [
                # In the promise's first quarter, the year so far says it all.
                ""
                if first_quarter and so_far
                else quarter_sentence(target, in_quarter),
                so_far,
                status_sentence(
                    target, anything_done=bool(in_quarter or target.activity_count)
                ),
            ]
        paragraphs.append(" ".join(s for s in sentences if s))

    dialogues = (
        public.filter(
            kind=Activity.Kind.DIALOGUE,
            publication_level=Activity.PublicationLevel.DETAIL,
        )
        .prefetch_related("districts")
        .order_by("starts_at")
    )
    held = []
    for dialogue in dialogues:
        where = [
            d.name for d in dialogue.districts.all() if d.name not in dialogue.title
        ]
        held.append(
            _("%(title)s hölls den %(date)s%(where)s.")
            % {
                "title": dialogue.title.strip().rstrip("."),
                "date": date_format(dialogue.local_date, "j F"),
                "where": _(" i %(districts)s") % {"districts": as_list(where)}
                if where
                else "",
            }
        )
    if held:
        paragraphs.append(" ".join(held))

    fixed = Finding.objects.public().filter(
        inventory__promise=promise, fixed_on__gte=starts_on, fixed_on__lte=ends_on
    )
    fixed_count = fixed.count()
    if fixed_count:
        paragraphs.append(
            ngettext(
                "%(n)d brist som hittades vid en trygghetsinventering åtgärdades "
                "under kvartalet.",
                "%(n)d brister som hittades vid trygghetsinventeringar åtgärdades "
                "under kvartalet.",
                fixed_count,
            )
            % {"n": fixed_count}
        )
    return "\n\n".join(paragraphs)


def build_report_draft(promise: Promise, *, year: int, quarter: int) -> QuarterlyReport:
    """Create the quarter's report as a draft, written from the data, to be edited.

    Raises ValidationError when the quarter already has a report or lies outside
    the promise.
    """
    report = QuarterlyReport(
        promise=promise,
        year=year,
        quarter=quarter,
        title=draft_title(year, quarter),
        body=draft_text(promise, year, quarter),
        figures_as_of=figures_date(year, quarter),
    )
    report.full_clean()
    report.save()
    return report


def refresh_report_draft(*, report: QuarterlyReport) -> bool:
    """Rewrite a draft's title and body from today's data, replacing what was
    edited in them. Returns whether they changed; nothing is saved when not.

    Raises ValidationError for a published report (what residents have read is
    never rewritten) and for a draft that no longer exists.
    """
    with transaction.atomic():
        saved = QuarterlyReport.objects.select_for_update().filter(pk=report.pk).first()
        if saved is None:
            raise ValidationError(_("Utkastet finns inte längre."), code="missing")
        if saved.is_published or report.is_published:
            raise ValidationError(
                _(
                    "Rapporten för kvartal %(quarter)d %(year)d är redan publicerad. "
                    "En publicerad rapport skrivs aldrig om från uppgifterna; "
                    "ändra den för hand om något behöver rättas."
                )
                % {"quarter": saved.quarter, "year": saved.year},
                code="published",
            )
        title = draft_title(saved.year, saved.quarter)
        body = draft_text(saved.promise, saved.year, saved.quarter)
        report.title, report.body = title, body
        if (saved.title, saved.body) == (title, body):
            return False
        saved.title, saved.body = title, body
        saved.figures_as_of = figures_date(saved.year, saved.quarter)
        saved.full_clean()
        saved.save(update_fields=["title", "body", "figures_as_of"])
    return True


def reports_due(promise: Promise, today: datetime.date, days: int = 14) -> list[str]:
    """Warnings for the coordinator: a quarter of the promise ending within `days`
    without a published report, or the last quarter ended without one. Called
    for last year's promise too: in January its fourth quarter is still due."""
    published = set(
        QuarterlyReport.objects.filter(
            promise=promise, status=QuarterlyReport.Status.PUBLISHED
        ).values_list("year", "quarter")
    )

    def in_promise(year: int, quarter: int) -> bool:
        start, end = quarter_span(year, quarter)
        return promise.starts_on <= end and start <= promise.ends_on

    warnings = []
    year, quarter = quarter_of(today)
    end = quarter_span(year, quarter)[1]
    if (
        in_promise(year, quarter)
        and (year, quarter) not in published
        and (end - today).days <= days
    ):
        warnings.append(
            _(
                "Kvartal %(quarter)d slutar %(date)s och ingen rapport till "
                "invånarna är publicerad för %(promise)s."
            )
            % {"quarter": quarter, "date": date_format(end, "j F"), "promise": promise}
        )
    previous = previous_quarter(year, quarter)
    if in_promise(*previous) and previous not in published:
        warnings.append(
            _(
                "Kvartal %(quarter)d %(year)d saknar en publicerad rapport (%(promise)s)."
            )
            % {"quarter": previous[1], "year": previous[0], "promise": promise}
        )
    return warnings
