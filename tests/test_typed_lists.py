"""Lists typed in one message, through the service as an owner types them: objectives, KPIs, an activity outline
and budget lines, each echoed as a card to confirm; a wrong line is named with what is wrong and what is accepted,
and the lines read are kept while it is typed again."""

from __future__ import annotations

from decimal import Decimal

from models.db import Database
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from tests.support.scenario import start_project, up_to_m4, up_to_objectives
from tests.support.world import demo_world

CODE = "CMI1-2570-003"



async def test_objectives_and_kpis_typed_as_lists(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        assert "บรรทัดละข้อ" in suda.text, suda.text  # the prompt shows the format with an example
        await suda.say("1. เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน\n"
                       "2. เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน")
        assert "บันทึกวัตถุประสงค์ 2 รายการแล้ว" in suda.text, suda.text  # taken at once (engine/taken.py)
        assert "1. เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน" in suda.text
        await suda.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
        await suda.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")
        assert "ชื่อ ค่าเป้าหมาย หน่วยนับ" in suda.text, suda.text
        await suda.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ 85 ร้อยละ\n"
                       "จำนวนครูที่ผ่านการอบรม 240\n"
                       "จำนวนโรงเรียนที่ได้รับการนิเทศ ๑๒๐ โรงเรียน")
        text = suda.text
        assert "อ่านได้ 2 รายการ" in text and "ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์ — เป้าหมาย 85 ร้อยละ" in text, text
        assert "บรรทัดที่ 2 “จำนวนครูที่ผ่านการอบรม 240”: ไม่มีหน่วยนับ" in text, text  # named, with what is wrong
        assert "รูปแบบที่รับ: ชื่อตัวชี้วัด ค่าเป้าหมาย หน่วยนับ" in text, text  # and what is accepted
        await suda.say("จำนวนครูที่ผ่านการอบรม 240 คน")  # the wrong line again: the lines read are kept
        assert "อ่านได้ 3 รายการ" in suda.text and "⚠️" not in suda.text, suda.text
        await suda.tap("ยืนยัน")
        assert "เพิ่มตัวชี้วัด 3 รายการแล้ว" in suda.text, suda.text
        project = await Project.get(code=CODE)
        assert project.objectives == ["เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน",
                                      "เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน"]
        kpis = [(kpi.name, kpi.target_value, kpi.unit) for kpi in await Kpi.filter(project=project).order_by("id")]
        assert kpis == [("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์", Decimal(85), "ร้อยละ"),
                        ("จำนวนโรงเรียนที่ได้รับการนิเทศ", Decimal(120), "โรงเรียน"),
                        ("จำนวนครูที่ผ่านการอบรม", Decimal(240), "คน")], kpis


async def test_an_activity_outline_with_a_wrong_line_then_edited(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        assert "1.1 อบรมครูภาษาไทย ป.1 Q1" in suda.text, suda.text  # the format, with an example
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n"
                       "1.1 อบรมครูภาษาไทย ป.1 ไตรมาส ๑\n"
                       "1.2 อบรมครู ป.2–3 Q3\n"
                       "2. นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน ไตรมาส 2-3\n"
                       "3. สรุปและรายงานผล")
        text = suda.text
        assert "อ่านได้ 3 รายการ" in text, text
        assert "1. ประชุมเชิงปฏิบัติการพัฒนาครู (ไตรมาส 1–2)" in text and "1.1 อบรมครูภาษาไทย ป.1 (ไตรมาส 1)" in text, text
        assert "บรรทัดที่ 3 “1.2 อบรมครู ป.2–3 Q3”" in text, text  # outside its parent's quarters
        assert "บรรทัดที่ 5 “3. สรุปและรายงานผล”: ไม่ได้บอกไตรมาส" in text, text
        await suda.tap("แก้ไข")
        assert "จะใช้แทน 3 รายการ" in suda.text, suda.text
        await suda.tap("ย้อนกลับ")  # back to the card, what was read kept
        assert "อ่านได้ 3 รายการ" in suda.text, suda.text
        await suda.tap("แก้ไข")
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n"
                       "1.1 อบรมครูภาษาไทย ป.1 ไตรมาส ๑\n"
                       "1.2 อบรมครู ป.2–3 ไตรมาส 1-2\n"
                       "2. นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน ไตรมาส 2-3\n"
                       "3. สรุปและรายงานผล Q4")
        assert "อ่านได้ 5 รายการ" in suda.text and "⚠️" not in suda.text, suda.text
        await suda.tap("ยืนยัน")
        assert "เพิ่มกิจกรรม 5 รายการแล้ว" in suda.text, suda.text
        await suda.say("2.1 นิเทศโรงเรียนขนาดเล็ก Q2")  # a sub-activity of an activity already listed
        assert "2.1 นิเทศโรงเรียนขนาดเล็ก (ไตรมาส 2)" in suda.text, suda.text
        await suda.tap("ยืนยัน")
        project = await Project.get(code=CODE)
        rows = await Activity.filter(project=project).order_by("id")
        parents = {row.id: row.name for row in rows}
        found = [(row.name, row.quarters, parents.get(row.parent_id or 0)) for row in rows]  # type: ignore[attr-defined]
        assert sorted(found, key=str) == sorted([
            ("ประชุมเชิงปฏิบัติการพัฒนาครู", [1, 2], None),
            ("อบรมครูภาษาไทย ป.1", [1], "ประชุมเชิงปฏิบัติการพัฒนาครู"),
            ("อบรมครู ป.2–3", [1, 2], "ประชุมเชิงปฏิบัติการพัฒนาครู"),
            ("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", [2, 3], None),
            ("สรุปและรายงานผล", [4], None),
            ("นิเทศโรงเรียนขนาดเล็ก", [2], "นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน"),
        ], key=str), found


