"""Links with which staff choose their own passwords: nobody types another
person's password.

A new user (from "Ny kommun", staff/onboarding.py) and anyone a superuser picks
in the users' admin ("Skicka en länk för att välja lösenord") get an e-mail
with a link to /konto/losenord/… (Django's password-reset tokens, valid for
settings.PASSWORD_RESET_TIMEOUT).
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def send_password_links(request, users) -> None:
    """E-mail each user a link to choose their own password (valid for
    settings.PASSWORD_RESET_TIMEOUT). Call it once the users are saved."""
    for user in users:
        subject, body = password_link_message(request, user)
        send_mail(subject, body, None, [user.email])


def password_link_message(request, user) -> tuple[str, str]:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": request.build_absolute_uri(path),
        "login": request.build_absolute_uri(reverse("admin:login")),
        "municipalities": ", ".join(m.name for m in user.municipalities.all()),
        "roles": ", ".join(user.groups.values_list("name", flat=True)),
    }
    subject = render_to_string("registration/welcome_subject.txt", context)
    body = render_to_string("registration/welcome_email.txt", context)
    return " ".join(subject.split()), body
