"""The admin of users and of their two-factor devices, superusers only.

Users: which municipalities a person works for, on their own page, and a new link
to choose a password. Devices: django-otp's TOTPDevice, and StaticDevice for the
recovery codes; neither shows a secret or a recovery code
(OTP_ADMIN_HIDE_SENSITIVE_DATA).

Registered from AccountsConfig.ready() (replace_default_admins()), after the
admin's autodiscovery has registered django.contrib.auth's UserAdmin and
django-otp's TOTPDeviceAdmin and StaticDeviceAdmin, which these replace.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from promises.admin.concurrency import ConcurrentEditAdmin
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


class StaffUserAdmin(ConcurrentEditAdmin, UserAdmin):
    # ConcurrentEditAdmin: a save of what someone else changed meanwhile is refused.
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


# Two-factor devices


class SuperuserOnly:
    """For superusers only, whatever permissions a group has: deleting a device is
    how a user who lost it (and has no recovery code) gets to enroll anew."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def titled(filter_class, title):
    """A list filter of a field whose name django-otp leaves in English."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class SwedishDeviceList:
    """django-otp's device lists in Swedish: its fields' names are English and
    not translatable (verbose names without gettext)."""

    list_display = ["user", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = [
        ("created_at", titled(admin.DateFieldListFilter, _("skapad"))),
        ("last_used_at", titled(admin.DateFieldListFilter, _("senast använd"))),
        ("confirmed", titled(admin.BooleanFieldListFilter, _("bekräftad"))),
    ]
    search_help_text = _("Sök på användarens användarnamn eller e-postadress.")

    @admin.display(description=_("namn"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("skapad"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("senast använd"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description=_("bekräftad"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed


class SuperuserOnlyTOTPDeviceAdmin(SuperuserOnly, SwedishDeviceList, TOTPDeviceAdmin):
    def get_list_display(self, request):
        return self.list_display


class SuperuserOnlyStaticDeviceAdmin(
    SuperuserOnly, SwedishDeviceList, StaticDeviceAdmin
):
    """The users' recovery codes: how many each has left, never the codes."""

    list_display = [*SwedishDeviceList.list_display, "codes_left"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(codes=Count("token_set"))

    @admin.display(description="Reservkoder kvar", ordering="codes")
    def codes_left(self, device):
        return device.codes

    def get_inline_instances(self, request, obj=None):
        # The codes themselves, on the add page too (django-otp hides them on
        # the change page only): users make their own.
        return []


def replace_default_admins() -> None:
    """Register these in place of the admins that autodiscovery registered
    (called from AccountsConfig.ready())."""
    for model, model_admin in [
        (get_user_model(), StaffUserAdmin),
        (TOTPDevice, SuperuserOnlyTOTPDeviceAdmin),
        (StaticDevice, SuperuserOnlyStaticDeviceAdmin),
    ]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
