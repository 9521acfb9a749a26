"""The municipality export as a background job, as the coordinator meets it.

They ask for it on the export page, a worker (`manage.py db_worker`) builds it,
and the page then offers the ZIP, to them alone, for seven days. The contents of
the ZIP are tested in test_export.py.
"""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from promises.roles import COORDINATOR
from promises.tests.factories import login_verified, make_activity, make_user
from staff import export, tasks
from staff.models import MunicipalityExport, MunicipalityExportPart

from .test_export import download, download_link, export_url, run_the_worker

pytestmark = pytest.mark.django_db

# A Tuesday in December; the exports kept seven days run to the next Tuesday.
ASKED = "2026-12-01 10:00 +01:00"


def page(client, municipality) -> str:
    response = client.get(export_url(municipality))
    assert response.status_code == 200
    return response.content.decode()


def ask(client, municipality) -> str:
    """Press "Bygg en ny export"; the page it goes back to."""
    response = client.post(export_url(municipality), follow=True)
    assert response.redirect_chain == [(export_url(municipality), 302)]
    return response.content.decode()


def test_the_page_shows_the_export_queued_then_ready(
    client, coordinator_haninge, haninge, promise_haninge
):
    make_activity(promise_haninge)
    login_verified(client, coordinator_haninge)
    assert "Du har inga exporter ännu." in page(client, haninge)
    with time_machine.travel(ASKED, tick=False):
        queued = ask(client, haninge)
    assert "Exporten byggs." in queued
    assert "I kö" in queued
    assert "/exportera/" not in queued.split('id="exports"')[1].split("</table>")[0]
    assert "2026-12-08" in queued  # kept until

    run_the_worker()

    ready = page(client, haninge)
    assert "I kö" not in ready
    assert "Ladda ner ZIP-filen från 2026-12-01" in ready
    job = MunicipalityExport.objects.get()
    assert job.status == MunicipalityExport.Status.READY
    response = client.get(download_link(client, haninge))
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="medborgarlofte-haninge-2026-12-01.zip"'
    )
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body) == job.size
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    assert "aktiviteter.csv" in archive.namelist()
    assert "Exporterad: 2026-12-01 10:00:00 CET" in archive.read("README.txt").decode(
        "utf-8-sig"
    )


def test_asking_again_while_it_is_built_queues_nothing_more(
    client, coordinator_haninge, haninge
):
    login_verified(client, coordinator_haninge)
    ask(client, haninge)
    again = ask(client, haninge)
    assert "Din förra export byggs fortfarande." in again
    assert MunicipalityExport.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    run_the_worker()
    ask(client, haninge)  # built: a new one may be asked for
    assert MunicipalityExport.objects.count() == 2


