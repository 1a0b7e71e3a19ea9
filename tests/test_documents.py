"""The printed documents: a project's and a quarterly report's A4 PDF, read back with pypdf and compared with
the data; every character drawn has a glyph in the bundled font; the API keeps each token's scope; the
command writes a file."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from api.demo import seed_demo
from api.settings import Settings
from conversations.copy import render
from conversations.formatting import format_date, format_money
from conversations.oversight.documents import project_pdf, report_pdf
from conversations.oversight.documents.content import project_form, report_form
from conversations.oversight.documents.form import Form, Section, Table
from conversations.oversight.documents.layout import FONTS, ZWSP, breakable, render_pdf
from models.db import Database
from models.enums import ActivityState, ItemStatus, Role
from models.org import Office, User
from models.project import Activity, Kpi, Project, ProjectPlanLink
from models.report import ActivityProgress, KpiValue, QuarterReport, ReportAttachment
from tests.support.app import app_client, bearer
from tests.support.reminders import second_office
from tests.test_cli import Tidtam, tidtam  # noqa: F401  (the command-line fixture)

Client = TestClient[Any, Any]
PROJECT_A = "CMI1-2570-001"
DECIDED = datetime(2026, 10, 20, 3, 0, tzinfo=UTC)


def pdf_text(content: bytes) -> str:
    """All pages' text, without the zero-width word breaks and without any whitespace (lines wrap anywhere)."""
    pages = PdfReader(io.BytesIO(content)).pages
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pages).replace(ZWSP, ""))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def _approve_project_a() -> Project:
    project = await Project.get(code=PROJECT_A)
    project.submitted_at, project.decided_at = DECIDED.replace(day=15), DECIDED
    await project.save(update_fields=["submitted_at", "decided_at"])
    return project


async def _report_q1(project: Project) -> QuarterReport:
    """Project A's first quarter, reported and approved, with a KPI value, activity progress and a file."""
    report = await QuarterReport.create(
        project=project, fiscal_year=2570, quarter=1, status=ItemStatus.APPROVED,
        output_progress="อบรมครูแล้ว 120 คน จากเป้าหมาย 240 คน", outcome_progress="ครูนำเทคนิคการสอนอ่านไปใช้ในห้องเรียน",
        plan_contributions={"MP-12-01-Y1": "นักเรียนอ่านออกเขียนได้เพิ่มขึ้นร้อยละ 12"},
        planned_amount=Decimal(150000), disbursed_amount=Decimal("98500.50"),
        shortfall_reason="เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม", problems="ครูบางโรงเรียนติดภารกิจสอบ",
        submitted_at=DECIDED, decided_at=DECIDED.replace(day=25))
    for kpi in await Kpi.filter(project=project):
        await KpiValue.create(report=report, kpi=kpi, value=Decimal(120) if kpi.unit == "คน" else None)
    workshop = await Activity.get(project=project, name="ประชุมเชิงปฏิบัติการพัฒนาครู")
    await ActivityProgress.create(report=report, activity=workshop, state=ActivityState.IN_PROGRESS, percent=50)
    await ReportAttachment.create(report=report, kind="image", filename="อบรมครู-รุ่น1.jpg", mime_type="image/jpeg",
                                  size=2048, content=b"x")
    return report


async def test_project_a_reads_back_as_its_data(database: Database) -> None:
    await seed_demo()
    project = await _approve_project_a()
    content = await project_pdf(PROJECT_A.lower(), None)
    assert content is not None and content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert all(round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
               for page in reader.pages)  # A4
    text = pdf_text(content)
    office = await Office.get(code="CMI1")
    expected = [project.name, project.code, office.name, "2570", render("xl.status.approved"),
                *project.objectives, project.output_target, project.outcome_target, project.rationale,
                project.director_name, project.owner_name, project.owner_phone, project.owner_email,
                render("doc.sign.approved", date=format_date(DECIDED.date(), long=True))]
    expected += [kpi.name for kpi in await Kpi.filter(project=project)]
    expected += [activity.name for activity in await Activity.filter(project=project)]
    for link in await ProjectPlanLink.filter(project=project).prefetch_related("plan_node"):
        expected += [link.plan_node.code, link.plan_node.title_th, link.reference_text]
    expected += [format_money(Decimal(amount)) for amount in (350000, 120000, 50000, 520000, 150000, 40000)]
    for value in expected:
        assert squeezed(value) in text, value
    assert "350,000บาท" in text  # as the app writes money: thousands separated, no satang when there are none


async def test_a_quarterly_report_reads_back_as_its_data(database: Database) -> None:
    await seed_demo()
    report = await _report_q1(await _approve_project_a())
    content = await report_pdf(PROJECT_A, 2570, 1, None)
    assert content is not None
    text = pdf_text(content)
    for value in (render("doc.report.title"), PROJECT_A, "โครงการยกระดับความสามารถ", report.output_progress,
                  report.outcome_progress, report.shortfall_reason, report.problems, "จำนวนครูที่ผ่านการอบรม",
                  render("value.not_measured"), "ประชุมเชิงปฏิบัติการพัฒนาครู", "กำลังดำเนินการ",
                  "50%", "MP-12-01-Y1", "นักเรียนอ่านออกเขียนได้เพิ่มขึ้นร้อยละ 12", "อบรมครู-รุ่น1.jpg",
                  format_money(Decimal(150000)), format_money(Decimal("98500.50")),
                  render("doc.sign.approved", date=format_date(DECIDED.replace(day=25).date(), long=True))):
        assert squeezed(value) in text, value
    assert await report_pdf(PROJECT_A, 2570, 2, None) is None  # no such report


