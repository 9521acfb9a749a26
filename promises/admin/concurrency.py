"""Optimistic locking for every object staff edit in the admin (issue 23): two
people open the same page, the first saves, and the second's save is refused
with a message that says who changed what, instead of putting the first's
values back.

The change page carries, in one hidden field (`_versions`, signed), a short
digest of each value its forms showed: the object's and each inline row's. On
saving, each form compares them with the row as it is now, read with
`select_for_update()` inside the admin's transaction. A field that changed
since the page was opened refuses the save; the page is shown again with what
the other person saved in the fields only they changed and the user's own text
in the fields they changed, and the message lists the changes, so that saving
again keeps both. A row deleted meanwhile says so on its line.

No version column is needed, so the check covers every model at once, inline
rows included, and changes made outside the admin (a command, a workflow, a
`QuerySet.update()`) too: what is compared is the values themselves.
django-concurrency (a version column per model, a trigger or a check on save)
would need a migration of every model and reports no field; simple-history
already says who saved last. A post without `_versions` (a script, a test that
posts its own data) is not checked: the lock protects people from each other,
it is not a permission.
"""

import base64
import datetime
import hashlib

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

TOKEN = "_versions"
SALT = "promises.admin.concurrency"


def object_key(model, pk) -> str:
    return f"{model._meta.concrete_model._meta.label_lower}:{pk}"


def checked_fields(form) -> dict[str, models.Field]:
    """The form's fields that are the model's own values (not its primary key,
    nor one the form shows disabled, which it never saves)."""
    opts = form._meta.model._meta
    fields = {}
    for name, form_field in form.fields.items():
        if form_field.disabled:
            continue
        try:
            field = opts.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field) and not field.primary_key:
            fields[name] = field
    return fields


def comparable(field, value):
    """One value as the database holds it and as a form cleans it alike."""
    if field.many_to_many:
        return sorted(getattr(item, "pk", item) for item in value or ())
    if field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(datetime.UTC)
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def digest(field, value) -> str:
    data = repr(comparable(field, value)).encode()
    return base64.b64encode(hashlib.sha256(data).digest()[:6]).decode()


def stored_values(model, pks, fields, lock=False) -> dict:
    """{pk: {name: value}} of the rows as the database holds them now."""
    many = [name for name, field in fields.items() if field.many_to_many]
    queryset = model._base_manager.filter(pk__in=pks).prefetch_related(*many)
    if lock:
        queryset = queryset.select_for_update()
    return {
        obj.pk: {
            name: (
                list(getattr(obj, name).all())
                if field.many_to_many
                else getattr(obj, field.attname)
            )
            for name, field in fields.items()
        }
        for obj in queryset
    }


def page_versions(forms) -> dict:
    """What the page's forms show of each saved object: {key: {name: digest}},
    read with one query for each inline's rows (and each many-to-many field)."""
    groups: dict = {}
    for form in forms:
        instance = form.instance
        if instance.pk is None or instance._state.adding:
            continue
        fields = checked_fields(form)
        group = groups.setdefault((type(instance), tuple(fields)), (fields, []))
        group[1].append(instance.pk)
    versions = {}
    for (model, _names), (fields, pks) in groups.items():
        for pk, stored in stored_values(model, pks, fields).items():
            versions[object_key(model, pk)] = {
                name: digest(fields[name], value) for name, value in stored.items()
            }
    return versions


def posted_versions(request) -> dict | None:
    if request.method != "POST" or TOKEN not in request.POST:
        return None
    try:
        return signing.loads(request.POST[TOKEN], salt=SALT)
    except signing.BadSignature:
        return None


def shown(field, value) -> str:
    """A stored value as the message shows it."""
    if field.many_to_many:
        text = ", ".join(str(item) for item in value) or "–"
    elif field.is_relation:
        text = str(field.related_model._base_manager.filter(pk=value).first() or "–")
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(value, datetime.datetime):
        text = formats.date_format(timezone.localtime(value), "j F Y H:i")
    elif isinstance(value, datetime.date):
        text = formats.date_format(value, "j F Y")
    elif value in (None, ""):
        text = "–"
    else:
        text = str(value)
    return Truncator(text).chars(80)


def last_record(model, pk):
    """The row's last historical record (simple-history), or None."""
    history = getattr(model._meta.concrete_model, "history", None)
    return history.filter(id=pk).order_by("-history_date").first() if history else None


def last_change(model, pk) -> str:
    """Who saved (or deleted) the row last, and when, from its history."""
    record = last_record(model, pk)
    if record is None:
        return ""
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else _("okänd")
    when = formats.date_format(timezone.localtime(record.history_date), "j F H:i")
    return f" ({who}, {when})"


