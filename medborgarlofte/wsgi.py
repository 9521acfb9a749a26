"""The WSGI application, for gunicorn (gunicorn.conf.py)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - configured by the line above

try:
    settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key when it is read
except ImproperlyConfigured:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off. See .env.example."
    ) from None
