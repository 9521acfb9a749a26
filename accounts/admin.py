"""The admin of users (superusers only): which municipalities a person works for,
on their own page, and a new link to choose a password.

Registered from AccountsConfig.ready(), after the admin's autodiscovery has
registered django.contrib.auth's UserAdmin, which it replaces.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.models import Municipality

from .password_links import send_password_links


class StaffUserChangeForm(UserChangeForm):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("arbetar för"),
        help_text=_("Kommunerna vars uppgifter personen ser och ändrar."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "municipalities", list(self.instance.municipalities.all())
            )


class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    fieldsets = [
        *UserAdmin.fieldsets[:1],
        (_("Kommuner"), {"fields": ["municipalities"]}),
        *UserAdmin.fieldsets[1:],
    ]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "municipality_names",
        "is_staff",
    ]
    list_filter = [*UserAdmin.list_filter, "municipalities"]
    actions = ["send_password_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("municipalities")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "municipalities" not in form.cleaned_data:
            return
        # From the municipality's side, which keeps the history of its staff.
        user = form.instance
        chosen = set(form.cleaned_data["municipalities"])
        current = set(user.municipalities.all())
        for municipality in chosen - current:
            municipality.staff.add(user)
        for municipality in current - chosen:
            municipality.staff.remove(user)

    @admin.display(description=_("kommuner"))
    def municipality_names(self, obj):
        return ", ".join(m.name for m in obj.municipalities.all()) or "–"

    @admin.action(description=_("Skicka en länk för att välja lösenord"))
    def send_password_link(self, request, queryset):
        users = [user for user in queryset if user.email and user.is_active]
        send_password_links(request, users)
        self.message_user(
            request,
            ngettext(
                "En länk skickades till %(count)d person.",
                "En länk skickades till %(count)d personer.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


def register_user_admin():
    User = get_user_model()
    if admin.site.is_registered(User):
        admin.site.unregister(User)
    admin.site.register(User, StaffUserAdmin)
