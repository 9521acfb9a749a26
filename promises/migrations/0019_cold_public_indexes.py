from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that let the public pages' counts read indexes only
    (docs/performance.md, issue 12)."""

    dependencies = [
        ("promises", "0018_loop_topics_outcomes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=[
                    "promise",
                    "status",
                    "kind",
                    "publication_level",
                    "starts_at",
                    "place_type",
                    "id",
                ],
                name="activity_public_idx",
            ),
        ),
        # A district's activities: Django's own indexes on the links are
        # (activity, district) and (district); this one answers "the activities of
        # this district" from the index.
        migrations.RunSQL(
            "CREATE INDEX activity_districts_by_district_idx "
            "ON promises_activity_districts (district_id, activity_id)",
            "DROP INDEX activity_districts_by_district_idx",
        ),
    ]
