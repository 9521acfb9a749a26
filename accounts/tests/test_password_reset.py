"""Glömt lösenordet? (/admin/password_reset/, issue 23): a user onboarded but
who never chose a password gets the link too; the page answers the same, with
the same work done in the request, for a known and an unknown address (the mail
is written and sent by the background worker); and it is throttled per address
and per client address, with a Swedish message."""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands import db_worker

from promises.tests.factories import make_user

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
THROTTLED = "För många förfrågningar"


def run_the_worker() -> None:
    """What `manage.py db_worker` does: run the queued tasks (inside the test's
    transaction, as staff/tests/test_export.py does)."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")


def ask(client, email, ip="10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture
def never_activated(haninge):
    """As "Ny kommun" leaves a new person: no password until they choose one."""
    user = make_user("ny_samordnare", None, [haninge], email="ny@haninge.se")
    user.set_unusable_password()
    user.save()
    return user


def test_a_user_who_never_chose_a_password_gets_the_link(client, never_activated):
    response = ask(client, "NY@haninge.se")
    assert response.status_code == 302
    run_the_worker()
    assert [m.to for m in mail.outbox] == [["ny@haninge.se"]]
    assert "/konto/losenord/" in mail.outbox[0].body


def test_an_inactive_user_gets_nothing(client, never_activated):
    never_activated.is_active = False
    never_activated.save()
    assert ask(client, "ny@haninge.se").status_code == 302
    run_the_worker()
    assert mail.outbox == []


def test_known_and_unknown_addresses_do_the_same_work(client, haninge):
    make_user("samordnare", None, [haninge], email="samordnare@haninge.se")
    counts, statuses = [], []
    for email in ["samordnare@haninge.se", "finns-inte@haninge.se"]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email, ip=email)
        statuses.append((response.status_code, response["Location"]))
        counts.append([q["sql"].split()[0] for q in queries.captured_queries])
        assert mail.outbox == []  # nothing is sent in the request
    assert statuses[0] == statuses[1]
    assert counts[0] == counts[1]
    run_the_worker()
    assert [m.to for m in mail.outbox] == [["samordnare@haninge.se"]]


def test_throttled_per_address(client, never_activated):
    for number in range(3):
        assert ask(client, "ny@haninge.se", ip=f"10.0.0.{number}").status_code == 302
    response = ask(client, "ny@haninge.se", ip="10.0.0.9")
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    run_the_worker()
    assert len(mail.outbox) == 3


def test_throttled_per_client_address(client, never_activated):
    for number in range(10):
        assert ask(client, f"person{number}@example.se").status_code == 302
    response = ask(client, "ny@haninge.se")
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert ask(client, "ny@haninge.se", ip="10.0.0.2").status_code == 302
