from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
]
