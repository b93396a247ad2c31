"""The layers and homes `docs/architecture.md` promises, enforced: import-linter's contracts
(layers, the mock apart, no cycles), no function-local import, and no step named by a string
outside its declaration."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from applications.registry import STEPS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
APPS = [
    "portal",
    "notifications",
    "govdata",
    "surveys",
    "applications",
    "approvals",
    "promises",
    "temporary",
    "supervision",
]
REGISTRY = ROOT / "applications" / "workflows.py"  # where every step is declared


def project_files(suffix: str = ".py"):
    for app in APPS:
        for path in sorted((ROOT / app).rglob(f"*{suffix}")):
            if "migrations" not in path.parts:
                yield path


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _local_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Imports inside functions, except in an AppConfig's ready() (Django's place for them)."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" and path.name == "apps.py":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_function_local_imports():
    found = [hit for path in project_files() for hit in _local_imports(path)]
    assert found == []


def test_the_local_import_finder_finds_one(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from os import path\n    return path\n")
    assert _local_imports(probe, root=tmp_path) == ["probe.py:2"]


def _attribute_keys(tree: ast.AST) -> set[int]:
    """Ids of string constants that are keys of an HTML `attrs={...}` dict (e.g. "accept")."""
    keys = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "attrs"
            and isinstance(node.value, ast.Dict)
        ):
            keys |= {id(key) for key in node.value.keys if key is not None}
    return keys


def _choices_members(tree: ast.AST) -> set[int]:
    """Ids of string constants inside a TextChoices class (another vocabulary's values)."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "attr", getattr(base, "id", "")) == "TextChoices" for base in node.bases
        ):
            inside |= {id(child) for child in ast.walk(node)}
    return inside


def step_name_literals(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = _attribute_keys(tree) | _choices_members(tree)
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in names
        and id(node) not in skip
    ]


def test_no_step_name_is_written_as_a_string_outside_its_declaration():
    names = set(STEPS)
    found = [
        hit
        for path in project_files()
        if path != REGISTRY
        for hit in step_name_literals(path, names)
    ]
    assert found == []
    # Templates compare states and take step names from their context, never spell one.
    alternatives = "|".join(sorted(names))
    quoted = re.compile(rf"""["']({alternatives})["']""")
    in_templates = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in quoted.finditer(path.read_text())
        if match.group(1) != "submit"  # <button type="submit">
    ]
    assert in_templates == []


def test_the_declaration_is_where_the_names_are():
    assert step_name_literals(REGISTRY, set(STEPS)) != []
