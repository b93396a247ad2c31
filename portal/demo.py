"""What the apps above add to the demo data without `portal` importing them: each registers a
seeder from its `AppConfig.ready()`, and `seed_demo` runs them in its transaction once the demo
logins, identities and accounts exist. A seeder is safe to run twice and returns a line for the
command's summary."""

from __future__ import annotations

from collections.abc import Callable

DEMO_SEEDERS: list[Callable[[], str]] = []


def register_demo_seeder(seeder: Callable[[], str]) -> None:
    if seeder not in DEMO_SEEDERS:
        DEMO_SEEDERS.append(seeder)
