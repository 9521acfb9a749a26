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

The package: `verification` (the verification page, and whether a session has
passed it), `enrolment` (adding the app, and a new phone), `recovery` (the
recovery codes), `throttling` (wrong codes), `forms` (the code's form).
"""

from .enrolment import new_phone_view
from .recovery import recovery_codes_left, recovery_codes_view
from .verification import (
    awaits_second_factor,
    is_verified,
    verification_url,
    verification_view,
)

__all__ = [
    "awaits_second_factor",
    "is_verified",
    "new_phone_view",
    "recovery_codes_left",
    "recovery_codes_view",
    "verification_url",
    "verification_view",
]
