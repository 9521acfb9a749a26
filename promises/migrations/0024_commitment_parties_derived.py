"""Who promises, for the commitments that name nobody yet: the municipality and
its police area, together. A medborgarlöfte is the two's joint promise (Haninge's
says "polis och kommun gemensamt"), so that is what an unnamed commitment meant.
Progress does not read the parties: no figure changes."""

from django.db import migrations


def derive_parties(apps, schema_editor):
    Commitment = apps.get_model("promises", "Commitment")
    Organisation = apps.get_model("promises", "Organisation")
    through = Commitment.responsible_organisations.through
    named = through.objects.values("commitment_id")
    parties_of = {}
    links = []
    for commitment in (
        Commitment.objects.exclude(pk__in=named)
        .select_related("promise__municipality")
        .order_by("pk")
    ):
        municipality = commitment.promise.municipality
        if municipality.pk not in parties_of:
            own = (
                Organisation.objects.filter(
                    municipality=municipality, kind="municipality"
                )
                .order_by("pk")
                .first()
            )
            police = Organisation.objects.filter(
                kind="police",
                police_area_id=municipality.police_area_id,
                police_area__isnull=False,
            ).first()
            parties_of[municipality.pk] = [o for o in (own, police) if o is not None]
        links += [
            through(commitment_id=commitment.pk, organisation_id=organisation.pk)
            for organisation in parties_of[municipality.pk]
        ]
    through.objects.bulk_create(links, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("promises", "0023_commitment_parties")]

    operations = [migrations.RunPython(derive_parties, migrations.RunPython.noop)]