async def test_budget_lines_typed_one_message_each(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n2. สรุปและรายงานผล Q4")  # taken: M5 is next
        assert "สพฐ. งบดำเนินงาน 120,000 Q2" in suda.text, suda.text  # the one-line format, with examples
        await suda.say("งบดำเนินงาน 350,000 Q1 150000 Q2 100000 Q3 60000 Q4 40000")
        assert "บันทึกรายการงบประมาณ 1 รายการแล้ว" in suda.text and "350,000" in suda.text, suda.text
        await suda.tap("➕ เพิ่มรายการงบ")  # the list again, above the review card
        await suda.say("สพฐ. งบดำเนินงาน ๑๒๐,๐๐๐ Q2")
        assert "อ่านได้ 1 รายการ" in suda.text, suda.text  # a list with items: the card, as before
        await suda.tap("ยืนยัน")
        await suda.say("งบลงทุน 1.5 ล้าน Q1 100000")  # a plan that does not add up: named, nothing added
        text = suda.text
        assert "บรรทัดที่ 1" in text and "1,500,000" in text and "รูปแบบที่รับ" in text, text
        await suda.say("งบจังหวัด งบดำเนินงาน 50,000 ไตรมาส ๓")  # no province named: the office's
        assert "งบจังหวัด เชียงใหม่" in suda.text, suda.text
        await suda.say("ใช่ค่ะ")  # typed yes is ✅, never a budget line
        assert "รวมงบประมาณทั้งสิ้น: 520,000" in suda.text, suda.text
        lines = [(line.source, line.source_agency, line.expense_category, line.amount,
                  (line.plan_q1, line.plan_q2, line.plan_q3, line.plan_q4))
                 for line in await BudgetLine.filter(project__code=CODE).order_by("id")]
        assert [line[:4] for line in lines] == [
            ("direct", "", "operating", Decimal(350000)), ("via_agency", "สพฐ.", "operating", Decimal(120000)),
            ("province", "เชียงใหม่", "operating", Decimal(50000))], lines
        assert lines[0][4] == (150000, 100000, 60000, 40000) and lines[1][4] == (0, 120000, 0, 0), lines


async def test_budget_lines_with_amounts_in_words_and_thai_units(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("1. ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q2\n2. สรุปและรายงานผล Q4")  # taken: M5 is next
        await suda.say("สพฐ. งบดำเนินงาน ห้าหมื่นบาท Q2")  # one line, the amount in words: taken, not a source
        assert "บันทึกรายการงบประมาณ 1 รายการแล้ว" in suda.text and "50,000" in suda.text, suda.text
        await suda.tap("➕ เพิ่มรายการงบ")  # the list again, above the review card
        await suda.say("งบดำเนินงาน หนึ่งแสนห้าหมื่น Q1 ห้าหมื่น Q2 1 แสน\n"
                       "จังหวัดร้อยเอ็ด งบลงทุน 3.5 แสน เท่ากัน\n"
                       "งบเงินอุดหนุน ค่าอาหาร Q3\n"  # words that are no amount: named, with the forms accepted
                       "งบดำเนินงาน ๓๕๐,๐๐๐ บาท Q1 ห้าหมื่น Q2 1 แสน")  # a plan of 150,000: the sum named
        text = suda.text
        assert "อ่านได้ 2 รายการ" in text, text
        assert "บรรทัดที่ 3 “งบเงินอุดหนุน ค่าอาหาร Q3”: อ่านจำนวนเงิน “ค่าอาหาร” ไม่ได้" in text, text
        assert "ห้าหมื่นบาท" in text, text  # the forms accepted say that words are
        assert "บรรทัดที่ 4" in text, text
        assert "แผนรายไตรมาสรวม 150,000 บาท ไม่เท่ากับจำนวนเงินของรายการ 350,000 บาท" in text, text
        await suda.say("งบเงินอุดหนุน 1.2 ล้าน ไตรมาส ๔")  # the wrong line typed again joins the card
        assert "อ่านได้ 3 รายการ" in suda.text, suda.text
        await suda.tap("ครบแล้ว ไปต่อ")
        lines = [(line.source, line.source_agency, line.expense_category, line.amount,
                  (line.plan_q1, line.plan_q2, line.plan_q3, line.plan_q4))
                 for line in await BudgetLine.filter(project__code=CODE).order_by("id")]
        assert lines == [
            ("via_agency", "สพฐ.", "operating", Decimal(50000), (0, 50000, 0, 0)),
            ("direct", "", "operating", Decimal(150000), (50000, 100000, 0, 0)),
            ("province", "ร้อยเอ็ด", "investment", Decimal(350000), (87500, 87500, 87500, 87500)),
            ("direct", "", "subsidy", Decimal(1200000), (0, 0, 0, 1200000))], lines


async def test_a_card_dropped_adds_nothing_and_one_at_a_time_stays(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_m4(suda)
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู Q1-Q3\n1.1 อบรมครู Q4")  # a wrong line: the card
        assert "อ่านได้ 1 รายการ" in suda.text, suda.text
        await suda.tap("ไม่เพิ่ม")
        assert "ไม่ได้เพิ่ม 1 รายการ" in suda.text, suda.text
        await suda.say("ประชุมเชิงปฏิบัติการพัฒนาครู")  # a plain name: the one-at-a-time way, as before
        assert "ไตรมาสใดบ้าง" in suda.text, suda.text
        await suda.say("Q1-Q2")
        await suda.tap("ไม่มี ไปต่อ")
        await suda.say("ประเมินผลการอ่าน")  # no quarters: still just a name
        assert "ไตรมาสใดบ้าง" in suda.text, suda.text
        rows = await Activity.filter(project__code=CODE)
        assert [row.name for row in rows] == ["ประชุมเชิงปฏิบัติการพัฒนาครู"]


async def test_plans_typed_by_code_and_number_are_linked_and_said_back(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await start_project(suda)
        assert "NS-03, MP-12 แผนย่อย 1 เป้าหมาย, หมุดหมาย 12" in suda.text, suda.text  # the format, shown
        await suda.say("NS-03, MP-12 แผนย่อย 2, หมุดหมาย 12")
        text = suda.text
        assert "เชื่อมโยงแล้ว 3 แผน" in text, text  # said back in one message, each on its line
        for code in ("NS-03", "MP-12-02", "NESDP13-12"):
            assert f"🔗 เชื่อมโยงกับแผนระดับ {1 if code == 'NS-03' else 2}: {code} " in text, text
        assert len(suda.last) == 2, suda.last  # the links said back, and the list
        await suda.say("แผนแม่บทที่ ๑๒ แผนย่อยที่ 1 เป้าหมาย และ ศตวรรษที่ 21")  # a Y1 target; words with one match
        assert "MP-12-01-Y1" in suda.text, suda.text
        await suda.say("ยุทธศาสตร์ชาติ 4, ไม่มีแผนชื่อนี้แน่นอน")  # one linked, the rest named and searched
        assert "NS-04" in suda.text and "ส่วนที่ยังไม่ได้เชื่อมโยง: ไม่มีแผนชื่อนี้แน่นอน" in suda.text, suda.text
        await suda.say("การศึกษา")  # words alone: the search as before, nothing linked
        assert "ผลการค้นหา “การศึกษา”" in suda.text and "🔗" not in suda.text, suda.text
        await suda.tap("ย้อนกลับ")
        await suda.tap("เสร็จ")  # levels 1 and 2 are there: M2 is next
        assert "M2" in suda.text, suda.text
        links = await ProjectPlanLink.filter(project__code=CODE).prefetch_related("plan_node")
        codes = sorted(link.plan_node.code for link in links)
        assert codes == ["MP-12-01-Y1", "MP-12-02", "NESDP13-12", "NS-03", "NS-04"], codes


async def test_a_typed_list_confirmed_as_complete_goes_on_to_the_next_question_in_one_tap(database: Database) -> None:
    async with demo_world(database) as world:
        suda = world.chat("suda")
        await up_to_objectives(suda)
        await suda.say("1. เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3\n2. เพื่อยกระดับความสามารถด้านการอ่านของนักเรียน\n"
                       + "ก" * 501)  # a line too long: the card, which waits
        assert suda.labels()[:2] == ["✅ ครบแล้ว ไปต่อ", "✅ ยืนยัน (2)"], suda.labels()
        await suda.tap("ครบแล้ว ไปต่อ")
        assert "เพิ่มวัตถุประสงค์ 2 รายการแล้ว" in suda.text, suda.text
        assert "ผลผลิต" in suda.text, suda.text  # the list is done: the output target is asked next
        project = await Project.get(code=CODE)
        assert project.objectives == ["เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3", "เพื่อยกระดับความสามารถด้านการอ่านของนักเรียน"]
