"""Project A of the scenarios, typed and tapped the way an owner would, section by section."""

from __future__ import annotations

from tests.support.transcript import Chat

PROJECT_A = "โครงการยกระดับความสามารถด้านการอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1–3"
RATIONALE = (
    "ผลการทดสอบความสามารถด้านการอ่าน (RT) ปีการศึกษา 2568 พบว่านักเรียนชั้น ป.1 ร้อยละ 31 อ่านไม่ออก\n"
    "โรงเรียนขนาดเล็กในพื้นที่ห่างไกลมีผลต่ำกว่าค่าเฉลี่ยของเขต"
)


async def start_project(chat: Chat) -> None:
    """From the main menu to a created draft."""
    await chat.say("สวัสดีค่ะ")
    await chat.tap("ลงทะเบียนโครงการใหม่")
    await chat.say(PROJECT_A)
    await chat.tap("ปีงบประมาณ 2570")


async def fill_m1(chat: Chat) -> None:
    """Strategy 3 by browsing, the Y1 target by search, a NESDP milestone, and a law by reference."""
    await chat.tap("ระดับ 1 ยุทธศาสตร์ชาติ")
    await chat.tap("NS-03")
    await chat.say("ศตวรรษที่ 21")  # typing searches
    await chat.tap("MP-12-01 ")  # a sub-plan: browsing goes one level down to its targets
    await chat.tap("MP-12-01-Y1")
    await chat.tap("ระดับ 2 แผนแม่บท")
    await chat.tap("NESDP13 ")
    await chat.tap("NESDP13-12")
    await chat.tap("ระดับ 3 นโยบาย")
    await chat.tap("LAW ")
    await chat.say("พระราชบัญญัติการศึกษาแห่งชาติ พ.ศ. 2542 มาตรา 8")
    await chat.tap("เสร็จ")


async def fill_m2(chat: Chat) -> None:
    """Project, budget plan, uses budget, both methods; the contacts are taken from the people records."""
    await chat.tap("โครงการ")
    await chat.tap("แผนงานพื้นฐานด้านการพัฒนา")
    await chat.say("ใช่ค่ะ")
    await chat.tap("ดำเนินการเอง")
    await chat.tap("จ้างเหมา")
    await chat.tap("เสร็จ")


async def fill_m3(chat: Chat) -> None:
    """Details with two objectives, two KPIs, area and dates typed the Thai way."""
    await chat.say(RATIONALE)
    await chat.say("เพื่อพัฒนาครูผู้สอนภาษาไทย ป.1–3 จำนวน 240 คน")
    await chat.tap("➕ เพิ่มวัตถุประสงค์")
    await chat.say("เพื่อยกระดับความสามารถด้านการอ่านและการเขียนของนักเรียน")
    await chat.tap("เสร็จ")
    await chat.say("นักเรียน ป.1–3 จำนวน ๔,๒๐๐ คน ใน 120 โรงเรียนได้รับการพัฒนา")
    await chat.say("นักเรียนร้อยละ 85 อ่านออกเขียนได้ตามเกณฑ์")
    await chat.say("ร้อยละนักเรียนที่อ่านออกเขียนได้ตามเกณฑ์")
    await chat.tap("ร้อยละ")
    await chat.say("85")
    await chat.tap("➕ เพิ่มตัวชี้วัด")
    await chat.say("จำนวนครูที่ผ่านการอบรม")
    await chat.tap("คน")
    await chat.say("๒๔๐ คน")
    await chat.tap("เสร็จ")
    await chat.say("นักเรียนชั้น ป.1–3 และครูผู้สอน")
    # the office's province is taken without asking
    await chat.say("อ.เมือง อ.สารภี อ.สันทราย")
    await chat.say("1 ต.ค. 2569")
    await chat.say("30/9/70")


async def fill_m4(chat: Chat) -> None:
    """Four activities, the first with two sub-activities."""
    await chat.say("ประชุมเชิงปฏิบัติการพัฒนาครู")
    await chat.say("Q1-Q2")
    await chat.tap("➕ เพิ่มกิจกรรมย่อย")
    await chat.say("อบรมครูภาษาไทย ป.1")
    await chat.say("ไตรมาส 1")
    await chat.tap("➕ เพิ่มกิจกรรมย่อย")
    await chat.say("อบรมครู ป.2–3")
    await chat.say("ไตรมาส 1-2")
    for name, quarters in (("นิเทศ ติดตามการจัดการเรียนรู้ในโรงเรียน", "2,3"),
                           ("ประเมินการอ่านการเขียน", "Q3 Q4"), ("สรุปและรายงานผล", "Q4")):
        await chat.say(name)  # typing in the list adds the next activity
        await chat.say(quarters)
        await chat.tap("ไม่มี ไปต่อ")
    await chat.tap("เสร็จ")


