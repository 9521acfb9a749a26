"""Forms for the promise's structure: targets in plain choices, and a commitment
with its target in one row of the promise's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActivityKind, Commitment, Municipality, Promise, Target

WEEKDAY = "weekday:"


def frequency_choices() -> list[tuple[str, str]]:
    """ "Hur ofta": the periods, and every weekday as one choice ("varje fredag")."""
    return [
        (Target.Period.WEEK, _("per vecka")),
        *[
            (f"{WEEKDAY}{day.value}", _("varje %(weekday)s") % {"weekday": day.label})
            for day in Target.Weekday
        ],
        (Target.Period.MONTH, _("per månad")),
        (Target.Period.QUARTER, _("per kvartal")),
        (Target.Period.HALF_YEAR, _("per halvår")),
        (Target.Period.YEAR, _("per år")),
    ]


FIELD_HELP = {
    "kind": _(
        "Vad som räknas: en sorts aktivitet, publicerade rapporter till invånarna "
        "eller utvärderingen."
    ),
    "count": _(
        "Hur många som ska göras per period. Lämna tomt om åtagandet saknar ett "
        "mätbart antal: då räknas bara det som görs."
    ),
    "frequency": _(
        "Perioden som antalet gäller. ”Varje fredag” räknar veckorna med en "
        "aktivitet på en fredag, en per vecka."
    ),
    "min_districts": _(
        "För ”i olika delar av kommunen”: minst så många olika kommundelar. Annars "
        "tomt."
    ),
    "joint": _("Räkna bara aktiviteter där både polisen och kommunen deltog."),
    "other_kinds": _(
        "Fler sorters aktiviteter som räknas tillsammans med den första, t.ex. "
        "”5 gånger i veckan: trafikkontroll, skolbesök eller fotpatrull”."
    ),
    "districts": _(
        "Räkna bara aktiviteter i dessa kommundelar, t.ex. kommunens byar. Inga "
        "valda: hela kommunen."
    ),
    "party": _(
        "Räkna bara aktiviteter där denna part deltog, t.ex. polisen, kommunen "
        "eller Kustbevakningen. Tomt: vem som helst."
    ),
}


class TargetForm(forms.ModelForm):
    """A target with "how often" as one choice: a period, or every weekday."""

    frequency = forms.ChoiceField(
        label=_("hur ofta"),
        choices=frequency_choices,
        help_text=FIELD_HELP["frequency"],
    )
    other_kinds = forms.MultipleChoiceField(
        label=_("räkna också"),
        choices=ActivityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=FIELD_HELP["other_kinds"],
    )

    class Meta:
        model = Target
        fields = [
            "kind",
            "other_kinds",
            "count",
            "frequency",
            "min_districts",
            "districts",
            "joint",
            "party",
        ]
        widgets = {"districts": forms.CheckboxSelectMultiple}
        help_texts = {
            name: text
            for name, text in FIELD_HELP.items()
            if name not in ("frequency", "other_kinds")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.instance
        if target.pk or not self.initial.get("frequency"):
            self.initial["frequency"] = frequency_of(target)

    def clean(self):
        cleaned_data = super().clean()
        apply_frequency(self.instance, cleaned_data)
        party = cleaned_data.get("party")
        commitment = cleaned_data.get("commitment") or getattr(
            self.instance, "commitment", None
        )
        promise = getattr(commitment, "promise", None) or getattr(
            getattr(commitment, "focus_area", None), "promise", None
        )
        if promise is not None and any(
            district.municipality_id != promise.municipality_id
            for district in cleaned_data.get("districts") or []
        ):
            self.add_error(
                "districts",
                _("Välj bara kommundelar i %(municipality)s.")
                % {"municipality": promise.municipality},
            )
        if (
            party is not None
            and promise is not None
            and not party.takes_part_for(promise.municipality)
        ):
            self.add_error(
                "party",
                _(
                    "Välj en part som samverkar med %(municipality)s eller dess "
                    "lokalpolisområde."
                )
                % {"municipality": promise.municipality},
            )
        return cleaned_data


def frequency_of(target: Target) -> str:
    if target.weekday:
        return f"{WEEKDAY}{target.weekday}"
    return target.period or Target.Period.YEAR


def apply_frequency(target: Target, cleaned_data: dict) -> None:
    """Set the target's period and weekday from "hur ofta"; every weekday means
    one a week, so an empty count is 1."""
    frequency = cleaned_data.get("frequency") or Target.Period.YEAR
    if frequency.startswith(WEEKDAY):
        target.period = Target.Period.WEEK
        target.weekday = int(frequency.removeprefix(WEEKDAY))
        if cleaned_data.get("count") is None:
            cleaned_data["count"] = target.count = 1
    else:
        target.period = frequency
        target.weekday = None


TARGET_PREFIX = "target_"


class CommitmentWithTargetForm(forms.ModelForm):
    """A commitment and its (first) target, as one row of the promise's page.

    Its other targets, if any, are edited on the commitment's own page.
    """

    target_kind = forms.ChoiceField(
        label=_("mål: vad räknas"),
        choices=[("", "–"), *Target.KIND_CHOICES],
        required=False,
        help_text=_(
            "Lämna tomt för ett åtagande utan mål. Fler mål läggs till på "
            "åtagandets sida."
        ),
    )
    target_count = forms.IntegerField(
        label=_("mål: antal"),
        min_value=1,
        max_value=32767,
        required=False,
        help_text=FIELD_HELP["count"],
    )
    target_frequency = forms.ChoiceField(
        label=_("mål: hur ofta"),
        choices=frequency_choices,
        required=False,
        help_text=FIELD_HELP["frequency"],
    )
    target_min_districts = forms.IntegerField(
        label=_("mål: minst antal kommundelar"),
        min_value=1,
        max_value=32767,
        required=False,
        help_text=FIELD_HELP["min_districts"],
    )
    target_joint = forms.BooleanField(
        label=_("mål: gemensamt"), required=False, help_text=FIELD_HELP["joint"]
    )

    class Meta:
        model = Commitment
        fields = ["focus_area", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = (
            self.instance.targets.order_by("pk").first() if self.instance.pk else None
        )
        if self.target is not None:
            for name in ("kind", "count", "min_districts", "joint"):
                self.initial.setdefault(
                    TARGET_PREFIX + name, getattr(self.target, name)
                )
            self.initial.setdefault(
                TARGET_PREFIX + "frequency", frequency_of(self.target)
            )
        else:
            self.initial.setdefault(TARGET_PREFIX + "frequency", Target.Period.YEAR)

    def clean(self):
        cleaned_data = super().clean()
        data = {
            name.removeprefix(TARGET_PREFIX): value
            for name, value in cleaned_data.items()
            if name.startswith(TARGET_PREFIX)
        }
        if not data.get("kind"):
            if self.target is not None:
                self.add_error(
                    TARGET_PREFIX + "kind",
                    _("Välj vad som räknas, eller ta bort målet på åtagandets sida."),
                )
            self.target_form = None
            return cleaned_data
        target_data = {
            "kind": data["kind"],
            "frequency": data.get("frequency") or Target.Period.YEAR,
        }
        for name in ("count", "min_districts"):
            if data.get(name) is not None:
                target_data[name] = data[name]
        if data.get("joint"):
            target_data["joint"] = "on"
        self.target_form = TargetForm(target_data, instance=self.target or Target())
        if not self.target_form.is_valid():
            for name, errors in self.target_form.errors.items():
                field = TARGET_PREFIX + name if name != "__all__" else None
                for error in errors:
                    self.add_error(field, error)
        return cleaned_data

    def save(self, commit=True):
        commitment = super().save(commit=commit)
        if commit:
            self.save_target()
        return commitment

    def save_target(self) -> None:
        if getattr(self, "target_form", None) is None:
            return
        target = self.target_form.save(commit=False)
        target.commitment = self.instance
        target.save()


EXAMPLE = "exempel"


class FromTemplateForm(forms.Form):
    """ "Nytt medborgarlöfte från mall": the structure of a promise to start from."""

    template = forms.ChoiceField(
        label=_("Utgå från"),
        help_text=_(
            "Fokusområden, åtaganden och mål kopieras, inga aktiviteter. Ändra dem "
            "sedan på löftets sida."
        ),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Municipality.objects.none(), empty_label=None
    )
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2200,
        help_text=_("Löftet gäller 1 januari–31 december det året."),
    )
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        required=False,
        help_text=_("Tomt: ”Medborgarlöfte <kommun> <år>”."),
    )

    def __init__(self, *args, templates, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(promise.pk): promise for promise in templates}
        self.fields["template"].choices = [
            *((pk, str(promise)) for pk, promise in self.templates.items()),
            (EXAMPLE, _("Haninges medborgarlöfte (exempel)")),
        ]
        self.fields["municipality"].queryset = municipalities

    def clean_template(self) -> Promise | None:
        return self.templates.get(self.cleaned_data["template"])
