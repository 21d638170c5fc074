"""docs/ARCHITECTURE.md's package table, enforced: which package may import what."""

from __future__ import annotations

import ast
import graphlib
import re
from collections.abc import Collection
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"
# Tooling, not Parley: they may import everything (the document says so).
UNLISTED = {"tests", "bench"}
ROW = re.compile(r"^\| `(?P<package>[a-z_/]+)/` \|.*\| (?P<forbidden>[^|]*) \|$")
# Only the store may reach into bot.store's internals; others use `bot.store` itself.
STORE_INTERNALS = "bot.store."


def forbidden_imports() -> dict[str, set[str]]:
    """package -> top-level modules it must not import, from the table's last column."""
    table: dict[str, set[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line.strip()):
            names = re.split(r"[,\s]+", match["forbidden"].replace("`", ""))
            table[match["package"]] = {name for name in names if name}
    return table


FORBIDDEN = forbidden_imports()


def imported_modules(path: Path, submodules: Collection[str] = ()) -> set[str]:
    """Modules `path` imports, at the top or inside a function. `from a import b` names
    `a`, or `a.b` when that is one of `submodules`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if submodule in submodules else node.module)
    return names


def python_files(package: str) -> list[Path]:
    nested = {other for other in FORBIDDEN if other.startswith(f"{package}/")}
    return sorted(
        path
        for path in (ROOT / package).rglob("*.py")
        if not any(path.is_relative_to(ROOT / other) for other in nested)
    )


def test_the_table_names_every_package_and_only_packages() -> None:
    on_disk = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in UNLISTED and not path.parent.name.startswith(".")
    }
    top_level = {package.split("/")[0] for package in FORBIDDEN}
    assert top_level == on_disk
    assert all((ROOT / package / "__init__.py").exists() for package in FORBIDDEN)


def test_cli_is_the_top_nobody_imports_it() -> None:
    assert all("cli" in forbidden for package, forbidden in FORBIDDEN.items() if package != "cli")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_architecture_allows(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(package)
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("package", sorted(set(FORBIDDEN) - {"bot", "bot/store"}))
def test_only_the_store_touches_store_internals(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(package)
        for module in imported_modules(path)
        if module.startswith(STORE_INTERNALS)
    ]
    assert not violations, "\n".join(violations)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_between_modules() -> dict[str, set[str]]:
    """module -> Parley modules it imports, at the top or inside a function."""
    paths = {module_name(path): path for package in FORBIDDEN for path in python_files(package)}
    return {
        name: {target for target in imported_modules(path, paths) if target in paths} - {name}
        for name, path in paths.items()
    }


def test_no_module_imports_itself_back() -> None:
    """An import cycle hidden in a function body is still a cycle: split the module."""
    try:
        tuple(graphlib.TopologicalSorter(imports_between_modules()).static_order())
    except graphlib.CycleError as cycle:
        pytest.fail(f"import cycle: {' -> '.join(cycle.args[1])}")
