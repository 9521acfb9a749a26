"""Two-factor authentication for staff: a TOTP code after the password.

With REQUIRE_2FA on (the default) the admin is reachable only in a session that
has been verified by one of the user's confirmed TOTP devices (django-otp). The
admin login asks for the user name and password as before (django-axes still
throttles it); then every admin page sends the user to the verification page,
`/admin/tvastegsverifiering/`, which asks for the 6-digit code from their
authenticator app, or, for a user without a device, shows a QR code and the secret
to add one and confirms it with a first code. Wrong codes are throttled by the
device (django-otp: 1, 2, 4, 8 … seconds after each failure). Success and failure
are logged to the security log, never the code or the secret.

A user who has lost their device asks a superuser to delete it in the admin
(Tvåstegsverifiering → TOTP devices, see device_admin.py); they enroll a new one at their
next login.
"""

import logging
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .security import client_ip

log = logging.getLogger("medborgarlofte.security")


def is_verified(user) -> bool:
    """True when the session passed the second factor (OTPMiddleware sets it)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def awaits_second_factor(request) -> bool:
    """A staff user logged in with the password only, while 2FA is required."""
    user = request.user
    return (
        settings.REQUIRE_2FA
        and user.is_active
        and user.is_staff
        and not is_verified(user)
    )


def safe_next(request, default: str) -> str:
    """The local `next` of the request, or default: never another site."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME
    )
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def verification_url(site_name: str, next_url: str) -> str:
    url = reverse("admin:two_factor", current_app=site_name)
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class CodeForm(forms.Form):
    # No autofocus: the page's instructions (and the skip link) come first.
    code = forms.CharField(
        label=_("Engångskod"),
        help_text=_("De sex siffrorna som din autentiseringsapp visar just nu."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 8,
            }
        ),
        error_messages={"required": _("Ange koden från din autentiseringsapp.")},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Koden är sex siffror, till exempel 123456."))
        return code


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no script, no style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=str(_("QR-kod för din app"))
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def grouped_secret(device: TOTPDevice) -> str:
    """The secret in base32 in groups of four, to type by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def verification_view(site, request):
    """Ask for the code (or enroll a device first); see the module docstring."""
    index = reverse("admin:index", current_app=site.name)
    user = request.user
    if not (user.is_active and user.is_staff):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(
            request.get_full_path(), reverse("admin:login", current_app=site.name)
        )
    next_url = safe_next(request, index)
    if not awaits_second_factor(request):
        return HttpResponseRedirect(next_url)

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        # The same secret on every visit until confirmed: scan once, retry freely.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).last()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=str(_("Autentiseringsapp")), confirmed=False
            )

    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code",
                _(
                    "För många felaktiga koder. Vänta en stund och försök sedan "
                    "igen med en ny kod."
                ),
            )
            log_event(request, "2fa throttled", logging.WARNING)
        elif verify_token(user, device.persistent_id, form.cleaned_data["code"]):
            device.refresh_from_db()
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session.cycle_key()
            otp_login(request, device)
            log_event(request, "2fa enrolled" if enrolling else "2fa verified")
            return HttpResponseRedirect(next_url)
        else:
            form.add_error("code", _("Fel kod. Kontrollera koden och försök igen."))
            log_event(request, "2fa failed", logging.WARNING)

    context = {
        **site.each_context(request),
        "title": _("Lägg till tvåstegsverifiering")
        if enrolling
        else _("Tvåstegsverifiering"),
        "subtitle": None,
        "form": form,
        "enrolling": enrolling,
        "next": next_url,
        "app_path": request.get_full_path(),
    }
    if enrolling:
        context["qr_code"] = qr_code_svg(device)
        context["secret"] = grouped_secret(device)
    request.current_app = site.name
    return TemplateResponse(request, "admin/two_factor.html", context)


def log_event(request, event: str, level=logging.INFO):
    log.log(
        level,
        "%s user=%r ip=%s path=%s",
        event,
        request.user.get_username(),
        client_ip(request),
        request.path,
    )
