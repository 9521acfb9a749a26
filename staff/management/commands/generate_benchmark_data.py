"""manage.py generate_benchmark_data: realistic data at scale for benchmarks (see
bench/README.md and staff/benchmark/). Never for real data: it writes without
validation and without history."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from promises.models import Municipality
from staff.benchmark import BenchmarkData
from staff.benchmark.activities import KIND_WEIGHTS, Kind


class Command(BaseCommand):
    help = (
        "Skapar benchmarkdata i stor skala: en kommun med ett publicerat "
        "medborgarlöfte per år och många aktiviteter. Skriver raderna direkt, "
        "alltså utan validering och utan historik (django-simple-history). Bara för "
        "prestandamätningar, aldrig för riktiga data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="Antal år (löften).")
        parser.add_argument(
            "--activities", type=int, default=100_000, help="Antal aktiviteter totalt."
        )
        parser.add_argument(
            "--municipality",
            default="Benchmark",
            help="Kommunens namn (default Benchmark). Får inte finnas redan.",
        )
        parser.add_argument(
            "--kinds",
            default="",
            help="Bara dessa typer, kommaseparerade (t.ex. other,inventory,dialogue "
            "för att få många rader i den öppna datamängden aktiviteter).",
        )
        parser.add_argument(
            "--incidents",
            type=int,
            default=50_000,
            help="Antal händelserapporter det senaste året (lägesbilden).",
        )
        parser.add_argument(
            "--municipalities",
            type=int,
            default=1,
            help="Antal kommuner (default 1). Den första får --activities och "
            "--incidents; de övriga (”<namn> 2”, ”<namn> 3” …) delar på "
            "--other-activities: nationell skala.",
        )
        parser.add_argument(
            "--other-activities",
            type=int,
            default=900_000,
            help="Antal aktiviteter totalt i de övriga kommunerna (default 900 000, "
            "så att --municipalities 50 ger ungefär en miljon).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Slumpfrö.")

    def handle(self, *args, **options):
        years, total = options["years"], options["activities"]
        count, others_total = options["municipalities"], options["other_activities"]
        if years < 1 or total < 0 or count < 1 or others_total < 0:
            raise CommandError(
                "--years och --municipalities måste vara minst 1, --activities och "
                "--other-activities minst 0."
            )
        weights = dict(KIND_WEIGHTS)
        if options["kinds"]:
            chosen = [k.strip() for k in options["kinds"].split(",") if k.strip()]
            unknown = [k for k in chosen if k not in Kind.values]
            if unknown:
                raise CommandError(f"Okända typer: {', '.join(unknown)}.")
            weights = {k: w for k, w in weights.items() if k in chosen}
        name = options["municipality"]
        names = [name] + [f"{name} {number}" for number in range(2, count + 1)]
        taken = Municipality.objects.filter(
            Q(name__in=names) | Q(slug__in=[slugify(n) for n in names])
        )
        if taken.exists():
            raise CommandError(
                f"Kommunen {taken.first().name!r} finns redan. Välj ett annat namn "
                "med --municipality eller använd en tom databas."
            )
        data = BenchmarkData(seed=options["seed"])
        started = time.perf_counter()
        # The others share their activities evenly, the first few one more.
        shares = (
            [
                others_total // (count - 1) + (n < others_total % (count - 1))
                for n in range(count - 1)
            ]
            if count > 1
            else []
        )
        with transaction.atomic():
            counts = data.municipality(name, years, total, weights)
            counts["händelserapporter"] = data.incidents(name, options["incidents"])
            others = {}
            for other, share in zip(names[1:], shares, strict=True):
                for label, number in data.municipality(
                    other, years, share, weights
                ).items():
                    others[label] = others.get(label, 0) + number
        # Fresh statistics for the query planner, as after any bulk load (it would
        # otherwise plan the first benchmarks for nearly empty tables). On
        # PostgreSQL also the visibility map, as autovacuum would make it later:
        # without it a count reads every row, not only the index (the admin's
        # activity count: 423 ms before, 25 ms after, docs/performance.md).
        # VACUUM cannot run inside a transaction (a test's).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(f"{name}: {self.summary(counts)}.")
        if others:
            self.stdout.write(
                f"{count - 1} kommuner till ({names[1]} … {names[-1]}): "
                f"{self.summary(others)}."
            )
        self.stdout.write(f"Klart på {seconds:.1f} sekunder.")

    @staticmethod
    def summary(counts: dict) -> str:
        return ", ".join(f"{number} {label}" for label, number in counts.items())
