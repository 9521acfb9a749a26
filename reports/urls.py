from django.urls import path

from promises.caching import public_page

from . import feeds, views

app_name = "reports"

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
]
