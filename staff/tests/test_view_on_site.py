"""The admin's "Visa på webbplatsen" (/admin/r/<content type>/<id>/, issue 23):
it leads to the public page of an object the user may see in the admin and that
residents can see; it never tells anyone the public address of another
municipality's object, a draft or an internal police deployment."""

import pytest
from django.contrib.contenttypes.models import ContentType

from promises.models import Activity, Promise
from promises.tests.factories import local, login_verified, make_activity
from reports.models import QuarterlyReport

pytestmark = pytest.mark.django_db


def on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


def published(promise: Promise, status=Promise.Status.PUBLISHED) -> Promise:
    promise.status = status
    promise.save()
    return promise


@pytest.fixture
def nynashamn_objects(promise_nynashamn):
    promise = published(promise_nynashamn)
    deployment = make_activity(promise, Activity.Kind.DEPLOYMENT, local(2026, 3, 13))
    dialogue = make_activity(promise, Activity.Kind.DIALOGUE, local(2026, 3, 6, 18))
    report = QuarterlyReport.objects.create(promise=promise, year=2026, quarter=1)
    return [promise, deployment, dialogue, report]


@pytest.mark.parametrize(
    "persona", ["coordinator_haninge", "liaison_haninge", "partner_haninge"]
)
def test_another_municipalitys_objects_are_404(
    client, request, persona, nynashamn_objects
):
    login_verified(client, request.getfixturevalue(persona))
    for obj in nynashamn_objects:
        response = client.get(on_site(obj))
        assert response.status_code == 404, obj
        assert "nynashamn" not in response.get("Location", "")


def test_a_draft_or_internal_object_has_no_public_address(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    published(promise_haninge, Promise.Status.DRAFT)
    deployment = make_activity(
        promise_haninge, Activity.Kind.DEPLOYMENT, local(2026, 3, 13)
    )
    report = QuarterlyReport.objects.create(
        promise=promise_haninge, year=2026, quarter=1
    )
    for obj in [promise_haninge, deployment, report]:
        response = client.get(on_site(obj), follow=True)
        assert response.redirect_chain[0][0].startswith("/admin/"), obj
        assert "finns ingen offentlig sida" in response.content.decode()
    published(promise_haninge)
    for obj in [deployment, report]:  # internal in detail; a draft report
        response = client.get(on_site(obj))
        assert response["Location"].startswith("/admin/"), obj


def test_a_published_object_leads_to_its_public_page(
    client, coordinator_haninge, promise_haninge
):
    login_verified(client, coordinator_haninge)
    promise = published(promise_haninge)
    dialogue = make_activity(promise, Activity.Kind.DIALOGUE, local(2026, 3, 6, 18))
    for obj in [promise, dialogue]:
        response = client.get(on_site(obj))
        assert response.status_code == 302
        assert response["Location"].endswith(obj.get_absolute_url())
