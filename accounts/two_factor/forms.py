"""The form of a code: the app's six digits, or a recovery code's ten."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .recovery import RECOVERY_CODE_DIGITS

APP_CODE_DIGITS = 6


def normalized(code: str) -> str:
    """The code without the spaces and dashes of a code typed in groups."""
    return re.sub(r"[\s\-\u2010-\u2015]", "", code)


class OneTimeCodeInput(forms.TextInput):
    """Never shows a code again: a wrong one is typed anew, and a recovery code
    that had to wait is not left on the page."""

    def format_value(self, value):
        return None


class CodeForm(forms.Form):
    """The code from the app, or (recovery=True) a recovery code instead."""

    # No autofocus: the page's instructions (and the skip link) come first.
    code = forms.CharField(
        label=gettext_lazy("Engångskod"),
        max_length=30,
        widget=OneTimeCodeInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 14,
            }
        ),
        error_messages={
            "required": gettext_lazy("Ange koden från din autentiseringsapp.")
        },
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        self.fields["code"].help_text = (
            _(
                "De sex siffrorna som din autentiseringsapp visar just nu, eller "
                "en av dina reservkoder (tio siffror)."
            )
            if recovery
            else _("De sex siffrorna som din autentiseringsapp visar just nu.")
        )

    def clean_code(self):
        code = normalized(self.cleaned_data["code"])
        lengths = {APP_CODE_DIGITS}
        if self.recovery:
            lengths.add(RECOVERY_CODE_DIGITS)
        if not (len(code) in lengths and code.isascii() and code.isdigit()):
            if self.recovery:
                raise forms.ValidationError(
                    _(
                        "Koden är sex siffror från appen, till exempel 123456, "
                        "eller tio siffror om du använder en reservkod."
                    )
                )
            raise forms.ValidationError(_("Koden är sex siffror, till exempel 123456."))
        return code
