"""Recording the eMENSCR hand-off: which steps of an approved item's pack were keyed in, and the project's id.

Checked again here against the database, as every effect is: the item must be approved and within what the
person may see (owners their own, directors their office's, admins all). The pack's steps are computed from
the stored answers (``engine.pack``), so a step the engine named that the item no longer has is refused. Each
change is in the audit trail.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from conversations.engine.effect_types import KeyedIn, SetEmenscrId
from conversations.engine.outcomes import EmenscrIdSet, PackKeyed, PackRefused
from conversations.engine.pack import complete, project_pack, report_pack
from conversations.flows.flow import Flow, FlowId
from conversations.service.loaders import visible_projects
from conversations.service.report_store import load_report_answers
from conversations.service.store import load_answers
from models.enums import ItemStatus
from models.fiscal import FiscalQuarter
from models.org import User
from models.project import Project
from models.report import QuarterReport
from models.runtime import AuditEntry


async def key_in(flows: dict[str, Flow], user: User, effect: KeyedIn, now: datetime) -> PackKeyed | PackRefused:
    """Record one step as keyed in (again is harmless); the item is complete once every step is."""
    item: Project | QuarterReport | None
    if effect.kind == "report":
        item = await QuarterReport.filter(id=effect.item_id, status=ItemStatus.APPROVED).first()
        project = await visible_projects(user).filter(id=item.project_id).first() if item is not None else None
        if item is None or project is None:
            return PackRefused()
        answers = await load_report_answers(project, FiscalQuarter(item.fiscal_year, item.quarter), item)
        steps = report_pack(flows[FlowId.REPORT], answers)
    else:
        project = item = await visible_projects(user).filter(id=effect.item_id, status=ItemStatus.APPROVED).first()
        if item is None:
            return PackRefused()
        steps = project_pack(flows[FlowId.REGISTER], await load_answers(flows[FlowId.REGISTER], item))
    if project is None or effect.step not in {step.key for step in steps}:
        return PackRefused()
    before: list[str] = list(item.emenscr_keyed or [])
    keyed = before if effect.step in before else [*before, effect.step]
    if keyed != before:  # written by a query: the item's updated_at (what conversations sync on) stays
        done = item.emenscr_keyed_at or (now if complete(steps, set(keyed)) else None)
        await type(item).filter(id=item.id).update(emenscr_keyed=keyed, emenscr_keyed_at=done)
        await _audit(user, now, effect.kind, item.id, project.id, "emenscr_keyed", before, keyed)
    return PackKeyed(effect.kind, item.id, effect.step, tuple(keyed))


async def set_emenscr_id(user: User, effect: SetEmenscrId, now: datetime) -> EmenscrIdSet | PackRefused:
    """Keep the project's eMENSCR id (an approved project the person may see)."""
    project = await visible_projects(user).filter(id=effect.project_id, status=ItemStatus.APPROVED).first()
    if project is None:
        return PackRefused()
    before = project.emenscr_id
    if before != effect.emenscr_id:
        await Project.filter(id=project.id).update(emenscr_id=effect.emenscr_id)
        await _audit(user, now, "project", project.id, project.id, "emenscr_id", before or None, effect.emenscr_id)
    return EmenscrIdSet(project.id, project.code, effect.emenscr_id)


async def _audit(user: User, now: datetime, entity: str, entity_id: int, project_id: int, field: str, before: Any,
                 after: Any) -> None:
    await AuditEntry.create(actor=user, at=now, entity=entity, entity_id=entity_id, project_id=project_id,
                            field=field, before=json.dumps(before, ensure_ascii=False),
                            after=json.dumps(after, ensure_ascii=False))
