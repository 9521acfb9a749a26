from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from promises.models import Municipality
from reports.importing import import_indicators


class Command(BaseCommand):
    help = (
        "Läser in indikatorvärden från en CSV-fil (se docs/indicators-example.csv). "
        "Allt eller inget: en fil med fel ändrar ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV-filen")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle hända utan att spara något.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan inte läsa {file}: {error.strerror}") from None
        result = import_indicators(
            data, municipalities=list(Municipality.objects.all()), dry_run=dry_run
        )
        if not result.ok:
            for line in result.error_lines():
                self.stderr.write(line)
            raise CommandError(
                f"{len(result.errors)} fel. Ingenting sparades; rätta filen och försök igen."
            )
        counts = result.counts()
        summary = (
            f"{counts['ny']} nya, {counts['ändras']} ändrade och "
            f"{counts['oförändrad']} oförändrade värden"
        )
        if dry_run:
            self.stdout.write(f"Provkörning: {summary}. Ingenting sparades.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Klart: {summary}."))
