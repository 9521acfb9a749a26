"""Recovery codes (django-otp's static tokens): ten one-time codes of ten digits
that stand in for the app's code, made by the user and shown once."""

import secrets

from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from ..security import log_event
from .reauthentication import PasswordForm

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_DIGITS = 10
RECOVERY_DEVICE_NAME = "Reservkoder"


def use_recovery_code(user, code: str) -> StaticDevice | None:
    """The user's recovery-code device if the code is one of its codes, which is
    then used up (django-otp deletes it)."""
    for device in StaticDevice.objects.select_for_update().filter(
        user=user, confirmed=True
    ):
        if device.verify_token(code):
            return device
    return None


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
    """GET: how many codes are left, and the button to make new ones. POST with
    the user's password: new codes, shown this once (the response is never
    cached)."""
    user = request.user
    context = {
        **site.each_context(request),
        "title": _("Reservkoder"),
        "subtitle": None,
        "left": recovery_codes_left(user),
        "count": RECOVERY_CODE_COUNT,
    }
    form = PasswordForm(request, request.POST if request.method == "POST" else None)
    context["form"] = form
    if form.is_valid():
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
