"""Two-factor authentication for staff: a code after the password.

With REQUIRE_2FA on (the default) the admin is reachable only in a session that
has been verified by one of the user's devices (django-otp). The admin login asks
for the user name and password as before (django-axes still throttles it); then
every admin page sends the user to the verification page,
`/admin/tvastegsverifiering/`, which asks for the 6-digit code from their
authenticator app (a TOTP device, RFC 6238), or, for a user without one, shows a
QR code and the secret to add one and confirms it with a first code.

Recovery codes (django-otp's static tokens): a verified user makes ten one-time
codes of ten digits at `/admin/tvastegsverifiering/reservkoder/` (the user tools'
"Reservkoder"), shown once; making new ones replaces the old. The verification
page takes one instead of the app's code, and a used code is gone. So a user who
has lost their phone logs in with a recovery code and adds the app to a new phone
at `/admin/tvastegsverifiering/ny-telefon/`, which replaces the old device; no
superuser is needed. Without recovery codes a superuser deletes the lost device in
the admin (Tvåstegsverifiering → TOTP devices, see admin.py), and the user
adds a new one at their next login.

Wrong codes: the first FREE_TRIES in a row cost nothing, so that a mistyped code,
or one typed as it expired, is simply typed again, and the right code straight
after a wrong one is accepted. After that each wrong code makes the user wait
before the next try: 30 seconds after the third wrong code in a row, then twice as
long after each further one (1, 2, 4, 8 … minutes), at most an hour. While the
user must wait, no code is checked, not even the right one, and the page says in
Swedish how long is left. A correct code starts the count over. The count is the
user's, kept on their TOTP device, for app codes and recovery codes alike, and
survives a new login; so someone who knows the password guesses at most about ten
codes in the first hour and one an hour after that (OWASP ASVS 2.2.1: under 100
failed attempts an hour), and with 3 of a million 6-digit codes valid at a time
that is no real chance. django-otp's own throttling of each device
(OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR) is off in the settings: it
made even the right code wait a second after a single wrong one.

Success, failure, throttling and recovery codes made and used are logged to the
security log, never a code or the secret.
"""

import logging
import math
import re
import secrets
from base64 import b32encode
from dataclasses import dataclass

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .security import client_ip

log = logging.getLogger("medborgarlofte.security")

# Wrong codes (see the module docstring).
FREE_TRIES = 3  # wrong codes in a row before the first wait
FIRST_WAIT = 30  # seconds, after the FREE_TRIES-th wrong code
MAX_WAIT = 60 * 60  # seconds

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 10
RECOVERY_DEVICE_NAME = "Reservkoder"
APP_CODE_DIGITS = 6


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


# Wrong codes


def wait_after(failures: int) -> int:
    """Seconds to wait after this many wrong codes in a row (0: none)."""
    if failures < FREE_TRIES:
        return 0
    return min(FIRST_WAIT * 2 ** (failures - FREE_TRIES), MAX_WAIT)


def seconds_to_wait(device: TOTPDevice) -> int:
    """Seconds left before the user may try a code again (0: now)."""
    failed_at = device.throttling_failure_timestamp
    wait = wait_after(device.throttling_failure_count)
    if not wait or failed_at is None:
        return 0
    left = wait - (timezone.now() - failed_at).total_seconds()
    return math.ceil(left) if left > 0 else 0


def wait_in_words(seconds: int) -> str:
    """ "30 sekunder", "1 minut", "4 minuter": the wait, rounded up."""
    if seconds < 60:
        return ngettext("%(count)d sekund", "%(count)d sekunder", seconds) % {
            "count": seconds
        }
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minut", "%(count)d minuter", minutes) % {
        "count": minutes
    }


@dataclass
class Attempt:
    """What became of a code typed on one of the pages."""

    device: Device | None = None  # the device that accepted it
    throttled: bool = False  # not checked: the user must wait first
    failures: int = 0  # wrong codes in a row, this one included
    wait: int = 0  # seconds before the next try

    @property
    def recovery(self) -> bool:
        return isinstance(self.device, StaticDevice)

    def error(self) -> str:
        if self.throttled:
            return _(
                "För många felaktiga koder i rad. Vänta %(wait)s och försök sedan igen."
            ) % {"wait": wait_in_words(self.wait)}
        if self.wait:
            return _(
                "Fel kod. Du har skrivit fel kod %(count)d gånger i rad och måste "
                "vänta %(wait)s innan du försöker igen."
            ) % {"count": self.failures, "wait": wait_in_words(self.wait)}
        return _("Fel kod. Kontrollera koden och försök igen.")


