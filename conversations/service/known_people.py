"""The people records as registration's prefills read them, for drafts made outside a conversation (a copy, an
imported plan): the owner's own details, their office's current director and the office's province."""

from __future__ import annotations

from datetime import datetime

from conversations.engine.context import Context, Person
from conversations.service.loaders import office_director, person
from models.fiscal import local_day
from models.org import Office, User


def records_context(owner: User, office: Office | None, director: Person | None, now: datetime) -> Context:
    """The context a project started by ``owner`` in ``office`` would have: what its prefills read."""
    return Context(user=person(owner), office_name=office.name if office else "",
                   office_province=office.province if office else "", today=local_day(now), director=director,
                   director_known=True)


async def owner_context(owner: User, now: datetime) -> Context:
    """``records_context`` for an owner in their own office, read here."""
    office = await Office.get_or_none(id=owner.office_id) if owner.office_id else None
    return records_context(owner, office, await office_director(owner.office_id), now)
