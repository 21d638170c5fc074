"""The import table of ARCHITECTURE.md, enforced: which package may import what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> top-level modules it must not import (ARCHITECTURE.md, "Packages and who may touch what")
FORBIDDEN: dict[str, set[str]] = {
    "bot": {
        "rasa",
        "rasa_sdk",
        "twilio",
        "telegram",
        "actions",
        "channels",
        "campaigns",
        "cli",
        "api",
    },
    "bot/store": {
        "rasa",
        "rasa_sdk",
        "twilio",
        "telegram",
        "actions",
        "channels",
        "campaigns",
        "cli",
        "api",
    },
    "api": {"rasa", "rasa_sdk", "twilio", "telegram", "actions", "channels", "cli", "studio"},
    "actions": {"sqlalchemy", "alembic", "twilio", "telegram", "channels", "campaigns", "rasa"},
    # Channels and campaigns meet only through senders/ and bot/.
    "channels": {"sqlalchemy", "alembic", "actions", "campaigns"},
    "campaigns": {"sqlalchemy", "alembic", "rasa", "rasa_sdk", "actions", "channels"},
    # Not in ARCHITECTURE.md yet (it is read-only here): the one way out to people (#22),
    # shared by the chat connectors and campaigns; providers' libraries and `bot` only.
    "senders": {
        "sqlalchemy",
        "alembic",
        "rasa",
        "rasa_sdk",
        "actions",
        "channels",
        "campaigns",
        "studio",
        "api",
        "cli",
        "nlu",
    },
    # Not in ARCHITECTURE.md yet (it is read-only here): the marketers' studio (#8). It
    # reads the store through `bot.store` and validates content with Rasa's own validator.
    "studio": {"sqlalchemy", "alembic", "rasa_sdk", "twilio", "telegram", "actions", "channels"},
    # Not in ARCHITECTURE.md yet (it is read-only here): Parley's own Rasa NLU components.
    "nlu": {
        "sqlalchemy",
        "alembic",
        "rasa_sdk",
        "twilio",
        "telegram",
        "actions",
        "channels",
        "campaigns",
    },
}
# Only the store may reach into bot.store's internals; others use `bot.store` itself.
STORE_INTERNALS = "bot.store."


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_architecture_allows(package: str) -> None:
    violations = []
    for path in python_files(package):
        if package == "bot" and "store" in path.relative_to(ROOT / "bot").parts[:1]:
            continue  # bot/store has its own row
        for module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN[package]:
                violations.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize(
    "package", ["actions", "channels", "campaigns", "nlu", "studio", "senders"]
)
def test_only_the_store_touches_store_internals(package: str) -> None:
    violations = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(package)
        for module in imported_modules(path)
        if module.startswith(STORE_INTERNALS)
    ]
    assert not violations, "\n".join(violations)


def test_architecture_doc_names_every_package() -> None:
    doc = ROOT.parent / "shared" / "ARCHITECTURE.md"
    if not doc.exists():
        pytest.skip("shared/ARCHITECTURE.md is not beside this checkout")
    text = doc.read_text(encoding="utf-8")
    for package in set(FORBIDDEN) - {"nlu", "studio", "senders"}:
        assert f"`{package}/`" in text
