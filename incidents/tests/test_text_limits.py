"""Every text has a maximum length, checked before any pattern reads it: an
oversize text through the admin or the CSV import gets the length error, and the
personal-data check (which could otherwise keep a worker busy) never runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from incidents.models import IncidentReport
from incidents.tests.factories import category, make_report
from incidents.tests.test_incident_reports import ADD, add_form_defaults
from promises.tests.factories import login_verified

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:incidents_incidentreport_import")
# Personal data the check would find, then far more text than the field allows.
OVERSIZE = "Ring 070-123 45 67 " + "x" * 100_000


def test_an_oversize_note_in_the_admin_gets_the_length_error_only(
    client, haninge, partner_haninge
):
    login_verified(client, partner_haninge)
    form = client.get(ADD).content.decode()
    assert 'maxlength="4000"' in form  # the browser stops at the limit too
    data = add_form_defaults(client) | {
        "category": category().pk,
        "district": haninge.districts.get(name="Jordbro").pk,
        "place_type": IncidentReport.PlaceType.YARD,
        "place": OVERSIZE,
        "internal_note": OVERSIZE,
    }
    response = client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    for field, limit in (("place", 150), ("internal_note", 4000)):
        assert errors[field] == [
            f"Säkerställ att detta värde har som mest {limit} tecken "
            f"(den har {len(OVERSIZE)})."
        ]
    assert not IncidentReport.objects.exists()


def test_oversize_columns_in_the_csv_get_the_length_error_only(client, partner_haninge):
    login_verified(client, partner_haninge)
    text = (
        "datum;kommundel;kategori;typ_av_plats;plats;anteckning\n"
        f"2026-11-30;Handen;Klotter;Park;{OVERSIZE};Port 4\n"
        f"2026-11-30;Handen;Klotter;Park;Port 4;{OVERSIZE}\n"
    )
    file = SimpleUploadedFile("h.csv", text.encode(), "text/csv")
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200
    assert response.context["result"].error_lines() == [
        "Rad 2: Platsen är för lång (högst 150 tecken).",
        "Rad 3: Anteckningen är för lång (högst 4000 tecken).",
    ]
    assert not IncidentReport.objects.exists()


def test_the_database_refuses_an_oversize_text_too(haninge, housing_company):
    report = make_report(haninge.districts.get(name="Handen"), housing_company)
    report.internal_note = "x" * 4001
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()


def test_every_text_field_of_every_model_has_a_maximum():
    from django.apps import apps
    from django.db import models

    unbounded, unchecked = [], []
    for model in apps.get_models():
        if model._meta.app_label not in {"promises", "reports", "incidents", "staff"}:
            continue
        checks = {constraint.name for constraint in model._meta.constraints}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if not field.max_length or field.max_length > 20_000:
                unbounded.append(f"{model._meta.label}.{field.name}")
            table = f"{model._meta.app_label}_{model._meta.model_name}"
            if (
                isinstance(field, models.TextField)
                and not model._meta.proxy
                and not model._meta.model_name.startswith("historical")
                and f"{table}_{field.name}_max_length" not in checks
            ):
                unchecked.append(f"{model._meta.label}.{field.name}")
    assert unbounded == []
    assert unchecked == []
