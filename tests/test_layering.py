"""Dependencies point one way: models ← conversations ← bot ← api (see ../shared/DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "models": {"conversations", "bot", "api", "telegram", "linebot", "aiohttp"},
    "conversations": {"bot", "api", "telegram", "linebot", "aiohttp"},
    "bot": {"api", "aiohttp.web"},
}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at any depth (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: use absolute imports")
            module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def violates(module: str, forbidden: set[str]) -> bool:
    return any(module == banned or module.startswith(f"{banned}.") for banned in forbidden)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_from_lower_layers(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package} has no modules"
    problems = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path))
        if violates(module, FORBIDDEN[package])
    ]
    assert problems == []


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from aiohttp import web\n    import telegram\n", encoding="utf-8")
    modules = imported_modules(sample)
    assert violates("aiohttp.web", FORBIDDEN["bot"])
    assert {"aiohttp.web", "telegram"} <= modules
    assert [m for m in modules if violates(m, FORBIDDEN["conversations"])]