class ConcurrencyCheckedForm:
    """Mixed into the admin's form classes (ConcurrentEditAdmin): refuses a save
    of values that someone else changed after the page was opened."""

    known_versions: dict | None = None
    taken_over: dict | None = None

    def clean(self):
        cleaned_data = super().clean()
        if self.known_versions is not None:
            self._refuse_changed_values()
        return cleaned_data

    def _refuse_changed_values(self):
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return
        versions = self.known_versions.get(object_key(type(instance), instance.pk))
        if not versions:
            return
        fields = {
            name: field
            for name, field in checked_fields(self).items()
            if name in versions
        }
        model = type(instance)
        stored = stored_values(model, [instance.pk], fields, lock=True).get(instance.pk)
        if stored is None:
            return
        theirs = [
            name
            for name, field in fields.items()
            if digest(field, stored[name]) != versions[name]
        ]
        if not theirs:
            return
        mine = {
            name
            for name, field in fields.items()
            if name not in self.cleaned_data
            or digest(field, self.cleaned_data[name]) != versions[name]
        }
        # The fields only the other person changed show their value now, so
        # that saving the page again keeps it.
        self.taken_over = {
            self.add_prefix(name): stored[name] for name in theirs if name not in mine
        }
        changes = "; ".join(
            f"{capfirst(fields[name].verbose_name)}: ”{shown(fields[name], stored[name])}”"
            for name in theirs
        )
        both = [fields[name].verbose_name for name in theirs if name in mine]
        message = _(
            "Någon annan har sparat det här medan du redigerade%(change)s. Dina "
            "ändringar är inte sparade än. Det som ändrats: %(changes)s."
        ) % {"change": last_change(model, instance.pk), "changes": changes}
        if both:
            message += " " + _(
                "Ni har båda ändrat %(fields)s: där står din text kvar, och sparar du "
                "igen ersätter den den andras."
            ) % {"fields": ", ".join(str(name) for name in both)}
        else:
            message += " " + _(
                "Formuläret visar nu deras ändringar och dina: spara igen för att "
                "behålla båda."
            )
        self.add_error(None, ValidationError(message, code="changed_meanwhile"))

    def _widget_data_value(self, widget, html_name):
        if self.taken_over and html_name in self.taken_over:
            return self.taken_over[html_name]
        return super()._widget_data_value(widget, html_name)


class ConcurrencyCheckedFormSet:
    """Mixed into the admin's inline formsets: a row deleted by someone else
    since the page was opened is said so above the rows. (Django reports it
    only on the row's hidden id, and the admin does not show the row at all,
    since it lists the rows that still exist.)"""

    def clean(self):
        super().clean()
        deleted = [form for form in self.initial_forms if self._deleted_meanwhile(form)]
        if deleted:
            raise ValidationError([self._deleted_message(form) for form in deleted])

    def _deleted_meanwhile(self, form) -> bool:
        pk_name = self.model._meta.pk.name
        posted_pk = form.data.get(form.add_prefix(pk_name))
        return bool(
            posted_pk
            and pk_name in form.errors
            and not self._should_delete_form(form)
            and not self.model._base_manager.filter(pk=posted_pk).exists()
        )

    def _deleted_message(self, form) -> str:
        posted_pk = form.data.get(form.add_prefix(self.model._meta.pk.name))
        record = last_record(self.model, posted_pk)
        typed = [
            f"”{value}”"
            for name, value in form.cleaned_data.items()
            if isinstance(value, str) and value and name in form.changed_data
        ] or [
            f"”{value}”"
            for value in form.cleaned_data.values()
            if isinstance(value, str) and value
        ]
        return _(
            "Raden ”%(row)s” togs bort av någon annan%(change)s medan du "
            "redigerade, så det du skrev på den är inte sparat: %(typed)s. Lägg "
            "in det på en ny rad om det ska sparas."
        ) % {
            "row": record.instance if record else posted_pk,
            "change": last_change(self.model, posted_pk),
            "typed": ", ".join(typed) or "–",
        }


def checked_form(form_class, versions):
    """The form class, checked. Its fields are the very ones of the class it
    extends, as an admin may have narrowed them (a choice's queryset) after the
    class was made, which the model form's metaclass would undo."""
    checked = type(
        form_class.__name__,
        (ConcurrencyCheckedForm, form_class),
        {"known_versions": versions},
    )
    checked.base_fields = form_class.base_fields
    checked.declared_fields = form_class.declared_fields
    return checked


class ConcurrentEditAdmin:
    """Optimistic locking on a ModelAdmin's change page and its inlines."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return checked_form(form, posted_versions(request))

    def get_formsets_with_inlines(self, request, obj=None):
        versions = posted_versions(request)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            form = checked_form(formset.form, versions)
            yield (
                type(
                    formset.__name__,
                    (ConcurrencyCheckedFormSet, formset),
                    {"form": form},
                ),
                inline,
            )

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None and "adminform" in context:
            forms = [context["adminform"].form] + [
                form
                for inline in context.get("inline_admin_formsets", ())
                for form in inline.formset.forms
            ]
            context["concurrency_token"] = signing.dumps(
                page_versions(forms), salt=SALT, compress=True
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
