"""Adding the app: a QR code and the key, confirmed with a first code, at the
first login or, for a verified user, on a new phone (which then replaces the
old one)."""

import logging
from base64 import b32encode

import segno
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..security import log_event
from .forms import CodeForm
from .reauthentication import PasswordForm
from .throttling import check_code


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no script, no style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=_("QR-kod för din app")
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def grouped_secret(device: TOTPDevice) -> str:
    """The secret in base32 in groups of four, to type by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def pending_device(user) -> TOTPDevice:
    """The user's app being added: the same secret on every visit until it is
    confirmed, so that they scan once and may retry freely."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).last()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Autentiseringsapp"), confirmed=False
        )
    return device


def enrollment_context(device: TOTPDevice) -> dict:
    return {"qr_code": qr_code_svg(device), "secret": grouped_secret(device)}


def confirm(device: TOTPDevice) -> None:
    """The added app becomes the user's one app: any other is deleted."""
    with transaction.atomic():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()


def new_phone_view(site, request):
    """Add the app to a new phone, for a verified user: a QR code and the key,
    confirmed with the user's password and a code from the new app, which then
    replaces the old one."""
    user = request.user
    device = pending_device(user)
    data = request.POST if request.method == "POST" else None
    form = CodeForm(data)
    password_form = PasswordForm(request, data)
    # The password first: a code is not used up by a request without it.
    if password_form.is_valid() and form.is_valid():
        attempt = check_code(user, device, form.cleaned_data["code"])
        if attempt.device is not None:
            confirm(attempt.device)
            request.session.cycle_key()
            otp_login(request, attempt.device)
            log_event(request, "2fa device replaced")
            messages.success(
                request,
                _(
                    "Appen i den nya telefonen är tillagd. Koderna från den gamla "
                    "fungerar inte längre."
                ),
            )
            return HttpResponseRedirect(
                reverse("admin:two_factor_recovery_codes", current_app=site.name)
            )
        form.add_error("code", attempt.error())
        log_event(
            request,
            "2fa throttled" if attempt.throttled else "2fa new phone failed",
            logging.WARNING,
            failures=attempt.failures,
            wait=attempt.wait,
        )
    context = {
        **site.each_context(request),
        "title": _("Lägg till appen i en ny telefon"),
        "subtitle": None,
        "form": form,
        "password_form": password_form,
        "app_path": request.get_full_path(),
        **enrollment_context(device),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/two_factor_new_phone.html", context)
