"""README.txt of the export: what it is, when and by whom it was made, what it
leaves out, and each file and column, in Swedish."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .tables import Table, left_out_for

COLUMN_DOCS = {
    "user_username": _("användarens användarnamn"),
    "history_id": _("historikradens id"),
    "history_date": _("när ändringen gjordes"),
    "history_change_reason": _("skäl till ändringen"),
    "history_type": _("skapad, ändrad eller borttagen"),
    "history_user_id": _("användaren som gjorde ändringen (id)"),
    "history_user_username": _("användaren som gjorde ändringen (användarnamn)"),
}


def describe(table: Table, header: str, files: dict) -> str:
    """A column's meaning, in Swedish, for README.txt."""
    field = next(
        (f for f in table.model._meta.concrete_fields if f.attname == header), None
    )
    if field is not None and field.name == "history":
        # A many-to-many history row belongs to a version of its object.
        return str(_("versionen (history_id i %(file)s)")) % {
            "file": files.get(field.related_model)
        }
    if header in COLUMN_DOCS:
        return str(COLUMN_DOCS[header])
    if field is None:
        return header
    if field.name in ("id", "m2m_history_id"):
        return str(_("radens id"))
    name = str(field.verbose_name)
    if field.is_relation:
        if name == field.name.replace("_", " "):  # an auto-created link table
            name = str(field.related_model._meta.verbose_name)
        related = files.get(field.related_model)
        name = (
            str(_("%(name)s (id i %(file)s)")) % {"name": name, "file": related}
            if related
            else str(_("%(name)s (id)")) % {"name": name}
        )
    if field.choices:
        name += str(_(" (kod)"))
    return name


def readme(municipality, user, exported_at, counts: list[tuple[Table, int]]) -> str:
    files = {t.model: t.filename for t, _count in counts}
    lines = [
        str(_("Export av all data för %(name)s")) % {"name": municipality.name},
        "",
        str(_("Exporterad: %(time)s"))
        % {"time": timezone.localtime(exported_at).strftime("%Y-%m-%d %H:%M:%S %Z")},
        str(_("Exporterad av: %(user)s")) % {"user": user.get_username()},
        "",
        str(
            _(
                "Varje tabell är en CSV-fil i UTF-8 med BOM, med semikolon (;) mellan "
                "kolumnerna och kolumnernas namn på första raden, så att Excel öppnar "
                "den. Alla fält ingår, även interna. Raderna kopplas ihop med id: en "
                "kolumn som slutar på _id är id:t för en rad i en annan fil. Tid anges "
                "i svensk tid enligt ISO 8601 med avvikelsen från UTC, datum som "
                "ÅÅÅÅ-MM-DD, ja/nej-fält som ja eller nej, val som koder på engelska. "
                "En text som börjar med = + - @ har fått en apostrof (') först, så att "
                "ett kalkylprogram inte läser den som en formel."
            )
        ),
        "",
    ]
    left_out = left_out_for(user)
    if left_out:
        lines += [str(_("Ingår inte:")), *(f"- {item}" for item in left_out), ""]
    for table, count in counts:
        lines += [
            f"{table.filename} ("
            + ngettext("%(count)d rad", "%(count)d rader", count) % {"count": count}
            + ")",
            f"  {table.description}",
        ]
        lines += [
            f"  - {header}: {describe(table, header, files)}"
            for header, _unused in table.columns
        ]
        lines.append("")
    return "\r\n".join(lines)
