"""The architecture, checked on the imports (see ../shared/DESIGN.md):

- dependencies point one way: models ← conversations ← bot ← api;
- the engine is pure: everything it loads, however indirectly, is the standard library, a pure text library or
  one of our modules that needs no database (``ENGINE_MAY_LOAD``), so an engine turn can be run, replayed and
  tested in seconds without a database;
- the ORM (tortoise, and the modules of models/ that define tables) is imported only in models/ and in the
  conversations/ modules whose job is storage (``STORE_MODULES``) or reading out (``READ_OUT_MODULES``), and in
  those named as still querying for themselves (``STILL_QUERYING``, to shrink); bot/ reaches the database only
  through their functions or models/ functions, so the adapters stay about platforms;
- database drivers (asyncpg, aiosqlite, sqlite3) only in models/, where ``models.db`` classifies their errors.

The imports are read from the source (at any depth, also inside functions), so a violation fails here before it
is ever run; one test also imports the engine in a fresh interpreter and looks at what got loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "models": {"conversations", "bot", "api", "telegram", "linebot", "aiohttp"},
    "conversations": {"bot", "api", "telegram", "linebot", "aiohttp"},
    "bot": {"api", "aiohttp.web"},
}
OURS = ("models", "conversations", "bot", "api")

# What the engine may load. Each entry is a module or a package (all of it). The packages ``conversations``,
# ``conversations.flows`` and ``models`` themselves (only their __init__) are loaded for any of their modules: their
# __init__ files must import nothing the engine may not load (models/__init__.py imports no model for this reason,
# and the flows' registry is ``flows.registry``, not the package).
ENGINE_PACKAGES = frozenset({"conversations", "conversations.flows", "models"})
ENGINE_MAY_LOAD = frozenset({
    "conversations.engine",
    "conversations.messages",  # the neutral Inbound/Reply/Choice
    "conversations.tokens",  # the neutral button tokens
    "conversations.button_data",  # what channels may know of a button's data (the token budget)
    "conversations.formatting",
    "conversations.flows.flow",  # the flow declaration types (the flows themselves are handed to the engine)
    "conversations.parsers",
    "conversations.copy",
    "conversations.flows.checks",  # pure checks of answers against each other (dates in order, sums)
    "conversations.catalog_view",  # how a plan catalog already read is shown and searched
    "conversations.names",  # Thai words for statuses and roles
    "conversations.notes",  # the notes shown under an answer
    "conversations.flows.sources",  # choices computed from the context the service hands the engine
    "models.enums",
    "models.fiscal",
    "models.clock",
    "models.window_rules",
})
# Besides the standard library: pythainlp segments and normalizes Thai text in memory (no database, no network).
ENGINE_THIRD_PARTY = frozenset({"pythainlp"})

# The conversations/ modules whose job is storage: they read and write rows and hand back plain values, and
# decide nothing a person reads. Every module of conversations/ outside the three lists below (the engine, flows,
# parsers, copy, formatting, the wording of reminders…) imports no ORM; bot/ imports none at all. Adding to a list
# is a decision: a module that only needs a query calls one of these (or a models/ function) instead.
STORE_MODULES = frozenset({
    "conversations.service.store",  # registration drafts and projects
    "conversations.service.report_store",  # quarter reports
    "conversations.service.field_store",  # answers ↔ rows as the flows declare them (for the two above)
    "conversations.service.audit_rows",  # audit entries, one INSERT a turn
    "conversations.service.loaders",  # what a turn needs, read before the engine runs
    "conversations.service.effects",  # what a finished turn changes
    "conversations.service.copying",  # a project copied into a new draft (#18)
    "conversations.service.known_people",  # the people records as prefills read them (copies, imports)
    "conversations.service.locks",  # one turn per chat at a time, across processes
    "conversations.service.inbox",  # received events, claimed per chat
    "conversations.service.turn_store",  # the rows every turn opens with and the session it writes back
    "conversations.service.row_writes",  # a report's UPDATE and its list rows, written out once
    "conversations.service.quarter_reads",  # the quarter list's projects with their reports, in one statement
    "conversations.service.context_reads",  # a report's known context, by statements written out once
    "conversations.service.notice_rows",  # a submission's directors and notifications, written out once
    "conversations.service.catalog_cache",  # the plan catalog, read once
    "conversations.service.accounts",  # chat accounts: who listens, who stopped
    "conversations.service.chat_roles",  # the role behind each chat account
    "conversations.service.reminder_claims",  # reminder deliveries, claimed once across processes
    "conversations.oversight.tallies",  # each office's quarter counts
    "conversations.service.handover_store",  # what was keyed into eMENSCR, and the project's eMENSCR id
    "conversations.service.plan_import",  # an annual action plan's drafts, all or nothing
    "conversations.service.withdrawal",  # a take-back: the status, the director's news stopped or followed up
})
# Not conversation: their job is reading the database out, for people and machines.
READ_OUT_MODULES = frozenset({
    "conversations.oversight.export",  # the Excel workbook
    "conversations.oversight.monitoring",  # the picture of a quarter
    "conversations.service.answering",  # the engine's data questions (search, status, history)
    "conversations.service.plan_answers",  # the same for the plan: its template, a sent workbook's import
    "conversations.oversight.reminder_plan",  # what reminders are due, from the data alone
    "conversations.oversight.documents.content",  # a project's or a report's printed form, read as the export reads it
    "conversations.oversight.handover",  # the eMENSCR pack for the API, and what is not keyed in yet
})
# Not storage, but they still query for themselves: their queries should move into the modules above (the
# service's into loaders/effects, the flows' column names into the stores); the last test below takes a module
# off this list as soon as it no longer imports the ORM.
STILL_QUERYING = frozenset({
    "conversations.service.turns",  # the turn's transaction
    "conversations.service.freshness",  # whether what the person saw is still what is stored
    "conversations.service.workflow",  # submission, approval, return
    "conversations.service.window_admin",  # due dates and lock exceptions
    "conversations.service.admin_answers",  # the admins' chat commands
    "conversations.service.linking",  # invite codes → chat accounts
    "conversations.service.profile",  # a new person's own details
    "conversations.service.evidence_serving",  # a report's files, to whom may see them
})
MAY_IMPORT_THE_ORM = STORE_MODULES | READ_OUT_MODULES | STILL_QUERYING
DRIVERS = frozenset({"asyncpg", "aiosqlite", "sqlite3", "psycopg", "psycopg2"})


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


def violates(module: str, forbidden: Iterable[str]) -> bool:
    return any(module == banned or module.startswith(f"{banned}.") for banned in forbidden)


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_of(root: Path, module: str) -> Path | None:
    """The file of one of our modules (a package's __init__), None for anything else."""
    base = root.joinpath(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def our_module(root: Path, name: str) -> str | None:
    """The module an imported name lives in: ``models.enums.Role`` → ``models.enums``; None when not ours."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if source_of(root, candidate) is not None:
            return candidate
    return None


def loaded_by(root: Path, start: Iterable[str]) -> tuple[dict[str, set[str]], set[tuple[str, str]]]:
    """What importing ``start`` loads: each of our modules reached (with the packages above it) and who imports
    it, and every outside (top-level name, importer) pair."""
    reached: dict[str, set[str]] = {}
    outside: set[tuple[str, str]] = set()
    todo = [(module, "") for module in start]
    while todo:
        module, importer = todo.pop()
        if module in reached:
            reached[module].add(importer)
            continue
        reached[module] = {importer}
        parts = module.split(".")
        todo += [(".".join(parts[:end]), module) for end in range(1, len(parts))]
        path = source_of(root, module)
        assert path is not None, module
        for name in imported_modules(path):
            ours = our_module(root, name)
            if ours is not None:
                todo.append((ours, module))
            elif name.split(".")[0] not in OURS:
                outside.add((name.split(".")[0], module))
    return reached, outside


def engine_problems(root: Path) -> list[str]:
    """Everything the engine loads beyond what it may."""
    engine = [module_name(root, path) for path in sorted((root / "conversations" / "engine").rglob("*.py"))]
    reached, outside = loaded_by(root, engine)
    problems = [f"{module} (imported by {', '.join(sorted(who - {''}))})" for module, who in sorted(reached.items())
                if module not in ENGINE_PACKAGES and not violates(module, ENGINE_MAY_LOAD)]
    problems += [f"{name} (imported by {importer})" for name, importer in sorted(outside)
                 if name not in sys.stdlib_module_names and name not in ENGINE_THIRD_PARTY]
    return problems


def orm_modules(root: Path) -> set[str]:
    """tortoise, and the modules of models/ that define tables."""
    return {"tortoise"} | {module_name(root, path) for path in (root / "models").rglob("*.py")
                           if "tortoise.models" in imported_modules(path)}


def imported_from(root: Path, path: Path) -> set[str]:
    """The modules a file takes names from: ours by module (``models.org``), others by top-level name."""
    return {our_module(root, name) or name.split(".")[0] for name in imported_modules(path)}


def orm_problems(root: Path, package: str, allowed: Iterable[str]) -> list[str]:
    """Imports of the ORM in ``package`` outside the ``allowed`` modules."""
    orm, allowed = orm_modules(root), set(allowed)
    return [f"{module_name(root, path)} imports {name}"
            for path in sorted((root / package).rglob("*.py")) if module_name(root, path) not in allowed
            for name in sorted(imported_from(root, path)) if name in orm]


def driver_problems(root: Path, package: str) -> list[str]:
    return [f"{module_name(root, path)} imports {name}" for path in sorted((root / package).rglob("*.py"))
            for name in sorted(imported_from(root, path)) if name in DRIVERS]


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


def test_the_engine_loads_only_pure_modules() -> None:
    assert engine_problems(ROOT) == []


def test_the_orm_is_imported_only_by_models_and_the_store_modules() -> None:
    assert orm_problems(ROOT, "conversations", MAY_IMPORT_THE_ORM) == []
    assert orm_problems(ROOT, "bot", ()) == []


def test_every_listed_module_exists_and_needs_its_place() -> None:
    """The lists name real modules that do import the ORM: one that no longer does leaves its list."""
    orm = orm_modules(ROOT)
    assert not STORE_MODULES & READ_OUT_MODULES and not (STORE_MODULES | READ_OUT_MODULES) & STILL_QUERYING
    idle = [module for module in sorted(MAY_IMPORT_THE_ORM)
            if (path := source_of(ROOT, module)) is None or not imported_from(ROOT, path) & orm]
    assert idle == []


@pytest.mark.parametrize("package", ["conversations", "bot", "api"])
def test_drivers_are_imported_only_in_models(package: str) -> None:
    assert driver_problems(ROOT, package) == []


@pytest.mark.process
def test_importing_the_engine_loads_no_database() -> None:
    """What the source says, confirmed by a fresh interpreter (this also catches an import made by name)."""
    engine = sorted(module_name(ROOT, path) for path in (ROOT / "conversations" / "engine").rglob("*.py"))
    script = "; ".join([*(f"import {module}" for module in engine), "import sys",
                        "print('\\n'.join(sorted({name.split('.')[0] for name in sys.modules})))"])
    loaded = set(subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                                check=True, timeout=60).stdout.split())
    assert "conversations" in loaded
    assert loaded & {"tortoise", "pypika", *DRIVERS, "aiohttp", "telegram", "linebot"} == set()


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from aiohttp import web\n    import telegram\n", encoding="utf-8")
    modules = imported_modules(sample)
    assert violates("aiohttp.web", FORBIDDEN["bot"])
    assert {"aiohttp.web", "telegram"} <= modules
    assert [m for m in modules if violates(m, FORBIDDEN["conversations"])]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_follows_the_engine_through_a_pure_looking_module(tmp_path: Path) -> None:
    """The engine imports a module it may load, which imports one it may not: found, with the way there."""
    root = write(tmp_path, {
        "models/__init__.py": "",
        "models/enums.py": "import enum\n",
        "models/org.py": "from tortoise.models import Model\n",
        "conversations/__init__.py": "",
        "conversations/engine/__init__.py": "",
        "conversations/engine/core.py": "from conversations.notes import rule\nfrom models.enums import Role\n",
        "conversations/notes.py": "def rule():\n    from models.org import User\n",
        "conversations/bot_stuff.py": "import asyncpg\n",
    })
    problems = engine_problems(root)
    assert problems == ["models.org (imported by conversations.notes)", "tortoise (imported by models.org)"]
    write(root, {"models/__init__.py": "from models.org import User\n", "conversations/notes.py": "import requests\n"})
    assert engine_problems(root) == ["models.org (imported by models)", "requests (imported by conversations.notes)",
                                     "tortoise (imported by models.org)"]


def test_the_checker_catches_the_orm_and_a_driver_out_of_place(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "models/__init__.py": "",
        "models/org.py": "from tortoise import fields\nfrom tortoise.models import Model\n",
        "models/db.py": "import asyncpg\nfrom tortoise import Tortoise\n",
        "conversations/__init__.py": "",
        "conversations/store.py": "from models.org import User\n",
        "conversations/view.py": "def f():\n    from models.org import User\n",
        "bot/__init__.py": "",
        "bot/sender.py": "from models.db import is_outage\nimport sqlite3\n"
                         "from tortoise.exceptions import IntegrityError\n",
    })
    assert orm_modules(root) == {"tortoise", "models.org"}
    assert orm_problems(root, "conversations", {"conversations.store"}) == ["conversations.view imports models.org"]
    assert orm_problems(root, "bot", ()) == ["bot.sender imports tortoise"]
    assert driver_problems(root, "bot") == ["bot.sender imports sqlite3"]
    assert driver_problems(root, "conversations") == []


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
