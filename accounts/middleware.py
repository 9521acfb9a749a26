"""Session time limits and the log of permission denials.

The idle timeout is the session cookie's age (SESSION_COOKIE_AGE, renewed on every
request by SESSION_SAVE_EVERY_REQUEST). AbsoluteSessionTimeoutMiddleware adds the
absolute one, which Django does not have: the time of the login is kept in the
session, and a request after SESSION_ABSOLUTE_SECONDS is served logged out.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

from .security import LOGIN_TIME_KEY, log_permission_denied


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is no login to time out: the session is
        # left untouched, so that residents' pages don't vary by cookie (a CDN may
        # then share them).
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            now = time.time()
            started = request.session.get(LOGIN_TIME_KEY)
            if started is None:
                request.session[LOGIN_TIME_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class PermissionDeniedLogMiddleware:
    """Logs every 403 response (PermissionDenied, CSRF failures) to the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_permission_denied(request, response.status_code)
        return response


class AxesAttemptTimeMiddleware:
    """django-axes 8.3.1 reads request.axes_attempt_time, which it sets only during a
    login, also in its admin action "Clean up expired attempts", which then fails
    with a 500. None makes it count from now, as it should; a login overwrites it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "axes_attempt_time"):
            request.axes_attempt_time = None
        return self.get_response(request)
