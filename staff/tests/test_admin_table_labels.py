"""The admin's data tables name each value for a phone, and stay tables.

A change list and the start page's progress are tables with a caption and scope
on their header cells; each cell carries its column's name (data-label), which
static/css/admin.css shows before the value when the rows are stacked on a narrow
screen (in a browser: test_narrow_screens.py).
"""

import pytest

from promises.models import Activity, Target
from promises.tests.factories import (
    local,
    login_verified,
    make_activity,
    make_commitment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deployment(promise_haninge, haninge, police):
    make_commitment(
        promise_haninge,
        "Veckovisa utsättningar",
        kind=Activity.Kind.DEPLOYMENT,
        count=1,
        period=Target.Period.WEEK,
        weekday=Target.Weekday.FRIDAY,
    )
    return make_activity(
        promise_haninge,
        Activity.Kind.DEPLOYMENT,
        local(2026, 11, 27),
        districts=[haninge.districts.get(name="Jordbro")],
        organisations=[police],
        title="Fredagsutsättning",
    )


def change_list(html: str) -> str:
    return html[html.index('<table id="result_list">') :].split("</table>")[0]


def test_a_change_list_names_each_value_and_has_a_caption(
    client, liaison_haninge, deployment
):
    login_verified(client, liaison_haninge)
    html = client.get("/admin/promises/fridaydeployment/").content.decode()
    table = change_list(html)
    assert '<caption class="visually-hidden">Fredagsutsättningar</caption>' in table
    assert (
        f'<th data-label="Vecka" scope="row" class="field-week"><a href="'
        f'/admin/promises/fridaydeployment/{deployment.pk}/change/">48</a></th>'
    ) in table
    assert (
        '<td data-label="Datum" class="field-local_date nowrap">27 november 2026'
        in table
    )
    assert '<td data-label="Kommundelar" class="field-district_names">Jordbro' in table
    assert table.count("<td ") == table.count("<td data-label=")


def test_the_action_checkbox_has_no_name_of_markup(
    client, coordinator_haninge, deployment
):
    """The select-all column is named by a checkbox: its cells get no label."""
    login_verified(client, coordinator_haninge)
    html = client.get("/admin/promises/activity/").content.decode()
    table = change_list(html)
    assert '<td class="action-checkbox">' in table
    assert 'data-label="<' not in table
    assert '<th data-label="Publik rubrik" scope="row" class="field-title">' in table
    assert '<td data-label="Typ" class="field-kind">Fredagsutsättning</td>' in table


def test_the_start_pages_progress_names_each_value(
    client, coordinator_haninge, deployment
):
    login_verified(client, coordinator_haninge)
    html = client.get("/admin/").content.decode()
    table = html[html.index('<table class="stacked">') :].split("</table>")[0]
    assert "<caption>Så går det: Medborgarlöfte Haninge 2026</caption>" in table
    assert '<th scope="col">Hittills</th>' in table
    assert '<td data-label="Status"><strong>Efter</strong></td>' in table
    assert '<td data-label="Hittills">1 av 48 fredagar</td>' in table
