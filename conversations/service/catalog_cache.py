"""The plan catalog for the engine, read from the database and re-read only when it changed."""

from __future__ import annotations

from tortoise.functions import Count, Max

from conversations.catalog_view import CatalogView, PlanItem
from models.plans import PlanNode


class CatalogCache:
    """Holds one :class:`CatalogView`; a cheap count/max query tells when a reload changed the table."""

    def __init__(self) -> None:
        self._view: CatalogView | None = None
        self._version: tuple[object, ...] | None = None

    async def view(self) -> CatalogView:
        """The current catalog."""
        row = await PlanNode.all().annotate(count=Count("id"), latest=Max("updated_at")).values("count", "latest")
        version = (row[0]["count"], row[0]["latest"]) if row else (0, None)
        if self._view is None or version != self._version:
            nodes = await PlanNode.all().order_by("position", "id").values(
                "code", "parent__code", "family", "level", "kind", "title_th", "confirmed", "valid_from_fy",
                "valid_to_fy")
            self._view = CatalogView(
                PlanItem(code=node["code"], parent=node["parent__code"], family=node["family"], level=node["level"],
                         kind=node["kind"], title=node["title_th"], confirmed=node["confirmed"],
                         valid_from=node["valid_from_fy"], valid_to=node["valid_to_fy"])
                for node in nodes
            )
            self._version = version
        return self._view