async def test_every_character_printed_has_a_glyph_and_copies_back(database: Database) -> None:
    await seed_demo()
    await _report_q1(await _approve_project_a())
    forms = [await project_form(PROJECT_A, None), await report_form(PROJECT_A, 2570, 1, None)]
    for file in ("Laksaman.ttf", "Laksaman-Bold.ttf"):
        cmap = TTFont(FONTS / file).getBestCmap()
        missing = {char for form in forms if form for text in form.texts() for char in text
                   if char != "\n" and ord(char) not in cmap}
        assert not missing, (file, sorted(missing))


def test_thai_copies_back_exactly_from_the_pdf() -> None:
    """SARA AM is drawn as two glyphs, reordered after a tone mark (น้ำ → น ํ ้ า); marks stack (ปี่, ผู้).
    The copied text must still be the words, not the glyphs' raw codes (``น้ำ53`` before the fix)."""
    words = "น้ำ ทำ ผู้อำนวยการ ปี่ ญี่ปุ่น กำหนด ค่ำ ฐานะ ฎีกา ฤดู ๑๒๓"
    form = Form(title=words, code="X", header=(("ก", words),),
                sections=(Section(words, (("", Table(rows=((words, "1"),), widths=(3, 1), headers=("ข", "ค"))),)),))
    text = PdfReader(io.BytesIO(render_pdf(form))).pages[0].extract_text().replace(ZWSP, "")
    assert squeezed(text).count(squeezed(words)) == 4  # title, header, heading, table cell
    assert not re.search(r"[\u0e00-\u0e7f][0-9]", text.replace("\n", " ")), text


def test_lines_break_between_thai_words_only() -> None:
    assert breakable("ผลการประเมินความสามารถ") == f"ผล{ZWSP}การประเมิน{ZWSP}ความสามารถ"
    assert breakable("350,000 บาท") == "350,000 บาท"
    assert breakable("suda.s@example.go.th CMI1-2570-001") == "suda.s@example.go.th CMI1-2570-001"


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Client]:
    async with app_client(settings) as client:
        await seed_demo()
        await second_office()
        yield client


async def test_the_api_serves_documents_within_the_token_scope(client: Client) -> None:
    await _report_q1(await Project.get(code=PROJECT_A))
    cmi1, lpn1 = await Office.get(code="CMI1"), await Office.get(code="LPN1")
    director, other = await bearer(role=Role.DIRECTOR, office=cmi1), await bearer(role=Role.DIRECTOR, office=lpn1)
    weera = await bearer(user=await User.get(name="นายวีระ แก้วมณี"))  # owner of project B, not A
    for path in (f"/api/v1/projects/{PROJECT_A}.pdf", f"/api/v1/reports/{PROJECT_A}/2570/1.pdf"):
        response = await client.get(path, headers=director)
        assert response.status == 200 and response.content_type == "application/pdf", path
        assert squeezed(PROJECT_A) in pdf_text(await response.read())
        for outsider in (other, weera):
            refused = await client.get(path, headers=outsider)
            assert refused.status == 404 and (await refused.json())["error"]["code"] == "not_found", path
        assert (await client.get(path)).status == 401
    assert (await client.get(f"/api/v1/projects/{PROJECT_A.lower()}.pdf", headers=director)).status == 200
    assert (await client.get("/api/v1/projects/LPN1-2570-001.pdf", headers=other)).status == 200
    assert (await client.get(f"/api/v1/reports/{PROJECT_A}/2570/2.pdf", headers=director)).status == 404
    assert (await client.get(f"/api/v1/reports/{PROJECT_A}/2570/5.pdf", headers=director)).status == 400
    card = await client.get(f"/api/v1/projects/{PROJECT_A}", headers=director)
    assert card.status == 200 and (await card.json())["code"] == PROJECT_A  # the JSON route still answers


def test_the_command_writes_the_document(tidtam: Tidtam, tmp_path: Path) -> None:  # noqa: F811
    database = tmp_path / "pdf.sqlite3"
    assert tidtam("db", "migrate", database=database).returncode == 0
    assert tidtam("demo", database=database).returncode == 0
    target = tmp_path / "out" / "a.pdf"
    target.parent.mkdir()
    result = tidtam("pdf", PROJECT_A.lower(), "-o", str(target), database=database)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout and squeezed(PROJECT_A) in pdf_text(target.read_bytes())
    missing = tidtam("pdf", PROJECT_A, "--quarter", "1", "--fy", "2570", "-o", str(target), database=database)
    assert missing.returncode == 1 and "no report of CMI1-2570-001" in missing.stderr
    half = tidtam("pdf", PROJECT_A, "--quarter", "1", database=database)
    assert half.returncode == 1 and "--fy" in half.stderr
