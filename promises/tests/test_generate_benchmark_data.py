import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from promises.management.commands.load_haninge import FOCUS_AREAS, HANINGE_DISTRICTS
from promises.models import Activity, Commitment, District, Finding, Promise, Target
from reports.models import IndicatorValue, QuarterlyReport

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_benchmark_data", *args, stdout=out)
    return out.getvalue()


def test_generates_years_of_promises_with_activities(client):
    output = generate("--years", "2", "--activities", "300")

    promises = Promise.objects.filter(municipality__slug="benchmark")
    this_year = timezone.localdate().year
    assert sorted(promises.values_list("year", flat=True)) == [
        this_year - 1,
        this_year,
    ]
    assert all(p.status == Promise.Status.PUBLISHED for p in promises)
    assert District.objects.filter(municipality__slug="benchmark").count() == len(
        HANINGE_DISTRICTS
    )
    commitments_per_promise = sum(len(c) for _, c in FOCUS_AREAS)
    assert (
        Commitment.objects.filter(focus_area__promise__in=promises).count()
        == 2 * commitments_per_promise
    )
    assert Target.objects.filter(commitment__focus_area__promise__in=promises).exists()
    activities = Activity.objects.filter(promise__in=promises)
    assert activities.count() == 300
    assert activities.filter(status=Activity.Status.DONE).count() > 150
    assert activities.filter(districts__isnull=True).count() == 0
    assert activities.filter(organisations__isnull=True).count() == 0
    assert Finding.objects.filter(inventory__promise__in=promises).exists()
    assert IndicatorValue.objects.filter(municipality__slug="benchmark").exists()
    assert QuarterlyReport.objects.published().filter(promise__in=promises).exists()
    assert "300 aktiviteter" in output
    assert "sekunder" in output

    last_year = this_year - 1
    assert Activity.objects.public().filter(promise__year=last_year).exists()
    assert client.get(f"/benchmark/{last_year}/", secure=True).status_code == 200


def test_refuses_to_run_twice():
    generate("--years", "1", "--activities", "10")
    with pytest.raises(CommandError, match="finns redan"):
        generate("--years", "1", "--activities", "10")
    assert Activity.objects.count() == 10
