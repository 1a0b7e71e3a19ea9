"""Draw the README's picture of a document: page 1 of demo Project A, rendered with pypdfium2.

``python -m tests.support.document_picture [FILE]`` (default ``docs/project-a.png``) seeds the demo into a
throwaway SQLite file, prints the project's PDF and renders its first page. Run it again when the layout changes.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2

from api.demo import seed_demo
from conversations.oversight.documents import project_pdf
from models.db import Database
from models.project import Project

PICTURE = Path("docs/project-a.png")
SCALE = 1.4  # 72 dpi × 1.4: a readable A4 page of about 830 × 1180 pixels


def first_page_png(content: bytes, target: Path, scale: float = SCALE) -> None:
    """Render page 1 of a PDF to a PNG file."""
    document = pypdfium2.PdfDocument(content)
    try:
        document[0].render(scale=scale).to_pil().convert("RGB").save(target, optimize=True)
    finally:
        document.close()


async def _project_a(folder: Path) -> bytes:
    async with Database(f"sqlite://{folder / 'picture.sqlite3'}") as database:
        await database.migrate()
        await seed_demo()
        # as if approved on 20 Oct 2026, so the picture shows a dated signature line
        await Project.filter(code="CMI1-2570-001").update(submitted_at=datetime(2026, 10, 15, 3, tzinfo=UTC),
                                                          decided_at=datetime(2026, 10, 20, 3, tzinfo=UTC))
        content = await project_pdf("CMI1-2570-001", None)
    assert content is not None
    return content


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else PICTURE
    with tempfile.TemporaryDirectory() as folder:
        first_page_png(asyncio.run(_project_a(Path(folder))), target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
