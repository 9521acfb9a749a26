"""The password asked again before a factor is replaced."""

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PasswordForm(forms.Form):
    """The user's password again, before a factor is replaced (new recovery
    codes, a new phone): a session left open does not let another person take
    over the account (ASVS 7.5.1). A wrong password counts as a failed login
    (django-axes, the security log)."""

    password = forms.CharField(
        label=gettext_lazy("Ditt lösenord"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": gettext_lazy(
                "Skriv ditt lösenord, så vet vi att det är du som ändrar."
            )
        },
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        try:
            same = authenticate(
                self.request, username=user.get_username(), password=password
            )
        except PermissionDenied:  # locked out after too many wrong passwords
            same = None
        if same is None or same.pk != user.pk:
            raise forms.ValidationError(_("Lösenordet stämmer inte."))
        return password
