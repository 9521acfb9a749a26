"""Staff's preview of a draft: its public page as it will look once published,
marked as a preview. Registered in PublicConfig.ready() with
promises.admin.register_preview(); the admin serves it to staff who may see the
draft, under /admin/…/<id>/forhandsvisning/, never cached and never public (the
public pages show published objects only)."""

from django.shortcuts import render

from promises.models import Promise
from reports.models import Evaluation, QuarterlyReport
from reports.workflows import evaluation_figures

from . import views


def promise_preview(request, promise: Promise, preview: dict):
    context = {**views.overview_context(promise), "preview": preview}
    return render(request, "public/overview.html", context)


def report_preview(request, report: QuarterlyReport, preview: dict):
    context = {"promise": report.promise, "report": report, "preview": preview}
    return render(request, "public/report.html", context)


def evaluation_preview(request, evaluation: Evaluation, preview: dict):
    # A draft's figures of today; publishing stores them (publish_evaluation()).
    figures = evaluation.figures or evaluation_figures(evaluation.promise)
    context = {
        **views.evaluation_context(evaluation.promise, evaluation, figures),
        "preview": preview,
    }
    return render(request, "public/evaluation.html", context)


PREVIEWS = {
    Promise: promise_preview,
    QuarterlyReport: report_preview,
    Evaluation: evaluation_preview,
}
