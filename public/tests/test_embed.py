"""The embeddable progress widget: the one page other sites may frame."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from promises.models import Activity, Promise, Target
from promises.progress import promise_progress
from promises.tests.factories import local, make_activity, make_commitment, make_promise

PROJECT = Path(__file__).resolve().parents[2]
EMBED = "/haninge/2026/inbaddning/"


@pytest.fixture
def promise(promise_haninge, haninge, police, haninge_kommun):
    dialogues = make_commitment(
        promise_haninge,
        "Minst fyra trygghetsdialoger",
        kind=Activity.Kind.DIALOGUE,
        count=4,
        period=Target.Period.YEAR,
    )
    make_commitment(
        promise_haninge,
        "Synlig närvaro",
        kind=Activity.Kind.PRESENCE,
        period=Target.Period.QUARTER,
    )
    dialogues.internal_notes = "HEMLIG anteckning"
    dialogues.save()
    make_activity(
        promise_haninge,
        Activity.Kind.DIALOGUE,
        local(2026, 3, 25, 18),
        districts=[haninge.districts.get(name="Handen")],
        organisations=[police, haninge_kommun],
    )
    return promise_haninge


def test_the_widget_shows_each_commitments_progress_linking_to_the_top_page(
    client, promise
):
    response = client.get(EMBED)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Medborgarlöfte Haninge 2026: så går det</h1>" in html
    for commitment in promise.focus_areas.get().commitments.all():
        link = f'<a href="/haninge/2026/atagande/{commitment.pk}/" target="_top">'
        assert f"{link}{commitment.title}</a>" in html
    assert "1 av 4 trygghetsdialoger" in html
    assert '<progress max="100" value="25"' in html
    status = promise_progress(promise).targets[0].status
    assert f'<span class="status">{status.label}</span>' in html
    assert '<a href="/haninge/2026/" target="_top">' in html
    assert "site-header" not in html and "site-footer" not in html
    assert "HEMLIG" not in html


def test_the_widget_may_be_framed_by_the_allowed_sites_only(client, promise):
    response = client.get(EMBED)
    assert "X-Frame-Options" not in response
    policy = [p.strip() for p in response["Content-Security-Policy"].split(";")]
    assert "frame-ancestors 'self'" in policy
    # The site's own policy (settings.SECURE_CSP), with the widget's frame-ancestors.
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" not in policy


def test_every_other_page_refuses_to_be_framed(client, promise):
    for url in [
        "/haninge/2026/",
        "/haninge/2026/oppna-data/",
        "/haninge/2026/oppna-data/framsteg.csv",
        "/haninge/2026/trygghetsdialoger.ics",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
        policy = [p.strip() for p in response["Content-Security-Policy"].split(";")]
        assert "frame-ancestors 'none'" in policy, url


def test_the_allowed_sites_come_from_the_setting(client, promise, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["self", "https://www.haninge.se https://*.x.se"]
    policy = client.get(EMBED)["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.haninge.se https://*.x.se" in policy
    settings.EMBED_ALLOWED_ORIGINS = []
    assert "frame-ancestors 'none'" in client.get(EMBED)["Content-Security-Policy"]


@pytest.mark.parametrize(
    "origin", ["https://x.se; script-src *", "https://x.se,", "'unsafe-inline'"]
)
def test_a_setting_that_would_inject_into_the_policy_is_refused(
    client, promise, settings, origin
):
    settings.EMBED_ALLOWED_ORIGINS = ["'self'", origin]
    with pytest.raises(ImproperlyConfigured):
        client.get(EMBED)


def test_the_widget_keeps_the_sites_own_policy_when_it_has_one(
    client, promise, settings
):
    settings.SECURE_CSP = {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.haninge.se"]
    policy = client.get(EMBED)["Content-Security-Policy"]
    assert policy == "default-src 'self'; frame-ancestors https://www.haninge.se"


def embed_setting(**env) -> str:
    base = {k: v for k, v in os.environ.items() if k != "EMBED_ALLOWED_ORIGINS"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.EMBED_ALLOWED_ORIGINS, settings.X_FRAME_OPTIONS)",
        ],
        cwd=PROJECT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "medborgarlofte.settings",
            "SECRET_KEY": "x" * 50,
            **env,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow  # a process of its own (conftest.py)
def test_the_setting_is_read_from_the_environment():
    assert embed_setting() == "[\"'self'\"] DENY"
    assert embed_setting(EMBED_ALLOWED_ORIGINS="'self',https://www.haninge.se") == (
        "[\"'self'\", 'https://www.haninge.se'] DENY"
    )


def test_a_draft_promise_has_no_widget(client, haninge):
    make_promise(haninge, 2027, status=Promise.Status.DRAFT)
    assert client.get("/haninge/2027/inbaddning/").status_code == 404


def test_the_open_data_page_gives_the_embed_code(client, promise):
    html = client.get("/haninge/2026/oppna-data/").content.decode()
    assert (
        '&lt;iframe src="http://testserver/haninge/2026/inbaddning/" '
        'title="Medborgarlöftet: så går det" width="100%" height="600" '
        'loading="lazy"&gt;&lt;/iframe&gt;'
    ) in html
    assert f'<a href="{EMBED}">' in html


def test_the_widget_runs_a_fixed_number_of_queries(
    client, promise, haninge, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        client.get(EMBED)
    for day in range(1, 29):
        make_activity(promise, Activity.Kind.DIALOGUE, local(2026, 2, day, 18))
    with django_assert_num_queries(len(few)):
        client.get(EMBED)