async def fill_m5(chat: Chat) -> None:
    """Three budget sources: direct, through สพฐ., and from the province."""
    await chat.tap("งบของหน่วยงานเอง")
    await chat.tap("งบดำเนินงาน")
    await chat.say("3.5 แสน")
    await chat.say("150000, 100000, 60000, 40000")
    await chat.tap("➕ เพิ่มรายการงบประมาณ")
    await chat.tap("ผ่านหน่วยงานอื่น")
    await chat.say("สพฐ.")
    await chat.tap("งบดำเนินงาน")
    await chat.say("๑๒๐,๐๐๐ บาท")
    await chat.tap("ทั้งหมดในไตรมาส 2")
    await chat.tap("➕ เพิ่มรายการงบประมาณ")
    await chat.tap("งบจังหวัด")
    await chat.tap("ใช้ค่านี้")
    await chat.tap("งบดำเนินงาน")
    await chat.say("ห้าหมื่นบาท")
    await chat.say("Q3 50000")
    await chat.tap("เสร็จ")


async def up_to_objectives(chat: Chat) -> None:
    """A new draft of Project A with M1 and M2 filled and the rationale typed: M3's objectives are asked next."""
    await start_project(chat)
    await fill_m1(chat)
    await fill_m2(chat)
    await chat.say(RATIONALE)


async def up_to_m4(chat: Chat) -> None:
    """A new draft of Project A with M1–M3 filled: M4's first activity is asked next."""
    await start_project(chat)
    await fill_m1(chat)
    await fill_m2(chat)
    await fill_m3(chat)


async def register_project_a(chat: Chat) -> None:
    """The whole registration up to the review card."""
    await up_to_m4(chat)
    await fill_m4(chat)
    await fill_m5(chat)


async def project_a_before_the_director(owner: Chat, director: Chat) -> None:
    """Project A registered and sent from its review card; the director has it open from รออนุมัติ."""
    await register_project_a(owner)
    await owner.tap("ส่งให้ผู้อำนวยการ")
    await director.say("รออนุมัติ")
    await director.tap("1. ทะเบียนโครงการ")


async def open_report(chat: Chat, label: str = "Q1/2570 โครงการยกระดับ") -> None:
    """From anywhere to the report of that quarter."""
    await chat.say("รายงานผล")
    await chat.tap(label)


SHORTFALL = "เลื่อนการอบรมรุ่นที่ 2 ไปเดือนมกราคม เพราะตรงกับช่วงสอบกลางภาค"


async def fill_q1_until_kpis(chat: Chat) -> None:
    """The scenarios' Q1 report of Project A, up to its first KPI value."""
    await chat.say("อบรมเชิงปฏิบัติการ 2 รุ่น ครูผ่านการอบรม 180 คน")
    await chat.say("ยังเร็วเกินไปที่จะวัดผลการอ่าน ทดสอบพื้นฐาน (baseline) แล้ว")


async def fill_q1_after_kpis(chat: Chat) -> None:
    """The scenarios' Q1 report of Project A, from its activities up to the amount disbursed."""
    await chat.tap("กำลังดำเนินการ")  # 1 the workshops
    await chat.say("70")
    await chat.tap("เสร็จแล้ว")  # 1.1 grade 1 teachers
    await chat.tap("กำลังดำเนินการ")  # 1.2 grades 2-3
    await chat.say("60%")
    await chat.tap("ตอบแยกรายแผน")  # each plan its own text (one text for all is the first offer)
    for text in ("ครูภาษาไทยได้รับการพัฒนาทักษะการสอนอ่าน", "นักเรียนได้รับการสอนอ่านตามแนวทางใหม่",
                 "กำลังคนมีทักษะการเรียนรู้", "ดำเนินการตาม พ.ร.บ.การศึกษาแห่งชาติ มาตรา 22"):
        await chat.say(text)


async def fill_q1_report(chat: Chat, disbursed: str = "98,500", shortfall: str | None = SHORTFALL) -> None:
    """The scenarios' Q1 report of Project A, up to its review card (``shortfall`` when below plan; evidence is
    offered there)."""
    await fill_q1_until_kpis(chat)
    await chat.say("62")
    await chat.say("180 คน")
    await fill_q1_after_kpis(chat)
    await chat.say(disbursed)
    if shortfall is not None:
        await chat.say(shortfall)
    await chat.say("โรงเรียนที่อยู่ไกลส่งครูมาอบรมในวันธรรมดาไม่ได้")


async def submit_and_return_q1(owner: Chat, director: Chat, comment: str) -> None:
    """The owner submits Project A's Q1 report as the scenarios fill it (no evidence); the director returns it."""
    await open_report(owner)
    await fill_q1_report(owner)
    await send_back_submitted(owner, director, comment)


async def open_returned_notice(owner: Chat) -> None:
    """The owner's next message brings the director's return notice; its first button (📝 เปิดรายงาน) opens the
    returned report."""
    await owner.say("สวัสดี")
    notice = next(reply for reply in owner.last if reply.key == "notify.returned_report")
    await owner.press(notice.choices[0].token)


async def send_back_submitted(owner: Chat, director: Chat, comment: str) -> None:
    """From the review card: the owner submits the Q1 report (the card is the confirmation) and the director
    returns it with ``comment``."""
    await owner.say("/submit")
    await director.say("รออนุมัติ")
    await director.tap("1. รายงาน Q1/2570")
    await director.tap("ส่งกลับแก้ไข")
    await director.say(comment)
