from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0002_role_groups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["-starts_at", "-id"], name="activity_admin_ordering_idx"
            ),
        ),
    ]
