"""Load Haninge's medborgarlöfte (docs/seed/haninge-medborgarloften.txt) as data.

Idempotent: running it again changes nothing that is already there. With --demo it
adds made-up demo data for whatever day it is: last year's promise with a whole
year of activities, its quarterly reports and its published evaluation; this
year's up to today, with the reports of the quarters that have ended; indicator
values; a second municipality (Nynäshamn); twelve months of Haninge's incident
reports (incidents/demo.py); and the demo users `samordnare`, `kontaktperson` and
`samverkanspart`.
"""

import os

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from incidents import demo as incidents_demo
from promises import demo, generations, rollups
from promises.models import Commitment, Finding, Promise
from promises.roles import sync_role_groups
from reports import demo as reports_demo


class Command(BaseCommand):
    help = (
        "Läser in Haninges medborgarlöfte. Med --demo även demodata och demoanvändare."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Lägg till demodata för förra året och i år, Nynäshamn och "
            "demoanvändare.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        # The pages' generations once, at the end, not at each of the thousand
        # rows written (promises/generations.py).
        with generations.deferred():
            self.load(**options)

    def load(self, **options):
        today = timezone.localdate()
        haninge = demo.load_municipality("Haninge", demo.HANINGE_DISTRICTS)
        demo.load_police_area(haninge)
        demo.load_organisations(haninge)
        promise = demo.load_haninge_promise(haninge, today.year)
        self.stdout.write(f"Haninge: {promise} med {self.count(promise)}.")
        if not options["demo"]:
            return
        last_year = demo.load_haninge_promise(haninge, today.year - 1, is_demo=True)
        # The activities' days grouped once, when they are all written, rather than
        # at each save and link (promises/rollups.py); before the reports read them.
        with rollups.deferred():
            for year in (last_year, promise):
                demo.load_demo_activities(year, today)
                demo.load_demo_problems(year)
        reports_demo.load_indicators(haninge, today)
        for year in (last_year, promise):
            reports_demo.load_goals(year)
        for year in (last_year, promise):
            reports_demo.load_reports(year, today)
            reports_demo.load_evaluation(year, today)
        nynashamn = demo.load_nynashamn(today)
        sync_role_groups(apps)  # normally done by migrate; again after a flush
        password = os.environ.get("DEMO_PASSWORD", "")
        without_password = demo.load_demo_users(haninge, password)
        if partner := incidents_demo.load_demo_partner(haninge, password):
            without_password.append(partner)
        incident_reports = incidents_demo.load_demo_reports(haninge, today)
        incidents_demo.load_demo_priorities(haninge, today)
        incidents_demo.load_demo_counts(haninge, today)
        for username in without_password:
            self.stdout.write(
                f"{username}: inget lösenord satt (sätt DEMO_PASSWORD för att logga in)."
            )
        self.stdout.write(
            f"Demodata: {promise.activities.count()} aktiviteter i Haninge i år och "
            f"{last_year.activities.count()} förra året, "
            f"{Finding.objects.filter(inventory__promise__municipality=haninge).count()} "
            f"iakttagelser; {nynashamn} med "
            f"{Promise.objects.filter(municipality=nynashamn).count()} löfte; "
            f"{incident_reports} händelserapporter i Haninge."
        )

    def count(self, promise: Promise) -> str:
        commitments = Commitment.objects.filter(focus_area__promise=promise).count()
        return f"{promise.focus_areas.count()} fokusområden och {commitments} åtaganden"
