"""Glömt lösenordet? (/admin/password_reset/): Django's password reset, with
three changes (issue 23).

- A person onboarded who never chose a password (an unusable one, as "Ny kommun"
  leaves them) gets the link too; an inactive account never does.
- The request does the same work whatever the address: it queues one task with
  the address (send_password_reset), and the worker looks the
  address up and sends the mail. A known address takes no longer to answer than
  an unknown one.
- It is throttled per address and per client address (the cache; the limits in
  settings), with a Swedish message, the same for known and unknown addresses.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.tasks import task
from django.utils.translation import gettext_lazy as _

from .password_links import PasswordResetForm
from .security import client_ip

THROTTLE_SECONDS = 60 * 60
THROTTLED = _(
    "För många förfrågningar om nytt lösenord. Vänta en timme och försök igen, "
    "eller be en administratör skicka en länk."
)


class StaffPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Every active account with the address, also one whose password was
        never chosen."""
        User = get_user_model()
        field = User.get_email_field_name()
        return User._default_manager.filter(
            **{f"{field}__iexact": email, "is_active": True}
        ).iterator()


@task
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """Look the address up and mail each active account with it a link to
    choose a password: in the worker, so that the request that asked takes as
    long for a known address as for an unknown one."""
    form = StaffPasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, THROTTLE_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, THROTTLE_SECONDS)
        count = 1
    return count > limit


def throttled(request, email: str) -> bool:
    """Counts this request; True when the address or the client asked too often."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = _over_limit(
        f"password-reset:address:{address}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    by_client = _over_limit(
        f"password-reset:client:{client_ip(request)}",
        settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
    )
    return by_address or by_client


class PasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if throttled(self.request, email):
            form.add_error("email", THROTTLED)
            return self.form_invalid(form)
        send_password_reset.enqueue(
            email, self.request.get_host(), self.request.is_secure()
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)
