"""Which role the person behind each chat account has, for channels that show each role its own menu."""

from __future__ import annotations

from collections.abc import Sequence

from models.enums import Platform, Role
from models.org import ChatAccount


async def roles_of(platform: Platform, external_ids: Sequence[str] | None = None) -> dict[str, Role]:
    """The role of each linked, active person behind these accounts (every account of the platform when
    ``external_ids`` is None); accounts without one (not linked, a deactivated person) are left out."""
    query = ChatAccount.filter(platform=platform, user_id__isnull=False, user__active=True)
    if external_ids is not None:
        query = query.filter(external_id__in=list(external_ids))
    rows = await query.values_list("external_id", "user__role")
    return {str(external_id): Role(role) for external_id, role in rows}
