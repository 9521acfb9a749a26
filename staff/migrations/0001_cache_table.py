"""The table of the database cache (CACHE_URL=dbcache://…, the default), so that
`migrate` alone prepares a database. Does nothing for other caches; after
switching to the database cache later, run `manage.py createcachetable`.

Made by the app label medborgarlofte_security (the project package, installed as
an app) before staff took its place: `replaces` names that migration, so that a
database which applied it counts this one as applied too (see 0003)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    replaces = [("medborgarlofte_security", "0001_cache_table")]

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
