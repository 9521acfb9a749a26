"""A second, small municipality in the demo: each user sees only their own."""

import datetime

from ..models import (
    Activity,
    Commitment,
    FocusArea,
    Municipality,
    Organisation,
    Promise,
    Target,
)
from .activities import Kind, demo_activity
from .places import (
    NYNASHAMN,
    NYNASHAMN_DISTRICTS,
    POLICE,
    load_municipality,
    load_police_area,
    upsert,
)


def load_nynashamn(today: datetime.date) -> Municipality:
    """A second, small municipality: each user sees only their own."""
    nynashamn = load_municipality("Nynäshamn", NYNASHAMN_DISTRICTS)
    load_police_area(nynashamn)
    upsert(
        Organisation,
        {"name": NYNASHAMN, "municipality": nynashamn},
        {"kind": Organisation.Kind.MUNICIPALITY},
    )
    year = today.year
    promise = upsert(
        Promise,
        {"municipality": nynashamn, "year": year},
        {
            "title": f"Medborgarlöfte Nynäshamn {year}",
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year, 12, 31),
            "introduction": "Demodata: ett kort medborgarlöfte för att visa att "
            "flera kommuner delar samma installation.",
            "status": Promise.Status.PUBLISHED,
            "is_demo": True,
        },
    )
    area = upsert(
        FocusArea, {"promise": promise, "title": "Trygghet i centrum"}, {"order": 1}
    )
    commitment = upsert(
        Commitment,
        {"focus_area": area, "title": "Trygghetsvandringar i centrum"},
        {
            "description": "Polis och kommun går trygghetsvandringar i Nynäshamns "
            "centrum."
        },
    )
    commitment.responsible_organisations.set(nynashamn.own_parties().values())
    upsert(
        Target,
        {
            "commitment": commitment,
            "kind": Activity.Kind.INVENTORY,
            "count": 1,
            "period": Target.Period.HALF_YEAR,
        },
    )
    for day in [datetime.date(year, 4, 22), datetime.date(year, 10, 14)]:
        if day <= today:
            demo_activity(
                promise,
                Kind.INVENTORY,
                day,
                hour=18,
                districts=["Nynäshamn"],
                organisations=[POLICE, NYNASHAMN],
                title="Trygghetsvandring i Nynäshamns centrum",
            )
    return nynashamn