def check_code(user, app: TOTPDevice, code: str, recovery=False) -> Attempt:
    """Check a code against the app (a TOTPDevice) or, with recovery and a code of
    RECOVERY_CODE_DIGITS digits, the user's recovery codes, under the policy on
    wrong codes. The count of wrong codes is kept on the app's device, locked
    for the check so that two tries at once count as two."""
    with transaction.atomic():
        counter = TOTPDevice.objects.select_for_update().filter(pk=app.pk).first()
        if counter is None or counter.user_id != user.pk:  # deleted meanwhile
            return Attempt()
        wait = seconds_to_wait(counter)
        if wait:
            return Attempt(
                throttled=True, failures=counter.throttling_failure_count, wait=wait
            )
        if recovery and len(code) == RECOVERY_CODE_DIGITS:
            accepted = use_recovery_code(user, code)
            if accepted:
                counter.throttle_reset()
            else:
                counter.throttle_increment()
        else:
            # django-otp resets the device's count on success, counts a failure.
            accepted = counter if counter.verify_token(code) else None
    if accepted:
        return Attempt(device=accepted)
    failures = counter.throttling_failure_count
    return Attempt(failures=failures, wait=wait_after(failures))


def use_recovery_code(user, code: str) -> StaticDevice | None:
    """The user's recovery-code device if the code is one of its codes, which is
    then used up (django-otp deletes it)."""
    for device in StaticDevice.objects.select_for_update().filter(
        user=user, confirmed=True
    ):
        if device.verify_token(code):
            return device
    return None


# The form


def normalized(code: str) -> str:
    """The code without the spaces and dashes of a code typed in groups."""
    return re.sub(r"[\s\-\u2010-\u2015]", "", code)


class OneTimeCodeInput(forms.TextInput):
    """Never shows a code again: a wrong one is typed anew, and a recovery code
    that had to wait is not left on the page."""

    def format_value(self, value):
        return None


class CodeForm(forms.Form):
    """The code from the app, or (recovery=True) a recovery code instead."""

    # No autofocus: the page's instructions (and the skip link) come first.
    code = forms.CharField(
        label=gettext_lazy("Engångskod"),
        max_length=30,
        widget=OneTimeCodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 14,
            }
        ),
        error_messages={
            "required": gettext_lazy("Ange koden från din autentiseringsapp.")
        },
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        self.fields["code"].help_text = (
            _(
                "De sex siffrorna som din autentiseringsapp visar just nu, eller "
                "en av dina reservkoder (tio siffror)."
            )
            if recovery
            else _("De sex siffrorna som din autentiseringsapp visar just nu.")
        )

    def clean_code(self):
        code = normalized(self.cleaned_data["code"])
        lengths = {APP_CODE_DIGITS}
        if self.recovery:
            lengths.add(RECOVERY_CODE_DIGITS)
        if not (len(code) in lengths and code.isascii() and code.isdigit()):
            if self.recovery:
                raise forms.ValidationError(
                    _(
                        "Koden är sex siffror från appen, till exempel 123456, "
                        "eller tio siffror om du använder en reservkod."
                    )
                )
            raise forms.ValidationError(_("Koden är sex siffror, till exempel 123456."))
        return code


# Adding the app


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


# The verification page


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


# Recovery codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_code() -> str:
    return f"{secrets.randbelow(10**RECOVERY_CODE_DIGITS):0{RECOVERY_CODE_DIGITS}d}"


def grouped_code(code: str) -> str:
    """A recovery code in two groups of five, to read and type."""
    return f"{code[:5]} {code[5:]}"


def replace_recovery_codes(user) -> list[str]:
    """RECOVERY_CODE_COUNT new codes for the user; the old ones stop working."""
    with transaction.atomic():
        devices = StaticDevice.objects.select_for_update().filter(user=user)
        device = devices.order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(
                user=user, name=RECOVERY_DEVICE_NAME, confirmed=True
            )
        elif not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        StaticToken.objects.filter(device__user=user).delete()
        codes = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(new_recovery_code())
        codes = sorted(codes)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
    return codes


def recovery_codes_view(site, request):
    """GET: how many codes are left, and the button to make new ones. POST: new
    codes, shown this once (the response is never cached)."""
    user = request.user
    context = {
        **site.each_context(request),
        "title": _("Reservkoder"),
        "subtitle": None,
        "left": recovery_codes_left(user),
        "count": RECOVERY_CODE_COUNT,
    }
    if request.method == "POST":
        replaced = context["left"]
        codes = replace_recovery_codes(user)
        log_event(
            request,
            "2fa recovery codes created",
            count=len(codes),
            replaced=replaced,
        )
        context |= {
            "title": _("Dina nya reservkoder"),
            "codes": [grouped_code(code) for code in codes],
            "left": len(codes),
        }
    request.current_app = site.name
    return TemplateResponse(request, "admin/two_factor_recovery_codes.html", context)


# A new phone


def new_phone_view(site, request):
    """Add the app to a new phone, for a verified user: a QR code and the key,
    confirmed with a code from the new app, which then replaces the old one."""
    user = request.user
    device = pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
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
        "app_path": request.get_full_path(),
        **enrollment_context(device),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/two_factor_new_phone.html", context)


def log_event(request, event: str, level=logging.INFO, **details: int):
    """One line in the security log: the event, who, from where; then counts
    (never a code)."""
    log.log(
        level,
        "%s user=%r ip=%s path=%s" + "".join(f" {name}=%d" for name in details),
        event,
        request.user.get_username(),
        client_ip(request),
        request.path,
        *details.values(),
    )
