"""Haninge's demo shows the same figures on every public page as it did before
activities were linked to their commitments (issue 20): the migration that linked
them changed no number a resident reads.

The figures are what the public pages, the widget and the open data say about
progress and what was done: the targets' statuses, summaries and bars, the
overview's sentence, the weeks with a deployment, the counts per quarter, the
lists of activities (date, title, districts), the pagination, and the open data's
progress, periods, summary and weeks; by title and sentence, not by id, so that
they compare on any database. Not the rest of the pages' words, which other
changes may add to.

The golden file, public/tests/data/haninge_figures.json, was written on main
before the change (commit 3ead160), from the demo of the suite's day, with:

    WRITE_FIGURES=1 .venv/bin/pytest public/tests/test_haninge_figures.py

Write it again only for a change that is meant to change what Haninge's pages say.
"""

import importlib
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache

from promises.models import Activity, ActivityDay, Commitment, District, Promise, Target

from .figures import csv_rows, page_figures

GOLDEN = Path(__file__).parent / "data" / "haninge_figures.json"
# A district's indicators, which no activity moves: the demo's incident counts in
# them are drawn with Haninge's id as the seed (incidents/demo.py), which differs
# from run to run on PostgreSQL, whose sequences a rollback does not reset.
# The districts' indicators (one table, then a trend table per indicator): not
# activities' figures, and the demo's incident counts are drawn at random.
INDICATORS = "table: Indikatorer för"
TREND = ", period för period "


def public_figures(client) -> dict:
    """Every public figure of the demo's published promises."""
    figures = {}
    for promise in Promise.objects.published().select_related("municipality"):
        base = f"/{promise.municipality.slug}/{promise.year}/"
        commitments = Commitment.objects.filter(promise=promise).order_by(
            "focus_area__order", "order", "title"
        )
        targets = {
            str(t.pk): f"{t.commitment.title}: {t}"
            for t in Target.objects.filter(commitment__promise=promise)
        }
        titles = {str(c.pk): c.title for c in commitments}
        figures[base] = page_figures(client, base)
        figures[f"{base}inbaddning/"] = page_figures(client, f"{base}inbaddning/")
        for commitment in commitments:
            url = f"{base}atagande/{commitment.pk}/"
            figures[f"{base}atagande/{commitment.title}/"] = page_figures(client, url)
        for district in District.objects.filter(municipality=promise.municipality):
            url = f"{base}kommundel/{district.slug}/"
            figures[url] = [
                figure
                for figure in page_figures(client, url)
                if not figure.startswith(INDICATORS) and TREND not in figure
            ]
        names = {"mal_id": targets, "atagande_id": titles}
        for dataset in (
            "framsteg",
            "framsteg-perioder",
            "sammanstallning",
            "utsattningsveckor",
        ):
            url = f"{base}oppna-data/{dataset}.csv"
            # Who promises (lovar, parter) is words, not a figure: added since.
            figures[url] = csv_rows(
                client, url, drop=("id", "lovar", "parter"), names=names
            )
        url = f"{base}oppna-data/aktiviteter.csv"
        figures[url] = [
            {k: row[k] for k in ("datum", "typ", "rubrik", "kommundelar")}
            for row in csv_rows(client, url)
        ]
    return figures


def as_before(figures, golden):
    """The figures in the golden file's shape: an open-data file's rows with the
    columns it had (columns added since, such as who promises, are not figures)."""
    if isinstance(figures, list) and isinstance(golden, list):
        return [
            {key: row.get(key) for key in old} if isinstance(old, dict) else row
            for row, old in zip(figures, golden, strict=False)
        ] + figures[len(golden) :]
    return figures


@pytest.mark.django_db
def test_haninges_public_figures_are_those_of_before_the_links(client, haninge_demo):
    figures = public_figures(client)
    if os.environ.get("WRITE_FIGURES"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(
            json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        )
        pytest.skip(f"wrote {GOLDEN}")
    golden = json.loads(GOLDEN.read_text())
    assert figures.keys() == golden.keys()
    for page, expected in golden.items():
        assert as_before(figures[page], expected) == expected, page


@pytest.mark.django_db
def test_the_migration_links_the_demo_as_the_demo_links_itself(client, haninge_demo):
    """The demo of a database from before the links, linked by the migration
    (0021: no links, then those it makes), shows the golden figures too."""
    links = set(
        Activity.commitments.through.objects.values_list("activity", "commitment")
    )
    Activity.commitments.through.objects.all().delete()
    ActivityDay.objects.all().delete()
    migration = importlib.import_module(
        "promises.migrations.0021_link_activities_to_commitments"
    )
    migration.link_to_the_counting_commitments(apps, None)
    migration.group_by_commitment(apps, None)
    cache.clear()
    assert (
        set(Activity.commitments.through.objects.values_list("activity", "commitment"))
        == links
    )
    golden = json.loads(GOLDEN.read_text())
    figures = public_figures(client)
    for page, expected in golden.items():
        assert as_before(figures[page], expected) == expected, page
