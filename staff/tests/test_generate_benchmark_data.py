import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext

from incidents.models import IncidentReport
from promises.demo import HANINGE_DISTRICTS
from promises.haninge import FOCUS_AREAS
from promises.models import (
    Activity,
    ActivityKind,
    Commitment,
    District,
    Finding,
    Promise,
    Target,
)
from promises.progress import promise_progress
from reports.models import IndicatorValue, QuarterlyReport
from staff.benchmark.activities import (
    HOURS,
    KIND_WEIGHTS,
)

# Years up to this one, whatever day it is.
pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def generate(*args):
    out = io.StringIO()
    if "--incidents" not in args:
        args = (*args, "--incidents", "200")  # the default's 50 000 is for benchmarks
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
    assert "200 händelserapporter" in output
    reports = IncidentReport.objects.filter(district__municipality__slug="benchmark")
    assert reports.count() == 200
    assert reports.values("district").distinct().count() > 5
    for report in reports[:20]:
        report.full_clean()  # the rows pass the models' rules
    assert "sekunder" in output

    last_year = this_year - 1
    assert Activity.objects.public().filter(promise__year=last_year).exists()
    assert client.get(f"/benchmark/{last_year}/", secure=True).status_code == 200


def test_refuses_to_run_twice():
    generate("--years", "1", "--activities", "10")
    with pytest.raises(CommandError, match="finns redan"):
        generate("--years", "1", "--activities", "10")
    assert Activity.objects.count() == 10


def test_the_rows_pass_the_models_rules_and_show_on_the_public_pages(client):
    generate("--years", "2", "--activities", "400")

    activities = Activity.objects.filter(promise__municipality__slug="benchmark")
    assert set(activities.values_list("kind", flat=True)) == set(KIND_WEIGHTS)
    for activity in activities.prefetch_related("districts", "organisations"):
        activity.full_clean()  # fields, validators, clean() and the constraints
        assert timezone.localtime(activity.starts_at).hour == HOURS[activity.kind]
        # Stored as Django stores them: an exact lookup finds the row again.
        assert activities.filter(pk=activity.pk, starts_at=activity.starts_at).exists()
        assert 1 <= len(activity.districts.all()) <= 2
        assert len(activity.organisations.all()) in (1, 2)
    findings = Finding.objects.filter(inventory__in=activities)
    assert findings.exists()
    for finding in findings.select_related("inventory"):
        finding.full_clean()
    # The database's own date functions read the stored times (text on SQLite).
    deployments = activities.filter(kind=ActivityKind.DEPLOYMENT)
    assert deployments.exists()
    assert deployments.filter(starts_at__iso_week_day=5).count() == deployments.count()

    promise = Promise.objects.get(
        municipality__slug="benchmark", year=timezone.localdate().year - 1
    )
    assert promise_progress(promise, as_of=promise.ends_on).has_activity
    commitment = Commitment.objects.filter(focus_area__promise=promise).first()
    district = District.objects.filter(municipality__slug="benchmark").first()
    base = f"/benchmark/{promise.year}/"
    for path in [
        base,
        f"{base}atagande/{commitment.pk}/",
        f"{base}kommundel/{district.slug}/",
    ]:
        assert client.get(path, secure=True).status_code == 200, path
    shown = activities.public_in_detail().filter(promise=promise).first()
    page = client.get(f"{base}aktivitet/{shown.pk}/", secure=True)
    assert page.status_code == 200
    assert shown.title in page.content.decode()
    assert "Benchmarkdata" not in page.content.decode()  # the internal notes


def test_national_scale_adds_municipalities_of_the_same_shape(client):
    output = generate(
        *("--years", "1", "--activities", "30", "--incidents", "20"),
        *("--municipalities", "3", "--other-activities", "41"),
    )

    activities = {
        slug: Activity.objects.filter(promise__municipality__slug=slug).count()
        for slug in ("benchmark", "benchmark-2", "benchmark-3")
    }
    assert activities == {"benchmark": 30, "benchmark-2": 21, "benchmark-3": 20}
    assert "2 kommuner till (Benchmark 2 … Benchmark 3): " in output
    assert "41 aktiviteter" in output
    for slug in ("benchmark-2", "benchmark-3"):
        assert District.objects.filter(municipality__slug=slug).count() == len(
            HANINGE_DISTRICTS
        )
        # Incident reports are the first municipality's only.
        assert not IncidentReport.objects.filter(
            district__municipality__slug=slug
        ).exists()
        year = timezone.localdate().year
        assert client.get(f"/{slug}/{year}/", secure=True).status_code == 200
    # Each municipality's activities name its own districts only.
    others = Activity.objects.filter(promise__municipality__slug="benchmark-2")
    assert others.exists()
    assert not others.exclude(districts__municipality__slug="benchmark-2").exists()

    with pytest.raises(CommandError, match="Benchmark 3"):
        generate("--municipality", "Benchmark 3", "--activities", "1")


def test_kinds_option_restricts_the_kinds():
    generate("--years", "1", "--activities", "50", "--kinds", "other,inventory")
    assert set(Activity.objects.values_list("kind", flat=True)) == {
        ActivityKind.OTHER,
        ActivityKind.INVENTORY,
    }
    with pytest.raises(CommandError, match="Okända typer"):
        generate("--municipality", "Annan", "--kinds", "nonsense")


def test_the_admin_lists_the_activities_a_page_at_a_time(admin_client):
    generate("--years", "2", "--activities", "120")

    response = admin_client.get("/admin/promises/activity/")
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == 120
    assert len(changelist.result_list) == 50
    newest = Activity.objects.order_by("-starts_at", "-id")[:50]
    assert list(changelist.result_list) == list(newest)
    # The date filter replaces the date hierarchy; its links need no query.
    assert changelist.date_hierarchy is None
    dates = next(f for f in changelist.filter_specs if f.field_path == "starts_at")
    this_year = next(
        c["query_string"]
        for c in dates.choices(changelist)
        if c["display"] == gettext("This year")
    )
    response = admin_client.get(f"/admin/promises/activity/{this_year}&q=Handen")
    assert response.status_code == 200
    found = response.context["cl"].result_list
    year = timezone.localdate().year
    expected = [
        a
        for a in Activity.objects.filter(promise__year=year)
        if "Handen" in a.title + a.summary + a.internal_notes
    ]
    assert {a.promise.year for a in found} <= {year}
    assert len(found) == min(50, len(expected))
