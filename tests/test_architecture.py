"""The house rules that the linters do not check (docs/architecture.md): how complex a function of
the app may be, how many entries the app's folder has, and which test modules a test may import.

Complexity is radon's cyclomatic complexity rank (A-F), for every function, method and class of
programs/ but its migrations, as `radon cc -s -n C programs` lists them.
"""

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "programs"
MAX_AT_RANK_C = 10
MAX_TOP_LEVEL_ENTRIES = 20
SHARED_TEST_MODULES = {"tests", "tests.helpers", "tests.factories"}  # and any conftest


def ranks(source: str, where: str) -> dict[str, str]:
    """{"<where> <function, Class or Class.method>": rank} of every block of a module's source."""
    return {f"{where} {block.fullname}": cc_rank(block.complexity) for block in cc_visit(source)}


def app_ranks() -> dict[str, str]:
    found = {}
    for path in sorted(APP.rglob("*.py")):
        if "migrations" not in path.relative_to(APP).parts:
            found |= ranks(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    return found


@pytest.fixture(scope="module")
def ranked():
    return app_ranks()


def test_no_function_ranks_d_or_worse(ranked):
    worst = sorted(name for name, rank in ranked.items() if rank >= "D")
    assert worst == [], "split these by what they do, into functions of rank A or B"


def test_at_most_ten_functions_rank_c(ranked):
    at_c = sorted(name for name, rank in ranked.items() if rank == "C")
    assert len(at_c) <= MAX_AT_RANK_C, f"{len(at_c)} blocks rank C (at most {MAX_AT_RANK_C}): split some of {at_c}"


def test_the_ranks_are_radons():
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(10))
    source = f"def simple(x):\n    return x\n\n\ndef branching(x):\n{branches}    return x\n"
    assert ranks(source, "m.py") == {"m.py simple": "A", "m.py branching": "C"}


def test_the_app_has_at_most_twenty_top_level_entries():
    entries = [path.name for path in APP.iterdir() if path.name != "__pycache__" and not path.name.startswith(".")]
    assert len(entries) <= MAX_TOP_LEVEL_ENTRIES, sorted(entries)


def is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_test_modules(source: str, path: Path) -> set[str]:
    """The modules of the tests package that a module (at `path`, with `source`) imports."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [node.module])])
            found |= {f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base for a in node.names}
    return {name for name in found if name.split(".")[0] == "tests"}


def test_no_test_module_imports_another():
    """What tests share lives in tests/helpers.py, tests/factories.py and the conftest files."""
    imports = {
        path.relative_to(ROOT).as_posix(): sorted(
            name
            for name in imported_test_modules(path.read_text(encoding="utf-8"), path)
            if name not in SHARED_TEST_MODULES and name.split(".")[-1] != "conftest"
        )
        for path in sorted((ROOT / "tests").rglob("*.py"))
    }
    assert {path: names for path, names in imports.items() if names} == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tests import factories as f\nfrom tests.helpers import SECRET", {"tests.factories", "tests.helpers"}),
        ("from tests.site.test_pages import PAGES", {"tests.site.test_pages"}),
        ("import tests.site.test_pages", {"tests.site.test_pages"}),
        ("from tests.site import test_pages", {"tests.site.test_pages"}),
        ("from .test_pages import PAGES", {"tests.site.test_pages"}),
        ("from . import test_pages", {"tests.site.test_pages"}),
        ("from ..helpers import SECRET", {"tests.helpers"}),
        ("from programs import models\nimport pytest", set()),
    ],
)
def test_imports_of_test_modules_are_found(source, expected):
    assert imported_test_modules(source, ROOT / "tests" / "site" / "test_example.py") == expected
