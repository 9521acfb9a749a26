"""The page where staff choose their own password, from the link of
password_links.py or of "Glömt lösenordet?"."""

from django.contrib.auth.views import PasswordResetConfirmView
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class ChoosePasswordView(SuccessMessageMixin, PasswordResetConfirmView):
    """Django's page to set a password from a link, which then logs the user in
    and goes on to the admin: its start page, or first the second factor
    (accounts/two_factor/: a new user adds an authenticator app there), as any
    login does."""

    post_reset_login = True
    # One of settings.AUTHENTICATION_BACKENDS, as login() needs with several; the
    # link's token has already proved who the user is.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("admin:index")
    success_message = _("Ditt lösenord är sparat och du är inloggad.")
