from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class TwoFactorDevicesConfig(TOTPConfig):
    """django-otp's TOTP devices, under a Swedish name in the admin."""

    verbose_name = "Tvåstegsverifiering"


class RecoveryCodesConfig(StaticConfig):
    """django-otp's static tokens: the users' one-time recovery codes."""

    verbose_name = "Reservkoder"


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
