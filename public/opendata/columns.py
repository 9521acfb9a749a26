"""What a dataset is: its columns, their types as the documentation names them,
and the rows they hold."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from promises.models import Promise

Row = dict[str, object]


# Column types, as the documentation names them.
INTEGER = _("heltal")
TEXT = _("text")
DATE = _("datum")
CODE = _("kod")
TEXT_LIST = _("textlista")
YES_NO = _("ja/nej")
DECIMAL = _("decimaltal")

TYPE_DOCS = {
    INTEGER: _("Ett heltal. Tomt (CSV) eller null (JSON) när uppgiften saknas."),
    TEXT: _("Fri text. Tomt (CSV) eller null (JSON) när uppgiften saknas."),
    DATE: _("Ett datum i svensk tid, ÅÅÅÅ-MM-DD."),
    CODE: _(
        "Ett fast värde på engelska som program kan lita på, t.ex. dialogue. "
        "Kolumnen bredvid med _namn i slutet har samma sak i klartext."
    ),
    TEXT_LIST: _(
        "Flera textvärden. I CSV åtskilda av semikolon och mellanslag (; ), "
        "i JSON en lista."
    ),
    YES_NO: _("I CSV ja eller nej, i JSON true eller false."),
    DECIMAL: _("Ett tal med punkt som decimaltecken, t.ex. 28.5."),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Dataset:
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Promise], Iterable[Row]]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]
