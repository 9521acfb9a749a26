"""Wrong codes: a few free tries, then a wait that doubles (see the package's
docstring), counted on the user's TOTP device for app codes and recovery codes
alike."""

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .recovery import RECOVERY_CODE_DIGITS, use_recovery_code

# Wrong codes (see the module docstring).
FREE_TRIES = 3  # wrong codes in a row before the first wait
FIRST_WAIT = 30  # seconds, after the FREE_TRIES-th wrong code
MAX_WAIT = 60 * 60  # seconds


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
