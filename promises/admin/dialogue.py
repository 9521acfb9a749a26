"""What residents raised at safety dialogues, and what answers it."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Activity, ActivityKind, DialogueTopic, Finding, for_user
from .base import MunicipalityScopedAdmin, ScopedChoicesMixin


class DialogueTopicForm(forms.ModelForm):
    class Meta:
        model = DialogueTopic
        fields = ["text", "place", "districts", "commitment", "finding"]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned_data = super().clean()
        # On the dialogue's page the inline's instance has the dialogue (maybe
        # not saved yet); on the topic's own page it is a field of the form.
        dialogue = cleaned_data.get("dialogue") or (
            DialogueTopic.dialogue.field.get_cached_value(self.instance, None)
        )
        districts = cleaned_data.get("districts") or []
        if (
            dialogue is not None
            and dialogue.promise_id
            and any(
                d.municipality_id != dialogue.promise.municipality_id for d in districts
            )
        ):
            self.add_error(
                "districts",
                _("Välj bara kommundelar i %(municipality)s.")
                % {"municipality": dialogue.promise.municipality},
            )
        return cleaned_data


class DialogueTopicInline(ScopedChoicesMixin, admin.TabularInline):
    """What residents raised at the dialogue ("ni sa"), each linked to what
    answers it ("vi gjorde"). The choices are the dialogue's municipality's."""

    model = DialogueTopic
    form = DialogueTopicForm
    fk_name = "dialogue"
    extra = 1
    verbose_name_plural = _("Ni sa – vi gjorde: det invånarna tog upp")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "finding":
            kwargs["queryset"] = for_user(
                Finding.objects.select_related("inventory"), request.user
            ).order_by("-inventory__starts_at", "place")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.promise_id:
            fields = formset.form.base_fields
            municipality = obj.promise.municipality_id
            for name, path in [
                ("districts", "municipality"),
                ("commitment", "promise__municipality"),
                ("finding", "inventory__promise__municipality"),
            ]:
                if name in fields:
                    fields[name].queryset = fields[name].queryset.filter(
                        **{path: municipality}
                    )
        return formset


@admin.register(DialogueTopic)
class DialogueTopicAdmin(MunicipalityScopedAdmin):
    """Every topic residents raised, to see which still has no answer. Added and
    changed on the dialogue's page (DialogueTopicInline) as well."""

    form = DialogueTopicForm
    list_display = ["text", "place", "dialogue", "commitment", "finding"]
    list_filter = [
        ("commitment", admin.EmptyFieldListFilter),
        ("finding", admin.EmptyFieldListFilter),
        "districts",
    ]
    list_select_related = ["dialogue", "commitment__promise__municipality", "finding"]
    search_fields = ["text", "place"]
    autocomplete_fields = ["dialogue"]
    fields = ["dialogue", "text", "place", "districts", "commitment", "finding"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dialogue":
            kwargs["queryset"] = for_user(
                Activity.objects.filter(kind=ActivityKind.DIALOGUE), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
