"""Session time limits and the log of permission denials.

The idle timeout is the session cookie's age (SESSION_COOKIE_AGE, renewed on every
request by SESSION_SAVE_EVERY_REQUEST). AbsoluteSessionTimeoutMiddleware adds the
absolute one, which Django does not have: the time of the login is kept in the
session, and a request after SESSION_ABSOLUTE_SECONDS is served logged out.

Public pages (public/page_cache.py) are the same for everyone and shared by CDNs:
they neither read nor save the session, so a staff member's session cookie never
rides on a shareable response; and any response that sets a cookie is made
private (NoSharedCookiesMiddleware).
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions import middleware as sessions
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .security import LOGIN_TIME_KEY, log_permission_denied


def is_public_page(view_func) -> bool:
    """Whether the view is a public page (public/page_cache.py's public_page)."""
    return getattr(view_func, "public_page", False)


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a public page's response never saves the session nor
    sets its cookie: with SESSION_SAVE_EVERY_REQUEST every response to a logged-in
    staff member would carry `Set-Cookie: sessionid=…`, and a public page is marked
    `Cache-Control: public` for CDNs to share."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.is_public_page = is_public_page(view_func)

    def process_response(self, request, response):
        shareable = "public" in response.get("Cache-Control", "")
        if shareable or getattr(request, "is_public_page", False):
            return response
        return super().process_response(request, response)


class NoSharedCookiesMiddleware:
    """First in MIDDLEWARE, so last to see the response: a response that sets a
    cookie is never shareable, whatever marked it public."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            del response["Cache-Control"]
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A public page leaves the session untouched (SessionMiddleware above);
        # without a session cookie there is no login to time out.
        if is_public_page(view_func):
            return None
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
        return None


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
