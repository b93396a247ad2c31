from datetime import date

from django.core.management.base import BaseCommand, CommandError

from supervision.seeding import SCENARIOS, history_present, history_seed


def month(value: str) -> date:
    year, number = value.split("-")
    return date(int(year), int(number), 1)


class Command(BaseCommand):
    help = (
        "Seed a synthetic history of the province's applications (16 cities, their counties, "
        "165 service-hall windows, every kind, voltage and channel) with the KPI counters. "
        "Deterministic for a seed. --scenario reform reproduces the reform's headline figures "
        "in 2025; --count applications more fall in the two years before."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=None,
            help="Applications (default 2000, 0 with a scenario).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scenario", choices=SCENARIOS, default="")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="The scenario's figures times this (tests)."
        )
        parser.add_argument(
            "--until", type=month, default=None, help="Last month (YYYY-MM), default this month."
        )

        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a seeded history is already there (seed_demo).",
        )

    def handle(self, *args, count, seed, scenario, scale, until, if_empty, **options):
        if if_empty and history_present():
            self.stdout.write("A seeded history is already there.")
            return
        if count is None:
            count = 0 if scenario else 2000
        if not 0 < scale <= 1:
            raise CommandError("--scale is between 0 and 1")

        def progress(written: int) -> None:
            if written % 50_000 < 5000 and options["verbosity"] > 1:
                self.stdout.write(f"{written} applications")

        try:
            written = history_seed(
                count=count,
                seed=seed,
                scenario=scenario,
                scale=scale,
                until=until,
                progress=progress,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Seeded {written} applications (seed {seed}).")
