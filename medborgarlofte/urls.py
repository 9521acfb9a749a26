from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.password_reset import PasswordResetView
from accounts.views import ChoosePasswordView
from staff import views

handler500 = "staff.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.FaviconView.as_view()),
    # Staff choose their own passwords: from the welcome e-mail of "Ny kommun"
    # (staff/onboarding.py), or "Glömt lösenordet?" on the login page
    # (accounts/password_reset.py: throttled, the mail sent by the worker); once
    # it is chosen they are logged in (accounts/views.py).
    path(
        "admin/password_reset/",
        PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        ChoosePasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include("public.urls")),
]
