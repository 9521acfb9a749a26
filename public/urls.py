from django.urls import path, register_converter

from . import feeds, views, views_opendata
from .page_cache import public_page


class UnicodeSlugConverter:
    """District slugs keep å, ä and ö ("ösmo-torö"); nothing else gets through."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "public"

urlpatterns = [
    path(
        "<slug:municipality>/rapporter.atom",
        public_page(feeds.ReportFeed()),
        name="feed",
    ),
    path(
        "<slug:municipality>/<int:year>/rapporter/",
        views.report_list,
        name="report_list",
    ),
    path(
        "<slug:municipality>/<int:year>/rapporter/<int:report_year>/kvartal-<int:quarter>/",
        views.report,
        name="report",
    ),
    path(
        "<slug:municipality>/<int:year>/utvardering/",
        views.evaluation,
        name="evaluation",
    ),
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("<slug:municipality>/<int:year>/", views.overview, name="overview"),
    path(
        "<slug:municipality>/<int:year>/atagande/<int:pk>/",
        views.commitment,
        name="commitment",
    ),
    path(
        "<slug:municipality>/<int:year>/kommundel/<uslug:district>/",
        views.district,
        name="district",
    ),
    path(
        "<slug:municipality>/<int:year>/aktivitet/<int:pk>/",
        views.activity,
        name="activity",
    ),
    path(
        "<slug:municipality>/<int:year>/oppna-data/",
        views_opendata.open_data,
        name="open_data",
    ),
    path(
        "<slug:municipality>/<int:year>/oppna-data/<slug:dataset>.csv",
        views_opendata.download,
        {"extension": "csv"},
        name="open_data_csv",
    ),
    path(
        "<slug:municipality>/<int:year>/oppna-data/<slug:dataset>.json",
        views_opendata.download,
        {"extension": "json"},
        name="open_data_json",
    ),
    path(
        "<slug:municipality>/<int:year>/trygghetsdialoger.ics",
        views_opendata.calendar,
        name="calendar",
    ),
    path(
        "<slug:municipality>/<int:year>/aktivitet/<int:pk>/kalender.ics",
        views_opendata.dialogue_event,
        name="dialogue_event",
    ),
    path(
        "<slug:municipality>/<int:year>/inbaddning/",
        views_opendata.embed,
        name="embed",
    ),
]
