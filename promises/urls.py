from django.urls import path

from . import views

app_name = "promises"

urlpatterns = [
    path("", views.start, name="start"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("<slug:municipality>/<int:year>/", views.overview, name="overview"),
    path(
        "<slug:municipality>/<int:year>/atagande/<int:pk>/",
        views.commitment,
        name="commitment",
    ),
    path(
        "<slug:municipality>/<int:year>/kommundel/<str:district>/",
        views.district,
        name="district",
    ),
    path(
        "<slug:municipality>/<int:year>/aktivitet/<int:pk>/",
        views.activity,
        name="activity",
    ),
]
