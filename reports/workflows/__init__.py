"""Workflows of the follow-up that touch several models, called from the admin,
the public pages and commands alike (services call models, never the reverse):

- `quarterly`: a quarterly report's draft written from the quarter's data,
  rewritten from today's, and the reports still due;
- `evaluation`: the year-end evaluation's draft, publishing it, and freezing its
  indicator figures.
"""

from .evaluation import (
    build_evaluation_draft,
    evaluation_figures,
    freeze_evaluation,
    freeze_published_evaluations,
    publish_evaluation,
)
from .quarterly import (
    build_report_draft,
    draft_text,
    draft_title,
    refresh_report_draft,
    reports_due,
)

__all__ = [
    "build_evaluation_draft",
    "build_report_draft",
    "draft_text",
    "draft_title",
    "evaluation_figures",
    "freeze_evaluation",
    "freeze_published_evaluations",
    "publish_evaluation",
    "refresh_report_draft",
    "reports_due",
]
