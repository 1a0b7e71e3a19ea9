"""Loading the plan catalog (plans.json) into PlanNode rows idempotently, and searching it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.plans import PlanNode

CATALOG_SCHEMA = "tidtam.plans/1"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")  # codes ride in chat buttons: short ASCII
CHILD_KEYS = (("subplans", "subplan"), ("targets", "target"), ("items", "plan"))


class CatalogError(ValueError):
    """The catalog file is not one we can load; the message says where."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One node as read from the file, before it meets the database."""

    code: str
    family: str
    level: int
    kind: str
    parent_code: str | None
    title_th: str
    title_en: str
    nesdc_code: str
    confirmed: bool
    basis: str
    note: str
    position: int


@dataclass(slots=True)
class LoadReport:
    """What a load did, so that a reload can be seen to change nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    codes: list[str] = field(default_factory=list)


def default_catalog_path() -> Path:
    """The catalog shipped with Tidtam (a copy of the shared reference data)."""
    return Path(str(resources.files("models") / "data" / "plans.json"))


def read_catalog(path: Path) -> list[CatalogEntry]:
    """Parse a catalog file into entries, parents before children."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc})") from exc
    if not isinstance(document, dict) or document.get("schema") != CATALOG_SCHEMA:
        raise CatalogError(f"{path}: not a {CATALOG_SCHEMA} document")
    families = document.get("families")
    if not isinstance(families, list):
        raise CatalogError(f"{path}: 'families' must be a list")
    entries: list[CatalogEntry] = []
    for position, family in enumerate(families):
        level = family.get("level")
        if level not in (1, 2, 3) or not family.get("code"):
            raise CatalogError(f"{path}: family #{position + 1} needs a code and a level 1–3")
        entries.extend(_walk(family, family["code"], level, "family", None, position))
    codes = [entry.code for entry in entries]
    malformed = [code for code in codes if not CODE.match(code)]
    if malformed:
        raise CatalogError(f"{path}: codes must be 1–40 ASCII letters, digits, '.', '_' or '-': {malformed[:5]}")
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise CatalogError(f"{path}: duplicate codes {', '.join(duplicates)}")
    return entries


def _walk(
    node: dict[str, Any], family: str, level: int, kind: str, parent: str | None, position: int
) -> Iterator[CatalogEntry]:
    code = node.get("code")
    title = node.get("name_th")
    if not code or not title:
        raise CatalogError(f"a node under {parent or 'the root'} lacks a code or a Thai name")
    note = node.get("note") or node.get("notes") or ""
    yield CatalogEntry(
        code=str(code),
        family=family,
        level=level,
        kind=kind,
        parent_code=parent,
        title_th=str(title).strip(),
        title_en=str(node.get("name_en", "")).strip(),
        nesdc_code=str(node.get("nesdc_code", "")),
        confirmed=bool(node.get("confirmed", False)),
        basis=str(node.get("basis", "")),
        note=str(note),
        position=position,
    )
    index = 0
    for key, child_kind in CHILD_KEYS:
        for child in node.get(key) or []:
            yield from _walk(child, family, level, child_kind, str(code), index)
            index += 1


_COMPARED = ("family", "level", "kind", "title_th", "title_en", "nesdc_code", "confirmed", "basis", "note",
             "position")


async def load_catalog(path: Path | None = None, fiscal_year: int | None = None) -> LoadReport:
    """Upsert the catalog by code; a reload of the same file changes nothing.

    With ``fiscal_year``, the file is the catalog of that year: its nodes become valid from that
    year on, and nodes missing from it stop being valid after the year before.
    """
    entries = read_catalog(path or default_catalog_path())
    report = LoadReport()
    async with in_transaction():
        existing = {node.code: node for node in await PlanNode.all()}
        for entry in entries:
            node = existing.get(entry.code)
            parent_id = existing[entry.parent_code].id if entry.parent_code else None
            values: dict[str, Any] = {name: getattr(entry, name) for name in _COMPARED}
            values["parent_id"] = parent_id
            if fiscal_year is not None:
                values["valid_to_fy"] = None
                if node is None or node.valid_from_fy is None or node.valid_from_fy > fiscal_year:
                    values["valid_from_fy"] = fiscal_year
            if node is None:
                node = await PlanNode.create(code=entry.code, **values)
                existing[entry.code] = node
                report.created += 1
            elif any(getattr(node, name) != value for name, value in values.items()):
                node.update_from_dict(values)
                await node.save()
                report.updated += 1
            else:
                report.unchanged += 1
            report.codes.append(entry.code)
        if fiscal_year is not None:
            seen = {entry.code for entry in entries}
            for code, node in existing.items():
                if code not in seen and (node.valid_to_fy is None or node.valid_to_fy >= fiscal_year):
                    node.valid_to_fy = fiscal_year - 1
                    await node.save(update_fields=["valid_to_fy"])
                    report.retired += 1
    return report


def valid_in(fiscal_year: int | None) -> Q:
    """Filter for nodes valid in a fiscal year (all nodes when the year is not given)."""
    if fiscal_year is None:
        return Q()
    starts = Q(valid_from_fy__isnull=True) | Q(valid_from_fy__lte=fiscal_year)
    ends = Q(valid_to_fy__isnull=True) | Q(valid_to_fy__gte=fiscal_year)
    return starts & ends


async def search_plans(
    query: str, *, fiscal_year: int | None = None, level: int | None = None, limit: int = 20
) -> list[PlanNode]:
    """Nodes whose code matches, or whose Thai or English title contains every word of the query.

    Exact code matches come first, then code prefixes, then title matches by level and order.
    """
    words = query.split()
    if not words:
        return []
    filters = valid_in(fiscal_year)
    if level is not None:
        filters &= Q(level=level)
    code = query.strip().upper()
    by_code = await PlanNode.filter(filters & Q(code__istartswith=code)).limit(limit)
    title_filter = Q()
    for word in words:
        title_filter &= Q(title_th__icontains=word) | Q(title_en__icontains=word)
    by_title = await PlanNode.filter(filters & title_filter).order_by("level", "family", "position", "id").limit(
        limit
    )
    ranked = sorted(by_code, key=lambda node: (node.code.upper() != code, len(node.code), node.code))
    seen = {node.id for node in ranked}
    ranked.extend(node for node in by_title if node.id not in seen)
    return ranked[:limit]
