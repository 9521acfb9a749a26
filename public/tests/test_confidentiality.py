"""Nothing internal ever reaches a public response.

A unique marker goes into every internal field of every object, and into every
public field of what is not public (drafts, internal, planned or cancelled
activities, police work shown only in aggregate). Then every public URL reachable
from the start page is fetched, and no marker may appear in any of them.
"""

import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from promises.models import (
    Activity,
    Commitment,
    Finding,
    FocusArea,
    OperationalPicture,
    Promise,
)
from public.tests.crawl import crawl
from reports.models import Evaluation, QuarterlyReport

counter = itertools.count()


def marker(what: str) -> str:
    return f"HEMLIGT{next(counter)}x{what}"


def mark(obj, *fields) -> list[str]:
    markers = []
    for field in fields:
        value = marker(f"{type(obj).__name__}{field}")
        setattr(obj, field, value)
        markers.append(value)
    obj.save()
    return markers


@pytest.mark.django_db
def test_no_internal_text_reaches_any_public_page(client):
    call_command("load_haninge", "--demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    markers = []
    for commitment in Commitment.objects.all():
        markers += mark(commitment, "internal_notes")
    for picture in OperationalPicture.objects.all():
        markers += mark(picture, "text")
    for activity in Activity.objects.all():
        markers += mark(activity, "internal_notes", "not_friday_reason")
        public_in_detail = (
            activity.publication_level == Activity.PublicationLevel.DETAIL
            and activity.status == Activity.Status.DONE
        )
        announced = activity.status == "planned" and activity.kind == "dialogue"
        if not (public_in_detail or announced):
            markers += mark(activity, "title", "summary", "district_reason")
    # Make some public activities internal, cancelled or planned, and mark them.
    hidden_findings = []
    for status, level in [
        (Activity.Status.DONE, Activity.PublicationLevel.INTERNAL),
        (Activity.Status.CANCELLED, Activity.PublicationLevel.DETAIL),
    ]:
        activity = Activity.objects.filter(
            kind=Activity.Kind.INVENTORY,
            publication_level=Activity.PublicationLevel.DETAIL,
            status=Activity.Status.DONE,
        ).first()
        activity.status, activity.publication_level = status, level
        markers += mark(activity, "title", "summary", "district_reason")
        for finding in activity.findings.all():
            # Referred, so that the owner's name can be marked too (issue 13).
            finding.status = Finding.Status.REFERRED
            finding.fixed_on = finding.planned_on = None
            finding.not_fixed_reason = ""
            markers += mark(finding, "place", "description", "referred_to")
        hidden_findings += list(activity.findings.all())
    # A draft promise, with a commitment of its own.
    promise = Promise.objects.get(
        municipality__name="Haninge", year=timezone.localdate().year
    )
    draft = Promise.objects.create(
        municipality=promise.municipality,
        year=promise.year + 1,
        starts_on=promise.starts_on.replace(year=promise.year + 1),
        ends_on=promise.ends_on.replace(year=promise.year + 1),
        title=marker("draft"),
        introduction=marker("draftintro"),
    )
    markers += [draft.title, draft.introduction]
    # Its commitment's problem is as unpublished as it is (issue 13).
    draft_area = FocusArea.objects.create(promise=draft, title=marker("draftarea"))
    draft_commitment = Commitment.objects.create(focus_area=draft_area, title="Utkast")
    markers += [draft_area.title]
    markers += mark(draft_commitment, "problem", "cause_analysis")
    # What residents raised at a dialogue that is not public stays unsaid; a
    # public topic names neither a hidden finding nor a draft's commitment.
    dialogues = Activity.objects.filter(
        promise=promise, kind=Activity.Kind.DIALOGUE, topics__isnull=False
    ).distinct()
    assert dialogues.count() >= 2, "the demo has topics of two dialogues"
    internal, public = dialogues[:2]
    internal.publication_level = Activity.PublicationLevel.INTERNAL
    markers += mark(internal, "title", "summary", "residents_raised")
    for topic in internal.topics.all():
        markers += mark(topic, "text", "place")
    first, second, *_ = public.topics.all()
    first.finding = hidden_findings[0]
    first.save()
    second.commitment = draft_commitment
    markers += mark(draft_commitment, "title")
    second.save()
    # A problem's source dialogues that are not public stay unnamed.
    hidden = Activity.objects.filter(
        promise=promise, title__startswith="HEMLIGT"
    ).first()
    assert hidden is not None
    for commitment in Commitment.objects.filter(promise=promise):
        commitment.source_dialogues.add(hidden)
    # Draft reports and evaluations, and the commitments' internal notes.
    reports = QuarterlyReport.objects.filter(promise=promise)
    for report in reports.filter(status=QuarterlyReport.Status.DRAFT):
        markers += mark(report, "title", "body")
    draft_evaluation = Evaluation.objects.create(
        promise=promise, summary=marker("evaluation"), method=marker("method")
    )
    markers += [draft_evaluation.summary, draft_evaluation.method]
    assert reports.filter(status=QuarterlyReport.Status.DRAFT).exists()
    assert reports.filter(status=QuarterlyReport.Status.PUBLISHED).exists()
    assert Finding.objects.exists()

    pages = crawl(client)
    assert len(pages) > 10, "the crawl found too few pages to prove anything"
    assert not pages.broken, pages.broken
    for url, response in {**pages, **pages.other}.items():
        body = response.getvalue().decode()  # streamed downloads too
        leaked = [m for m in markers if m in body]
        assert not leaked, (url, leaked)
    # The crawl reached the follow-up pages too.
    urls = set(pages) | set(pages.other)
    assert any("/rapporter/" in url for url in urls)
    assert any(url.endswith("/utvardering/") for url in urls)
    assert any(url.endswith(".atom") for url in urls)
    assert any(url.endswith(".csv") for url in urls)
    # And nothing of the drafts is reachable by its URL either.
    assert client.get(f"/haninge/{draft.year}/").status_code == 404
    assert client.get(f"/haninge/{promise.year}/utvardering/").status_code == 404
