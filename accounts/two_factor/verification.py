"""The second step of the admin login: the verification page, which asks for
the code from the user's app (or a recovery code), or, for a user without an
app, adds one first; and whether a session has passed it."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..security import log_event
from .enrolment import confirm, enrollment_context, pending_device
from .forms import CodeForm
from .recovery import recovery_codes_left
from .throttling import check_code


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


def verification_view(site, request):
    """Ask for the code (or enroll a device first); see the module docstring."""
    index = reverse("admin:index", current_app=site.name)
    user = request.user
    if not (user.is_active and user.is_staff):
        return redirect_to_login(
            request.get_full_path(), reverse("admin:login", current_app=site.name)
        )
    next_url = safe_next(request, index)
    if not awaits_second_factor(request):
        return HttpResponseRedirect(next_url)

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = pending_device(user)

    # Recovery codes stand in for the app, not for adding one.
    form = CodeForm(
        request.POST if request.method == "POST" else None, recovery=not enrolling
    )
    if form.is_valid():
        attempt = check_code(
            user, device, form.cleaned_data["code"], recovery=not enrolling
        )
        if attempt.device is not None:
            if enrolling:
                confirm(attempt.device)
            request.session.cycle_key()
            otp_login(request, attempt.device)
            if attempt.recovery:
                left = recovery_codes_left(user)
                log_event(request, "2fa verified with a recovery code", left=left)
                recovery_code_used_message(site, request, left)
            else:
                log_event(request, "2fa enrolled" if enrolling else "2fa verified")
            return HttpResponseRedirect(next_url)
        form.add_error("code", attempt.error())
        if attempt.throttled:
            log_event(request, "2fa throttled", logging.WARNING, wait=attempt.wait)
        else:
            log_event(
                request,
                "2fa failed",
                logging.WARNING,
                failures=attempt.failures,
                wait=attempt.wait,
            )

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
        context |= enrollment_context(device)
    request.current_app = site.name
    return TemplateResponse(request, "admin/two_factor.html", context)


def recovery_code_used_message(site, request, left: int) -> None:
    new_phone = reverse("admin:two_factor_new_phone", current_app=site.name)
    codes = reverse("admin:two_factor_recovery_codes", current_app=site.name)
    if left:
        text = ngettext(
            "Du loggade in med en reservkod. Den fungerar inte igen; du har "
            "%(count)d reservkod kvar.",
            "Du loggade in med en reservkod. Den fungerar inte igen; du har "
            "%(count)d reservkoder kvar.",
            left,
        ) % {"count": left}
    else:
        text = _(
            "Du loggade in med din sista reservkod. Skapa nya reservkoder innan du "
            "loggar ut."
        )
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a> · <a href="{}">{}</a>',
            text,
            new_phone,
            _("Har du tappat telefonen? Lägg till appen i en ny telefon"),
            codes,
            _("Reservkoder"),
        ),
    )
