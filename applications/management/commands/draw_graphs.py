"""Draw each kind's state graph from the code (django-fsm's graph export) into docs/graphs/."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django_fsm.management.commands.graph_transitions import generate_dot

from applications.workflows import KIND_MODELS


def dot_source(kind: str) -> str:
    model = KIND_MODELS[kind]
    with translation.override("en"):
        graph = generate_dot([(model._meta.get_field("state"), model)])
        graph.graph_attr.update(label=f"{kind} (drawn from the code)")
        graph.node_attr.update(shape="box", style="rounded")
        return graph.source


class Command(BaseCommand):
    help = "Write docs/graphs/<kind>.dot and, where Graphviz's dot is installed, <kind>.png."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "graphs"))

    def handle(self, *args, out: str, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        dot = shutil.which("dot")
        for kind in KIND_MODELS:
            source = folder / f"{kind}.dot"
            source.write_text(dot_source(kind), encoding="utf-8")
            if dot:
                subprocess.run(  # noqa: S603 - fixed argv
                    [dot, "-Tpng", "-Gdpi=80", str(source), "-o", str(folder / f"{kind}.png")],
                    check=True,
                )
            self.stdout.write(
                f"{kind}: {source}" + (" (+ png)" if dot else " (no dot: png not drawn)")
            )
