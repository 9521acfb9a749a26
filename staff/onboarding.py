"""A new municipality in one step: "Ny kommun", for superusers.

The municipality, its districts, its police area (an existing one or a new one)
and its first coordinators and police liaisons, by name and e-mail. Nobody types
another person's password: each new user gets an e-mail with a link to choose
their own (Django's password-reset tokens, the page /konto/losenord/…), and at
the first login the app asks them to add a second factor. Someone who already
has an account (a liaison serving two municipalities) is added to the new one
and gets no e-mail, after the form has asked whether that is meant.

A role is a group, and a group holds in every municipality the person works for.
So an existing account is added only in the role it already has: listing the
partner reporter of Haninge as the new municipality's coordinator would make them
Haninge's coordinator too (its lägesbild, every partner's reports), and a liaison
as coordinator could export Haninge. The form refuses that, and inactive accounts;
a new role takes an account of its own (another e-mail address).
"""

import dataclasses

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promises.models import District, Municipality, Organisation, PoliceArea
from promises.roles import COORDINATOR, POLICE_LIAISON

PEOPLE_HELP = gettext_lazy(
    "En person per rad: namn och e-postadress, t.ex. ”Anna Andersson, "
    "anna.andersson@botkyrka.se”. Var och en får ett mejl med en länk för att "
    "välja sitt lösenord."
)


@dataclasses.dataclass(frozen=True)
class Person:
    name: str
    email: str

    @property
    def first_and_last_name(self) -> tuple[str, str]:
        first, _, last = self.name.partition(" ")
        return first[:150], last[:150]


def parse_people(text: str) -> list[Person]:
    """One person a line, "Name, e-mail" (or "Name <e-mail>"). Raises
    ValidationError naming each wrong line."""
    people, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        name, email = _split(line)
        try:
            if not name:
                raise ValidationError("name")
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Rad %(number)d: skriv namn och e-postadress, t.ex. ”%(example)s”.")
                % {"number": number, "example": "Anna Andersson, anna@kommun.se"}
            )
            continue
        people.append(Person(name, email.lower()))
    emails = [person.email for person in people]
    for email in sorted({e for e in emails if emails.count(e) > 1}):
        errors.append(_("%(email)s står på flera rader.") % {"email": email})
    if errors:
        raise ValidationError(errors)
    return people


def _split(line: str) -> tuple[str, str]:
    if "<" in line and line.endswith(">"):
        name, _, email = line[:-1].rpartition("<")
    else:
        name, _, email = line.rpartition(",")
        if not name:  # "Anna Andersson anna@kommun.se"
            name, _, email = line.rpartition(" ")
    return " ".join(name.strip(" ,").split()), email.strip()


class OnboardingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Kommunens namn"), max_length=100)
    districts = forms.CharField(
        label=gettext_lazy("Kommundelar"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "En per rad, som i trygghetsmätningen: t.ex. Alby, Fittja, Hallunda."
        ),
        error_messages={"required": gettext_lazy("Skriv minst en kommundel.")},
    )
    police_area = forms.ModelChoiceField(
        label=gettext_lazy("Lokalpolisområde"),
        queryset=PoliceArea.objects.all(),
        required=False,
        empty_label=gettext_lazy("– Ett nytt, med namnet nedan –"),
        help_text=gettext_lazy("Ett som redan tjänar en annan kommun, eller ett nytt."),
    )
    new_police_area = forms.CharField(
        label=gettext_lazy("Nytt lokalpolisområde"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("T.ex. ”Lokalpolisområde Botkyrka”."),
    )
    coordinators = forms.CharField(
        label=gettext_lazy("Kommunsamordnare"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=PEOPLE_HELP,
    )
    liaisons = forms.CharField(
        label=gettext_lazy("Polisens kontaktpersoner"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=PEOPLE_HELP,
    )
    # Shown, as a question, only when someone listed already has an account.
    add_existing = forms.BooleanField(
        label=gettext_lazy("Ja, lägg till de befintliga kontona i den nya kommunen"),
        required=False,
        widget=forms.HiddenInput,
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        slug = slugify(name)
        if not slug:
            raise ValidationError(_("Skriv kommunens namn."))
        if Municipality.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("%(name)s finns redan.") % {"name": name})
        if Municipality.objects.filter(slug=slug).exists():
            raise ValidationError(
                _("En annan kommun har redan kortnamnet %(slug)s.") % {"slug": slug}
            )
        return name

    def clean_districts(self) -> list[str]:
        names = [
            " ".join(line.split())
            for line in self.cleaned_data["districts"].splitlines()
        ]
        names = [name for name in names if name]
        if not names:
            raise ValidationError(_("Skriv minst en kommundel."))
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise ValidationError(_("Högst 100 tecken per kommundel."))
        slugs = [slugify(name, allow_unicode=True) for name in names]
        if not all(slugs):
            raise ValidationError(_("Varje kommundel behöver ett namn med bokstäver."))
        repeated = sorted(
            {n for n, s in zip(names, slugs, strict=True) if slugs.count(s) > 1}
        )
        if repeated:
            raise ValidationError(
                _("Samma kommundel står flera gånger: %(names)s.")
                % {"names": ", ".join(repeated)}
            )
        return names

    def clean_coordinators(self) -> list[Person]:
        return parse_people(self.cleaned_data["coordinators"])

    def clean_liaisons(self) -> list[Person]:
        return parse_people(self.cleaned_data["liaisons"])

    def clean(self):
        cleaned_data = super().clean()
        existing = cleaned_data.get("police_area")
        new = " ".join(cleaned_data.get("new_police_area", "").split())
        cleaned_data["new_police_area"] = new
        if existing and new:
            self.add_error(
                "new_police_area",
                _(
                    "Välj ett befintligt lokalpolisområde eller skriv ett nytt, inte båda."
                ),
            )
        elif not existing and not new:
            self.add_error(
                "new_police_area", _("Välj ett lokalpolisområde eller skriv ett nytt.")
            )
        elif new and PoliceArea.objects.filter(name__iexact=new).exists():
            self.add_error(
                "new_police_area",
                _("%(name)s finns redan: välj det i listan.") % {"name": new},
            )
        coordinators = cleaned_data.get("coordinators") or []
        liaisons = cleaned_data.get("liaisons") or []
        both = {p.email for p in coordinators} & {p.email for p in liaisons}
        if both:
            self.add_error(
                "liaisons",
                _("%(emails)s står både som samordnare och kontaktperson.")
                % {"emails": ", ".join(sorted(both))},
            )
        else:
            self._check_existing_accounts(coordinators, liaisons)
        return cleaned_data

    def _check_existing_accounts(self, coordinators, liaisons) -> None:
        """Refuse an existing account that is inactive or would get a new role
        (in every municipality it works for); ask before adding the others."""
        existing = []
        for field, role, people in [
            ("coordinators", COORDINATOR, coordinators),
            ("liaisons", POLICE_LIAISON, liaisons),
        ]:
            for person in people:
                user = existing_account(person.email)
                if user is None:
                    continue
                if not user.is_active:
                    self.add_error(
                        field,
                        _(
                            "%(email)s har ett avstängt konto. Aktivera det under "
                            "Användare först, eller skriv en annan e-postadress."
                        )
                        % {"email": person.email},
                    )
                elif widens_role(user, role):
                    self.add_error(field, _widening_message(user, role))
                else:
                    existing.append(user)
        if existing and not self.errors and not self.cleaned_data["add_existing"]:
            self.fields["add_existing"].widget = forms.CheckboxInput()
            self.add_error(
                "add_existing",
                _(
                    "%(people)s har redan konton. Ska de arbeta för den nya kommunen "
                    "också, med samma roll som i dag? Kryssa i rutan och skicka igen."
                )
                % {"people": ", ".join(_describe(user) for user in existing)},
            )


def existing_account(email: str):
    """The account of that e-mail address (or with it as its username), if any."""
    User = get_user_model()
    return (
        User.objects.filter(email__iexact=email).first()
        or User.objects.filter(username__iexact=email).first()
    )


def widens_role(user, role: str) -> bool:
    """Whether giving the account the role, as a group, would give it more in a
    municipality it already works for, or add another role to the new one."""
    if user.is_superuser:
        return False
    roles = set(user.groups.values_list("name", flat=True))
    if user.municipalities.exists():
        return roles != {role}
    return not roles <= {role}


def _describe(user) -> str:
    roles = ", ".join(user.groups.order_by("name").values_list("name", flat=True))
    places = ", ".join(
        user.municipalities.order_by("name").values_list("name", flat=True)
    )
    return _("%(user)s (%(roles)s för %(municipalities)s)") % {
        "user": user.email or user.get_username(),
        "roles": roles or _("ingen roll"),
        "municipalities": places or _("ingen kommun"),
    }


def _widening_message(user, role: str) -> str:
    return _(
        "%(account)s har redan ett konto. En roll gäller i alla kommuner som "
        "personen arbetar för: som %(role)s här skulle personen få samma roll "
        "där också. Skriv en annan e-postadress för den nya rollen, eller lägg "
        "personen under den roll hen redan har."
    ) % {"account": _describe(user), "role": role}


@dataclasses.dataclass
class Onboarded:
    municipality: Municipality
    invited: list  # new users, who get a link to choose a password
    added: list  # existing users, added to the municipality


@transaction.atomic
def onboard_municipality(
    *,
    name: str,
    districts: list[str],
    police_area: PoliceArea | None = None,
    new_police_area: str = "",
    coordinators: list[Person] = (),
    liaisons: list[Person] = (),
) -> Onboarded:
    """Create the municipality, its districts, its own organisation and police
    area, and its first staff, all or nothing."""
    if police_area is None:
        police_area = PoliceArea.objects.create(name=new_police_area)
    municipality = Municipality.objects.create(
        name=name, slug=slugify(name), police_area=police_area
    )
    for district in districts:
        District.objects.create(
            municipality=municipality,
            name=district,
            slug=slugify(district, allow_unicode=True),
        )
    Organisation.objects.create(
        name=_("%(name)s kommun") % {"name": name},
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=municipality,
    )
    result = Onboarded(municipality, [], [])
    User = get_user_model()
    for role, people in [(COORDINATOR, coordinators), (POLICE_LIAISON, liaisons)]:
        group = Group.objects.get(name=role)
        for person in people:
            user = existing_account(person.email)
            if user is not None and (not user.is_active or widens_role(user, role)):
                raise ValueError(f"{person.email}: inactive, or a role widened")
            if user is None:
                first_name, last_name = person.first_and_last_name
                user = User(
                    username=person.email,
                    email=person.email,
                    first_name=first_name,
                    last_name=last_name,
                    is_staff=True,
                )
                user.set_unusable_password()
                user.save()
                result.invited.append(user)
            else:
                if not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                result.added.append(user)
            user.groups.add(group)
            municipality.staff.add(user)
    return result
