"""A rule of the database is the form's error, never a 500 (issue 22, §5).

Django validates a model's constraints in its ModelForm only over the fields on
the form: a constraint on a field the form leaves out is checked by the
database alone, and breaking it is an IntegrityError. So every admin form is
gone over: each constraint's fields are on the form, or the field is set by the
code in a way that keeps the rule (HANDLED, with the reason)."""

import pytest
from django.contrib import admin
from django.db.models import CheckConstraint, F, Q, UniqueConstraint
from django.test import RequestFactory
from django.urls import resolve

from promises.models import Organisation, Priority, Promise, Target
from promises.tests.factories import login_verified
from reports.models import Evaluation, QuarterlyReport
from staff.tests.test_swedish_admin import visible_text

pytestmark = pytest.mark.django_db

# (model, field not on its admin form): how the rule is kept all the same.
HANDLED = {
    (Organisation, "police_area"): "OrganisationForm.clean(): an error on the kind",
    (Promise, "published_at"): "Publishable.save() stamps it with the status",
    (QuarterlyReport, "published_at"): "Publishable.save() stamps it",
    (Evaluation, "published_at"): "Publishable.save() stamps it",
    (Target, "weekday"): "TargetForm: set from 'hur ofta', with a count",
    (Priority, "evidence"): "written by the app (one district's quarter figures)",
}


def referenced_fields(expression) -> set[str]:
    if isinstance(expression, F):
        return {expression.name.split("__")[0]}
    return {
        name
        for source in expression.get_source_expressions()
        if source is not None
        for name in referenced_fields(source)
    }


def writes_a_length_limit_only(constraint) -> bool:
    """A length check (promises.fields.length_checks): a field the form leaves out
    keeps the value it has, which met the check when it was written."""
    return constraint.name.endswith("_max_length")


def constraint_fields(model, constraint) -> set[str]:
    names = set(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if isinstance(condition, Q):
        names |= {name.split("__")[0] for name in condition.referenced_base_fields}
    elif condition is not None:  # an expression, such as Length(F(...)) <= n
        names |= referenced_fields(condition)
    return {model._meta.get_field(name).name for name in names}


def test_every_constraint_of_an_admin_form_is_checked_by_the_form(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request, None)
        for constraint in model._meta.constraints:
            if not isinstance(constraint, CheckConstraint | UniqueConstraint):
                continue
            for field in constraint_fields(model, constraint) - set(form.base_fields):
                if (model, field) not in HANDLED:
                    unchecked.append((model.__name__, constraint.name, field))
    assert unchecked == []


@pytest.mark.parametrize("kind", ["", "inventory", "dialogue", "deployment"])
def test_every_constraint_of_an_admin_inline_is_checked_by_its_form(superuser, kind):
    """The same for the inlines (an inventory's findings, a dialogue's topics,
    a commitment's targets…); the key to the parent is set by the formset."""
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        path = f"/admin/{opts.app_label}/{opts.model_name}/add/"
        request = RequestFactory().get(path, {"kind": kind} if kind else {})
        request.user = superuser
        request.resolver_match = resolve(path)
        for inline in model_admin.get_inline_instances(request, None):
            formset = inline.get_formset(request, None)
            fields = {*formset.form.base_fields, formset.fk.name}
            for constraint in inline.model._meta.constraints:
                if writes_a_length_limit_only(constraint):
                    continue
                for field in constraint_fields(inline.model, constraint) - fields:
                    if (inline.model, field) not in HANDLED:
                        unchecked.append(
                            (inline.model.__name__, constraint.name, field)
                        )
    assert unchecked == []


def test_a_police_organisation_is_a_form_error_not_a_500(client, superuser, haninge):
    login_verified(client, superuser)
    response = client.post(
        "/admin/promises/organisation/add/",
        {"name": "Polisen i Haninge", "kind": "police", "municipality": haninge.pk},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Polisen läggs till som lokalpolisområde" in errors["kind"][0]
    assert "Polisen läggs till som lokalpolisområde" in " ".join(visible_text(response))
    assert not Organisation.objects.filter(name="Polisen i Haninge").exists()


def test_a_police_areas_organisation_stays_the_police(
    client, superuser, haninge, police
):
    login_verified(client, superuser)
    response = client.post(
        f"/admin/promises/organisation/{police.pk}/change/",
        {"name": police.name, "kind": "partner", "municipality": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["kind"] == ["Det här är ett lokalpolisområde: typen är Polisen."]
    response = client.post(
        f"/admin/promises/organisation/{police.pk}/change/",
        {"name": police.name, "kind": "police", "municipality": haninge.pk},
    )
    errors = response.context["adminform"].form.errors
    assert errors["municipality"] == [
        "Polisen hör till sitt lokalpolisområde, inte till en kommun."
    ]


def test_a_partner_is_added_as_before(client, superuser, haninge):
    login_verified(client, superuser)
    response = client.post(
        "/admin/promises/organisation/add/",
        {"name": "Haninge Bostäder", "kind": "partner", "municipality": haninge.pk},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Haninge Bostäder").municipality == haninge