def test_the_database_keeps_one_pending_export_per_user_and_municipality(
    coordinator_haninge, haninge
):
    MunicipalityExport.objects.create(
        municipality=haninge, requested_by=coordinator_haninge
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityExport.objects.create(
            municipality=haninge,
            requested_by=coordinator_haninge,
            status=MunicipalityExport.Status.RUNNING,
        )


def test_a_large_export_is_stored_and_sent_in_parts(
    client, monkeypatch, coordinator_haninge, haninge, promise_haninge
):
    for _ in range(5):
        make_activity(promise_haninge)
    monkeypatch.setattr(tasks, "PART_SIZE", 1000)
    response = download(client, coordinator_haninge, haninge)
    job = MunicipalityExport.objects.get()
    parts = MunicipalityExportPart.objects.filter(export=job).count()
    assert parts == -(-job.size // 1000) > 2
    with CaptureQueriesContext(connection) as queries:
        body = b"".join(response.streaming_content)
    assert len(queries) == parts  # one part read at a time
    assert len(body) == job.size
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None


def test_an_export_is_kept_seven_days(client, coordinator_haninge, haninge):
    with time_machine.travel(ASKED, tick=False):
        login_verified(client, coordinator_haninge)
        ask(client, haninge)
        run_the_worker()
        link = download_link(client, haninge)
    with time_machine.travel("2026-12-08 09:59 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert client.get(link).status_code == 200
    with time_machine.travel("2026-12-08 10:01 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert client.get(link).status_code == 404
        assert "Du har inga exporter ännu." in page(client, haninge)
    assert not MunicipalityExport.objects.exists()
    assert not MunicipalityExportPart.objects.exists()


def test_a_failed_build_says_so_and_may_be_asked_for_again(
    client, monkeypatch, coordinator_haninge, haninge
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(export, "write_export", broken)
    login_verified(client, coordinator_haninge)
    ask(client, haninge)
    run_the_worker()
    failed = page(client, haninge)
    assert "Misslyckades: försök igen" in failed
    assert "the database went away" not in failed
    assert not MunicipalityExportPart.objects.exists()
    assert DBTaskResult.objects.get().status == "FAILED"
    monkeypatch.undo()
    ask(client, haninge)
    run_the_worker()
    assert "Ladda ner ZIP-filen" in page(client, haninge)


def test_an_export_lost_by_its_worker_stops_blocking_after_two_hours(
    client, coordinator_haninge, haninge
):
    with time_machine.travel(ASKED, tick=False):
        login_verified(client, coordinator_haninge)
        ask(client, haninge)
        DBTaskResult.objects.all().delete()  # the worker was stopped in the middle
    with time_machine.travel("2026-12-01 11:59 +01:00", tick=False):
        login_verified(client, coordinator_haninge)  # a new session, hours later
        assert "byggs fortfarande" in ask(client, haninge)
    with time_machine.travel("2026-12-01 12:01 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert "Exporten byggs." in ask(client, haninge)
        run_the_worker()
        shown = page(client, haninge)
    assert "Misslyckades" in shown
    assert "Ladda ner ZIP-filen" in shown
    assert list(
        MunicipalityExport.objects.order_by("pk").values_list("status", flat=True)
    ) == ["failed", "ready"]


def test_a_colleague_neither_sees_nor_downloads_anothers_export(
    client, coordinator_haninge, haninge
):
    download(client, coordinator_haninge, haninge)
    link = download_link(client, haninge)
    colleague = make_user("samordnare2_haninge", COORDINATOR, [haninge])
    login_verified(client, colleague)
    assert "Du har inga exporter ännu." in page(client, haninge)
    assert client.get(link).status_code == 404


def test_an_export_with_the_lagesbild_needs_that_permission_at_download(
    client, haninge
):
    reader = make_user("lagesbild_haninge", COORDINATOR, [haninge])
    reader.user_permissions.add(
        Permission.objects.get(
            codename="view_operationalpicture", content_type__app_label="promises"
        )
    )
    response = download(client, reader, haninge)
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "lagesbilder.csv" in names
    assert MunicipalityExport.objects.get().includes_lagesbild
    link = download_link(client, haninge)
    reader.user_permissions.clear()
    assert client.get(link).status_code == 404


def test_an_export_queued_outside_the_page_is_built_too(coordinator_haninge, haninge):
    """`tasks.request_export` (e.g. from `manage.py shell`), then the worker."""
    job, created = tasks.request_export(haninge, coordinator_haninge)
    assert created
    run_the_worker()
    job.refresh_from_db()
    assert job.status == MunicipalityExport.Status.READY
    assert job.size > 0


def worker_stopped_while_building(started: str) -> None:
    """The worker claimed the export and was then killed (no exception, no
    'failed'): the job says running, and its task is gone."""
    MunicipalityExport.objects.update(
        status=MunicipalityExport.Status.RUNNING,
        started_at=datetime.datetime.fromisoformat(started),
    )
    DBTaskResult.objects.all().delete()


def test_a_killed_worker_is_noticed_within_minutes(
    client, coordinator_haninge, haninge
):
    """Issue 23: it said "byggs fortfarande" for two hours. A working worker
    marks its export alive (heartbeat) every half minute; one silent for five
    minutes was stopped, and the user may ask again."""
    with time_machine.travel(ASKED, tick=False):
        login_verified(client, coordinator_haninge)
        ask(client, haninge)
        worker_stopped_while_building("2026-12-01 10:00+01:00")
    with time_machine.travel("2026-12-01 10:04 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert "byggs fortfarande" in ask(client, haninge)
    with time_machine.travel("2026-12-01 10:06 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        shown = ask(client, haninge)
    assert "Exporten byggs." in shown
    assert "Misslyckades" in shown
    assert "slutade svara" in shown


def test_a_worker_that_beats_is_not_taken_for_lost(
    client, coordinator_haninge, haninge
):
    with time_machine.travel(ASKED, tick=False):
        login_verified(client, coordinator_haninge)
        ask(client, haninge)
        worker_stopped_while_building("2026-12-01 10:00+01:00")
        MunicipalityExport.objects.update(
            heartbeat_at=datetime.datetime.fromisoformat("2026-12-01 10:28+01:00")
        )
    with time_machine.travel("2026-12-01 10:30 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert "byggs fortfarande" in ask(client, haninge)


def test_the_page_says_when_no_worker_has_started(client, coordinator_haninge, haninge):
    with time_machine.travel(ASKED, tick=False):
        login_verified(client, coordinator_haninge)
        ask(client, haninge)
    with time_machine.travel("2026-12-01 10:15 +01:00", tick=False):
        login_verified(client, coordinator_haninge)
        assert "Ingen bakgrundsarbetare har börjat" in page(client, haninge)
    run_the_worker()
    assert MunicipalityExport.objects.get().heartbeat_at is not None
