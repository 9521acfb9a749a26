"""The admin of two-factor devices (django-otp's TOTPDevice, and StaticDevice for
the recovery codes): superusers only.

Registered from AccountsConfig.ready(), after the admin's autodiscovery has
registered django-otp's own TOTPDeviceAdmin and StaticDeviceAdmin, which these
replace. Neither shows a secret or a recovery code (OTP_ADMIN_HIDE_SENSITIVE_DATA).
"""

from django.contrib import admin
from django.db.models import Count
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class SuperuserOnly:
    """For superusers only, whatever permissions a group has: deleting a device is
    how a user who lost it (and has no recovery code) gets to enroll anew."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SuperuserOnlyTOTPDeviceAdmin(SuperuserOnly, TOTPDeviceAdmin):
    pass


class SuperuserOnlyStaticDeviceAdmin(SuperuserOnly, StaticDeviceAdmin):
    """The users' recovery codes: how many each has left, never the codes."""

    list_display = [*StaticDeviceAdmin.list_display, "codes_left"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(codes=Count("token_set"))

    @admin.display(description="Reservkoder kvar", ordering="codes")
    def codes_left(self, device):
        return device.codes

    def get_inline_instances(self, request, obj=None):
        # The codes themselves, on the add page too (django-otp hides them on
        # the change page only): users make their own.
        return []


def register_device_admin():
    """Replace django-otp's registrations of its devices (called from apps.py)."""
    for model, model_admin in [
        (TOTPDevice, SuperuserOnlyTOTPDeviceAdmin),
        (StaticDevice, SuperuserOnlyStaticDeviceAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
