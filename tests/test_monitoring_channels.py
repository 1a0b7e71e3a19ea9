"""Exports and charts on the real channels: Telegram sends the file and the photo; LINE, which cannot take a
file from a bot, gets the chart as an image message and the workbook as a link, both served by us."""

from __future__ import annotations

import io
from dataclasses import replace
from urllib.parse import urlsplit

from openpyxl import load_workbook

from tests.support.line_world import line_world
from tests.support.reminders import bangkok
from tests.support.telegram_app import assert_within_limits, telegram_app

PUBLIC = "https://tidtam.example.go.th"


async def test_telegram_sends_the_workbook_and_the_chart(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        director = await rig.link(rig.user(7101, "สมชาย"), "somchai")
        await director.say("/export 2570")
        [document] = rig.standin.called("sendDocument")
        filename, content = next(iter(document.files.values()))
        assert filename == "tidtam-CMI1-2570.xlsx"
        assert load_workbook(io.BytesIO(content)).sheetnames[0] == "โครงการ"
        await director.say("/chart Q1/2570")
        [photo] = rig.standin.called("sendPhoto")
        assert next(iter(photo.files.values()))[1].startswith(b"\x89PNG")
        assert_within_limits(rig.standin)


async def test_line_gets_an_image_and_a_link_served_until_they_expire(empty_database_url: str) -> None:
    async with line_world(empty_database_url, public_url=PUBLIC) as world:
        director = await world.linked("somchai", "สมชาย")
        await director.say("/chart Q1/2570")
        [image] = [message for message in director.last if message["type"] == "image"]
        assert image["originalContentUrl"].startswith(f"{PUBLIC}/files/")
        served = await world.client.get(urlsplit(image["originalContentUrl"]).path)
        assert served.status == 200 and served.content_type == "image/png"
        assert (await served.read()).startswith(b"\x89PNG")

        await director.say("/export")
        assert "ดาวน์โหลด (7 วัน): https://tidtam.example.go.th/files/" in director.text
        link = director.text.split("ดาวน์โหลด (7 วัน): ")[1].split()[0]
        workbook = await world.client.get(urlsplit(link).path)
        assert workbook.status == 200
        assert load_workbook(io.BytesIO(await workbook.read())).sheetnames[0] == "โครงการ"
        assert not world.standin.rejected

        world.clock.advance(days=8)
        assert (await world.client.get(urlsplit(link).path)).status == 404
        guessed = urlsplit(link).path.rsplit("/", 2)[0] + "x/tidtam-CMI1-all.xlsx"
        assert (await world.client.get(guessed)).status == 404


async def test_line_without_a_public_address_names_the_file(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        director = await world.linked("somchai", "สมชาย")
        await director.say("/export")
        assert "📎 tidtam-CMI1-all.xlsx" in director.text and "https://" not in director.text


async def test_a_long_answer_shows_the_bot_working_until_it_is_sent_on_telegram(empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        director = await rig.link(rig.user(7102, "สมชาย"), "somchai")
        rig.channel.typing = (0.0, 0.02)  # every turn counts as slow, and the indicator is renewed quickly
        await director.say("/chart Q1/2570")  # drawing takes a good fraction of a second
        methods = [call.method for call in rig.standin.calls if call.status == 200]
        actions = [index for index, method in enumerate(methods) if method == "sendChatAction"]
        assert len(actions) >= 2 and actions[-1] < methods.index("sendPhoto")
        assert all(call.params["action"] == "typing" for call in rig.standin.called("sendChatAction"))


async def test_a_long_answer_renews_the_loading_animation_on_line(empty_database_url: str) -> None:
    async with line_world(empty_database_url) as world:
        director = await world.linked("somchai", "สมชาย")
        world.channel.options = replace(world.channel.options, loading_after=0.0, loading_every=0.02)
        await director.say("/chart Q1/2570")
        kinds = [call.kind for call in world.standin.calls]
        assert kinds.count("loading") >= 2 and kinds[-1] == "reply"


async def test_questions_without_a_quarter_ask_about_the_one_being_reported_or_the_next(
        empty_database_url: str) -> None:
    async with telegram_app(empty_database_url) as rig:
        director = await rig.link(rig.user(7103, "สมชาย"), "somchai")
        rig.clock.set(bangkok(2026, 12, 10, 9))  # Q4/2569 closed in October, Q1/2570 opens on 1 Jan
        await director.say("/pending")
        assert "ไตรมาส Q1/2570 ยังไม่ถึงช่วงส่งรายงาน" in director.text, director.text
        assert "ส่งมาก่อนแล้ว 0 จาก 2 โครงการ" in director.text
        assert "ทุกโครงการส่ง" not in director.text and "2569" not in director.text.split("เปิดรับ")[0]
        await director.say("/status")
        assert "สถานะรายงานไตรมาส Q1/2570" in director.text and "ยังไม่ถึงช่วงส่งรายงาน (เปิดรับ 1 ม.ค. 2570)" \
            in director.text, director.text
        await director.say("/chart")
        [photo] = rig.standin.called("sendPhoto")
        assert "Q1/2570" in photo.params["caption"]

        rig.clock.set(bangkok(2027, 1, 18, 9))  # Q1 is being reported: three days late now
        await director.say("/pending")
        assert "ยังไม่ส่งรายงานไตรมาส Q1/2570 (2 โครงการ)" in director.text, director.text
        rig.clock.set(bangkok(2027, 2, 10, 9))  # Q1 locked on 30 Jan: the next is Q2, not yet due
        await director.say("/pending")
        assert "ไตรมาส Q2/2570 ยังไม่ถึงช่วงส่งรายงาน" in director.text, director.text
