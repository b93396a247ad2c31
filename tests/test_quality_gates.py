"""Lint, formatting and migrations are part of the suite, so `make test` in CI enforces them."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_check_is_clean():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_models_and_migrations_agree():
    result = run(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


# Fixtures live in conftest.py files, test data and helpers in plain modules (tests/factories.py,
# tests/workflow.py, tests/helpers.py, ...): no file imports a conftest or a test module.
TESTS = ROOT / "tests"


def _is_test_or_conftest(module: str) -> bool:
    return any(part == "conftest" or part.startswith("test_") for part in module.split("."))


def _imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, dotted name) of every module the file imports, relative imports resolved; for
    `from package import name` also `package.name` when that is a module of the project."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in [*parent, base] if p)
            found.append((node.lineno, base))
            for alias in node.names:
                candidate = root.joinpath(*base.split("."), alias.name)
                if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
                    found.append((node.lineno, f"{base}.{alias.name}"))
    return found


def test_no_file_under_tests_imports_a_conftest_or_a_test_module():
    offending = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module in _imported_modules(path)
        if _is_test_or_conftest(module)
    ]
    assert not offending, "\n".join(offending)


def _is_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "fixture":
            return True
    return False


def _not_fixtures_or_hooks(source: str) -> list[tuple[int, str]]:
    """(line, name) of each top-level public function of `source` that is neither a fixture nor
    a pytest_* hook, and of each public class."""
    found = []
    for node in ast.parse(source).body:
        kinds = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        if not isinstance(node, kinds) or node.name.startswith("_"):
            continue
        if isinstance(node, ast.ClassDef) or not (
            _is_fixture(node) or node.name.startswith("pytest_")
        ):
            found.append((node.lineno, node.name))
    return found


def _offences(paths, finder) -> str:
    """One line per (line, name) the finder reports in each file; empty when there is none."""
    return "\n".join(
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in sorted(paths)
        for line, name in finder(path.read_text())
    )


def test_conftest_files_define_only_fixtures_and_hooks():
    offending = _offences(TESTS.rglob("conftest.py"), _not_fixtures_or_hooks)
    assert not offending, "helpers belong in a plain module, not conftest.py:\n" + offending


def test_the_conftest_gate_knows_fixtures_from_helpers():
    source = """
import pytest
from pytest import fixture

@pytest.fixture
def applicant(db): ...

@pytest.fixture(scope="session")
def browser(): ...

@fixture(autouse=True)
def _mode(): ...

def pytest_collection_modifyitems(items): ...

def _private(): ...

def make_user(name): ...

class Worker: ...
"""
    assert [name for _, name in _not_fixtures_or_hooks(source)] == ["make_user", "Worker"]


def _fixtures_defined(source: str) -> list[tuple[int, str]]:
    """(line, name) of every function of `source`, at any depth (methods and nested functions
    too), decorated with `pytest.fixture`, bare or called."""
    return [
        (node.lineno, node.name)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_fixture(node)
    ]


def test_fixtures_are_defined_only_in_conftest_files():
    modules = (path for path in TESTS.rglob("*.py") if path.name != "conftest.py")
    offending = _offences(modules, _fixtures_defined)
    assert not offending, "fixtures belong in the conftest.py of their directory:\n" + offending


def test_the_fixture_gate_finds_fixtures_at_any_depth():
    source = """
import pytest
from pytest import fixture

@pytest.fixture
def applicant(db): ...

@fixture(autouse=True)
async def _mode(): ...

class TestSomething:
    @pytest.fixture(scope="class")
    def _setup(self): ...

    def test_it(self): ...

def make_user(name): ...

def test_uses(applicant): ...
"""
    assert [name for _, name in _fixtures_defined(source)] == ["applicant", "_mode", "_setup"]


def test_the_import_gate_sees_every_spelling(tmp_path):
    """The gate itself: absolute, relative and module-as-name imports of a test module or a
    conftest are caught; helpers (even one named test_…) are not."""
    package = tmp_path / "suite" / "area"
    package.mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "test_other.py", "helpers.py"):
        (package / name).write_text("")
    cases = {
        "from suite.area.conftest import FACE": True,
        "from suite.area.test_other import step": True,
        "import suite.area.test_other": True,
        "from .conftest import FACE": True,
        "from . import test_other": True,
        "from suite.area import conftest": True,
        "from suite.area.helpers import FACE": False,
        "from suite.area.helpers import test_database_url": False,
        "from django.test import TestCase": False,
    }
    for source, caught in cases.items():
        probe = package / "test_probe.py"
        probe.write_text(f"def f():\n    {source}\n")
        modules = [module for _, module in _imported_modules(probe, root=tmp_path)]
        assert any(map(_is_test_or_conftest, modules)) is caught, (source, modules)
