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


# --- the neutral boundary: channels see Reply and Choice, never the engine's tokens nor its copy keys ---------------

ENGINE_ONLY = {"conversations.tokens"}  # the token grammar: channels learn what they need from button_data
CHANNEL_COPY = ("channel.", "richmenu.", "cmd.", "live.")  # the words channels add themselves, theirs to match


def engine_copy_keys() -> set[str]:
    """The copy keys of what the engine says: a channel never matches them (it goes by ``Reply.kind``)."""
    from conversations.copy import COPY

    return {key for key in COPY if not key.startswith(CHANNEL_COPY)} | {"link"}  # "link": the linking replies' key


def decisions_by_copy_key(path: Path, keys: set[str]) -> list[str]:
    """Where a file decides by a copy key: comparing something's ``.key`` with a string or a constant, comparing
    with an engine copy key, or a table keyed by engine copy keys."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []

    def named_key(node: ast.expr) -> bool:
        return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys

    def constant_like(node: ast.expr) -> bool:
        return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or (
            isinstance(node, ast.Name) and node.id.isupper()) or isinstance(node, ast.Tuple | ast.List | ast.Set)

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            reads_key = any(isinstance(operand, ast.Attribute) and operand.attr == "key" for operand in operands)
            if (reads_key and any(constant_like(operand) for operand in operands)) or any(map(named_key, operands)):
                found.append(f"{path.name}:{node.lineno} compares with a copy key")
        elif isinstance(node, ast.Dict) and any(key is not None and named_key(key) for key in node.keys):
            found.append(f"{path.name}:{node.lineno} keys a table by copy keys")
    return found


def test_channels_never_import_the_token_grammar() -> None:
    problems = [f"{path.relative_to(ROOT)} imports {module}" for path in sorted((ROOT / "bot").rglob("*.py"))
                for module in sorted(imported_modules(path)) if violates(module, ENGINE_ONLY)]
    assert problems == []


def test_channels_never_decide_by_copy_key() -> None:
    keys = engine_copy_keys()
    problems = [problem for path in sorted((ROOT / "bot").rglob("*.py"))
                for problem in decisions_by_copy_key(path, keys)]
    assert problems == []


def test_the_boundary_checker_catches_what_the_channels_once_did(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('from conversations.tokens import decode\nSTALE = "input.stale"\n'
                      'def f(reply, replies):\n'
                      '    linked = any(reply.key == "link" for reply in replies)\n'
                      '    fresh = [reply for reply in replies if reply.key != STALE]\n'
                      '    steps = {"remind.digest": 1}\n'
                      '    late = replies[0].text == "input.stale"\n'
                      '    return reply.key in done, reminder.key not in self.done\n', encoding="utf-8")
    assert [violates(module, ENGINE_ONLY) for module in sorted(imported_modules(sample))] == [True, True]
    problems = decisions_by_copy_key(sample, engine_copy_keys())
    assert sorted(int(problem.split(":")[1].split()[0]) for problem in problems) == [4, 5, 6, 7]
