"""The formats: CSV (never read as a formula by a spreadsheet), JSON and the
calendar of dialogues (.ics), written in pieces so that a large download runs in
flat memory."""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event

from promises.csv_files import CsvWriter
from promises.models import Activity, Promise

from .columns import Dataset

PIECE_SIZE = 64 * 1024  # characters per piece of a streamed response


class _Echo:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value: str) -> str:
        return value


def _in_pieces(parts: Iterable[str]) -> Iterator[str]:
    """Join small strings into pieces of about PIECE_SIZE characters."""
    buffer, size = [], 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= PIECE_SIZE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def csv_stream(dataset: Dataset, promise: Promise) -> Iterator[str]:
    """UTF-8 CSV (RFC 4180): a header row of the column names, then the rows."""
    writer = CsvWriter(_Echo())
    names = dataset.column_names

    def lines():
        yield writer.writerow(names)
        for row in dataset.rows(promise):
            yield writer.writerow([row[name] for name in names])

    return _in_pieces(lines())


def json_stream(dataset: Dataset, promise: Promise) -> Iterator[str]:
    """A JSON array of objects, one per row, keys in column order."""
    names = dataset.column_names

    def parts():
        yield "["
        separator = "\n"
        for row in dataset.rows(promise):
            yield separator
            yield json.dumps({name: row[name] for name in names}, ensure_ascii=False)
            separator = ",\n"
        yield "\n]\n"

    return _in_pieces(parts())


PRODID = "-//Medborgarlöfte//Trygghetsdialoger//SV"


def dialogue_calendar(
    promise: Promise,
    dialogues: Iterable[Activity],
    absolute_url: Callable[[str], str],
) -> bytes:
    """The announced safety dialogues as an iCalendar file (RFC 5545), times in UTC.

    `dialogues` come from `Activity.objects.announced()`, with promise, municipality
    and districts loaded; `absolute_url` turns a path into a full URL.
    """
    municipality = promise.municipality
    calendar = Calendar.new(
        prodid=PRODID,
        name=str(
            _("Trygghetsdialoger i %(municipality)s") % {"municipality": municipality}
        ),
        description=str(
            _(
                "Kommande trygghetsdialoger i %(municipality)s: öppna möten där "
                "invånarna berättar för polisen och kommunen vad som känns otryggt. "
                "Ur %(promise)s."
            )
            % {"municipality": municipality, "promise": promise.title}
        ),
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=datetime.timedelta(days=1),
        url=absolute_url(promise.get_absolute_url()),
        uid=f"promise-{promise.pk}-dialogues@medborgarlofte",
    )
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for dialogue in dialogues:
        calendar.add_component(_dialogue_event(dialogue, absolute_url, stamp))
    return calendar.to_ical()


def dialogue_event(dialogue: Activity, absolute_url: Callable[[str], str]) -> bytes:
    """One announced dialogue as an iCalendar file: "Lägg till i kalender". The
    same event (uid) as in the whole calendar, so that a calendar with both
    shows it once."""
    calendar = Calendar.new(
        prodid=PRODID, method="PUBLISH", calscale="GREGORIAN", name=dialogue.title
    )
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    calendar.add_component(_dialogue_event(dialogue, absolute_url, stamp))
    return calendar.to_ical()


def _dialogue_event(dialogue: Activity, absolute_url, stamp) -> Event:
    url = absolute_url(dialogue.get_absolute_url())
    places = [district.name for district in dialogue.districts.all()]
    return Event.new(
        uid=f"activity-{dialogue.pk}@medborgarlofte",
        stamp=stamp,
        start=_utc(dialogue.starts_at),
        end=_utc(dialogue.ends_at) if dialogue.ends_at else None,
        summary=dialogue.title,
        description="\n\n".join(filter(None, [dialogue.summary, url])),
        location=", ".join(
            filter(None, [dialogue.venue, *places, dialogue.promise.municipality.name])
        ),
        url=url,
    )


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(microsecond=0)
