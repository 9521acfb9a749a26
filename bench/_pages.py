"""Shared helpers for the bench scripts: Django setup and the public pages to measure."""

import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Configure Django from the environment, as manage.py does, for a bench script."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijkl")
    # Plain http through the test client, no collectstatic needed.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    import django

    django.setup()


def public_pages(municipality: str) -> dict[str, str]:
    """One URL per public page type for the municipality's latest published promise.

    Call after setup_django(). The report page is the latest published quarterly
    report of any of its promises.
    """
    from django.urls import reverse

    from promises.models import Commitment, Promise
    from reports.models import QuarterlyReport

    promise = (
        Promise.objects.published()
        .select_related("municipality")
        .filter(municipality__slug=municipality)
        .order_by("-year")
        .first()
    )
    if promise is None:
        raise SystemExit(f"No published promise for {municipality!r}.")
    slug, year = promise.municipality.slug, promise.year
    commitment = (
        Commitment.objects.filter(focus_area__promise=promise)
        .order_by("focus_area__order", "order")
        .first()
    )
    district = promise.municipality.districts.order_by("name").first()
    report = (
        QuarterlyReport.objects.published()
        .filter(promise__municipality=promise.municipality)
        .select_related("promise")
        .order_by("-year", "-quarter")
        .first()
    )
    pages = {
        "healthz": "/healthz",
        "overview": reverse("promises:overview", args=[slug, year]),
        "commitment": reverse("promises:commitment", args=[slug, year, commitment.pk]),
        "district": reverse("promises:district", args=[slug, year, district.slug]),
    }
    if report is not None:
        pages["report"] = reverse(
            "reports:report",
            args=[slug, report.promise.year, report.year, report.quarter],
        )
    return pages
