from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


def name_in_swedish(model, singular: str, plural: str) -> None:
    """The names the admin shows for another app's model whose own are English
    (the superuser's start page, its lists and forms). Only the names in use,
    not those the model's migrations know (Options.original_attrs), so that no
    migration of the other app follows."""
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural


class TwoFactorDevicesConfig(TOTPConfig):
    """django-otp's TOTP devices, under a Swedish name in the admin."""

    verbose_name = "Tvåstegsverifiering"

    def ready(self):
        super().ready()
        name_in_swedish(
            self.get_model("TOTPDevice"),
            _("autentiseringsapp"),
            _("autentiseringsappar"),
        )


class RecoveryCodesConfig(StaticConfig):
    """django-otp's static tokens: the users' one-time recovery codes."""

    verbose_name = "Reservkoder"

    def ready(self):
        super().ready()
        name_in_swedish(
            self.get_model("StaticDevice"), _("reservkodslista"), _("reservkodslistor")
        )


class LoginAttemptsConfig(AxesConfig):
    """django-axes (login throttling, settings.AXES_*), under Swedish names in
    the superuser's admin."""

    verbose_name = _("Inloggningsspärr")

    def ready(self):
        super().ready()
        for model, singular, plural in [
            ("AccessAttempt", _("inloggningsförsök"), _("inloggningsförsök")),
            (
                "AccessFailureLog",
                _("misslyckad inloggning"),
                _("misslyckade inloggningar"),
            ),
            ("AccessLog", _("inloggning"), _("inloggningar")),
            (
                "AccessAttemptExpiration",
                _("spärrtid för inloggningsförsök"),
                _("spärrtider för inloggningsförsök"),
            ),
        ]:
            name_in_swedish(self.get_model(model), singular, plural)


class AccountsConfig(AppConfig):
    """Staff accounts and their security: two-factor authentication, the security
    log, the session time limits, the deployment checks, and the admin of users
    and (superusers only) their two-factor devices."""

    name = "accounts"
    verbose_name = _("Konton och säkerhet")

    def ready(self):
        from . import admin, checks, security

        admin.replace_default_admins()
        checks.register_checks()
        security.connect_signals()
