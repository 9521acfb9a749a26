from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class MedborgarlofteAdminConfig(AdminConfig):
    default_site = "medborgarlofte.admin.MedborgarlofteAdminSite"


class TwoFactorDevicesConfig(TOTPConfig):
    """django-otp's TOTP devices, under a Swedish name in the admin."""

    verbose_name = "Tvåstegsverifiering"


class RecoveryCodesConfig(StaticConfig):
    """django-otp's static tokens: the users' one-time recovery codes."""

    verbose_name = "Reservkoder"


class SecurityConfig(AppConfig):
    """The security log (login signal receivers), the deployment checks and the
    superusers-only admin of two-factor devices."""

    name = "medborgarlofte"
    label = "medborgarlofte_security"
    verbose_name = "Säkerhet"

    def ready(self):
        from . import checks, security  # noqa: F401
        from .device_admin import register_device_admin
        from .tasks import unregister_task_queue_admin
        from .user_admin import register_user_admin

        register_device_admin()
        register_user_admin()
        unregister_task_queue_admin()
