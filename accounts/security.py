"""Security log (logger "medborgarlofte.security") and the client address.

Logged: logins, failed logins and lockouts, and permission denials (403). Never a
password or the rest of the credentials: the user name as typed, the address and
the path only.
"""

import logging
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed

log = logging.getLogger("medborgarlofte.security")

# The time of the login, in the session (accounts/middleware.py).
LOGIN_TIME_KEY = "_medborgarlofte_login_time"


def client_ip(request) -> str | None:
    """The client's address: the connection's, or, when TRUST_X_FORWARDED_FOR is
    on, the last address of X-Forwarded-For (the one the load balancer added)."""
    if request is None:
        return None
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.headers.get("x-forwarded-for", "")
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def _where(request) -> tuple[str | None, str]:
    if request is None:
        return None, "-"
    return client_ip(request), request.path


def logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_TIME_KEY] = time.time()
    ip, path = _where(request)
    log.info("login user=%r ip=%s path=%s", user.get_username(), ip, path)


def login_failed(sender, credentials, request=None, **kwargs):
    ip, path = _where(request)
    # Django has already replaced the password with stars; only the name is used.
    username = credentials.get("username", "")
    log.warning("login failed user=%r ip=%s path=%s", username, ip, path)


def locked_out(sender, request, username, ip_address, **kwargs):
    log.warning(
        "login locked out user=%r ip=%s path=%s",
        username,
        ip_address,
        getattr(request, "path", "-"),
    )


def log_permission_denied(request, status: int):
    user = getattr(request, "user", None)
    user = user.get_username() if user and user.is_authenticated else "-"
    log.warning(
        "permission denied status=%s user=%r ip=%s method=%s path=%s",
        status,
        user,
        client_ip(request),
        request.method,
        request.path,
    )


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


def connect_signals() -> None:
    """Log logins, failed logins and lockouts (called from AccountsConfig.ready())."""
    user_logged_in.connect(logged_in, dispatch_uid="security-log-login")
    user_login_failed.connect(login_failed, dispatch_uid="security-log-login-failed")
    user_locked_out.connect(locked_out, dispatch_uid="security-log-locked-out")
