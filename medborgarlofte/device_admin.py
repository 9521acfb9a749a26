"""The admin of two-factor devices (django-otp's TOTPDevice): superusers only.

Registered from SecurityConfig.ready(), after the admin's autodiscovery has
registered django-otp's own TOTPDeviceAdmin, which it replaces.
"""

from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class SuperuserOnlyTOTPDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin, for superusers only, whatever permissions a
    group has: deleting a device is how a user who lost it gets to enroll anew."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def register_device_admin():
    """Replace django-otp's registration of TOTPDevice (called from apps.py)."""
    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)
    admin.site.register(TOTPDevice, SuperuserOnlyTOTPDeviceAdmin)
