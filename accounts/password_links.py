"""Links with which staff choose their own passwords: nobody types another
person's password.

A new user (from "Ny kommun", staff/onboarding.py) and anyone a superuser picks
in the users' admin ("Skicka en länk för att välja lösenord") get an e-mail
with a link to /konto/losenord/… (Django's password-reset tokens, valid for
settings.PASSWORD_RESET_TIMEOUT).

The e-mails' text is sent as written, in UTF-8 (8bit), not quoted-printable: a
link longer than a line stays whole, on the console of `make run` too.
"""

import email.policy

from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

# Lines up to SMTP's limit (998 characters) as they are: Python's e-mail
# package would otherwise encode a UTF-8 text with a line over 78 characters as
# quoted-printable, which breaks a long link in two ("=\n").
EIGHT_BIT = email.policy.default.clone(max_line_length=998)


class EightBitEmail(EmailMessage):
    """An e-mail whose text is sent as it is written (Content-Transfer-Encoding:
    8bit, UTF-8)."""

    def message(self, *, policy=EIGHT_BIT):
        return super().message(policy=policy)


def send_password_links(request, users) -> None:
    """E-mail each user a link to choose their own password (valid for
    settings.PASSWORD_RESET_TIMEOUT). Call it once the users are saved."""
    for user in users:
        subject, body = password_link_message(request, user)
        EightBitEmail(subject, body, None, [user.email]).send()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """ "Glömt lösenordet?": Django's form, its e-mail an EightBitEmail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        EightBitEmail(subject, body, from_email, [to_email]).send()


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
