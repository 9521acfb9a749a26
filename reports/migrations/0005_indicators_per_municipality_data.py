"""Each indicator its municipality.

Before: indicators were shared by every municipality and changed by any
coordinator. After: an indicator with values of one municipality only (or none,
where there is only one municipality) is that municipality's; one with values of
several stays a shared definition, which only superusers change. An indicator
that becomes a municipality's but was linked to other municipalities'
commitments is copied for each of them, with those links: nothing is lost.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorValue = apps.get_model("reports", "IndicatorValue")
    Municipality = apps.get_model("promises", "Municipality")
    only = list(Municipality.objects.values_list("pk", flat=True)[:2])
    for indicator in Indicator.objects.order_by("pk"):
        users = set(
            IndicatorValue.objects.filter(indicator=indicator).values_list(
                "municipality_id", flat=True
            )
        )
        if not users and len(only) == 1:
            users = set(only)
        if len(users) != 1:
            continue  # shared
        (municipality_id,) = users
        indicator.municipality_id = municipality_id
        indicator.save(update_fields=["municipality"])
        others = {}
        for commitment in indicator.commitments.exclude(
            focus_area__promise__municipality_id=municipality_id
        ).select_related("focus_area__promise"):
            other = commitment.focus_area.promise.municipality_id
            if other not in others:
                others[other] = Indicator.objects.create(
                    municipality_id=other,
                    name=indicator.name,
                    unit=indicator.unit,
                    source=indicator.source,
                    higher_is_better=indicator.higher_is_better,
                    description=indicator.description,
                )
            others[other].commitments.add(commitment)
            indicator.commitments.remove(commitment)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_indicators_per_municipality"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
