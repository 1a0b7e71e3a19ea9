"""A poison message on Telegram: a turn that fails the same way every time (the database refuses what it would
write) is tried a few times, then set aside with one apology — and meanwhile everybody else is answered within
seconds, the webhook answers 200 to every delivery, and the poisoned chat goes on with its next message.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace

import aiohttp

from api.keys import INBOX
from models.db import Database
from models.enums import InboxStatus, Platform
from models.inbox import InboxEvent
from tests.support.processes import tidtam_env
from tests.support.telegram_app import telegram_app
from tests.support.telegram_standin import SECRET_HEADER
from tests.test_faults_webhooks import NAME_PROMPT, _telegram_users

MARK = "POISON-7"  # a session holding this the database refuses to write (the trigger below)
OTHERS = 6
PROMPTLY = 5.0  # seconds within which everybody else is answered
SQLITE = [f"CREATE TRIGGER poison BEFORE UPDATE ON conversation_session WHEN NEW.state LIKE '%{MARK}%' "
          "BEGIN SELECT RAISE(ABORT, 'poisoned'); END"]
POSTGRES = ["CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.state::text LIKE '%{MARK}%' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER poison BEFORE UPDATE ON conversation_session FOR EACH ROW EXECUTE FUNCTION poison()"]
DROP = {"sqlite": ["DROP TRIGGER IF EXISTS poison"],
        "postgres": ["DROP TRIGGER IF EXISTS poison ON conversation_session", "DROP FUNCTION IF EXISTS poison()"]}


async def _poison(database_url: str, *, install: bool) -> None:
    async with Database(database_url) as database:
        dialect = "postgres" if database.is_postgres else "sqlite"
        for statement in ((POSTGRES if database.is_postgres else SQLITE) if install else DROP[dialect]):
            await database.connection().execute_script(statement)


async def test_a_poison_message_is_set_aside_and_nobody_else_waits_for_it(empty_database_url: str) -> None:
    await _poison(empty_database_url, install=True)
    try:
        async with telegram_app(empty_database_url, webhook=True) as rig:
            worker = rig.client.app[INBOX]
            worker.options = replace(worker.options, first_retry=0.3)
            poisoned, *others = await _telegram_users(rig, OTHERS + 1)
            url, secret = rig.standin.webhook or ("", "")
            async with aiohttp.ClientSession() as session:

                async def say(chat_id: int, text: str) -> int:
                    sender = {"id": chat_id, "is_bot": False, "first_name": "ครู"}
                    chat = {"id": chat_id, "type": "private", "first_name": "ครู"}
                    update = {"update_id": rig.standin.next_update_id(),
                              "message": rig.standin.user_message(chat, sender, text=text)}
                    async with session.post(url, json=update, headers={SECRET_HEADER: secret}) as response:
                        return response.status

                def texts(chat_id: int) -> list[str]:
                    return [call.params["text"] for call in rig.standin.called("sendMessage", chat_id=chat_id)]

                assert set(await asyncio.gather(*(say(chat_id, "/new") for chat_id in [poisoned, *others]))) == {200}
                await rig.channel.join()
                assert all(NAME_PROMPT in texts(chat_id)[-1] for chat_id in [poisoned, *others])
                started = time.monotonic()
                assert await say(poisoned, f"โครงการ {MARK}") == 200  # the webhook is not held by it
                statuses = await asyncio.gather(*(say(chat_id, f"โครงการของครู {chat_id}") for chat_id in others))
                assert set(statuses) == {200}
                await rig.standin.wait_for(lambda: all(
                    any(f"รับทราบ: โครงการของครู {chat_id}" in text for text in texts(chat_id)) for chat_id in others),
                    seconds=PROMPTLY)
                answered_in = time.monotonic() - started
                async with asyncio.timeout(60):  # set aside after its tries, not tried for ever
                    await rig.channel.join()
                apologies = [text for text in texts(poisoned) if "พักข้อความนั้นไว้" in text]
                assert len(apologies) == 1, texts(poisoned)  # told once
                event = await InboxEvent.get(platform=Platform.TELEGRAM, chat_ref=str(poisoned),
                                             payload__contains=MARK)
                assert event.status is InboxStatus.SET_ASIDE and event.set_aside and "poisoned" in event.last_error
                assert await say(poisoned, "โครงการที่สะอาด") == 200  # the chat goes on with its next message
                await rig.channel.join()
                assert "รับทราบ: โครงการที่สะอาด" in texts(poisoned)[-2] + texts(poisoned)[-1]
        assert answered_in < PROMPTLY
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", "inbox",
                                                       env=tidtam_env(empty_database_url),
                                                       stdout=asyncio.subprocess.PIPE)
        shown = (await process.communicate())[0].decode()
        assert "set_aside 1" in shown and f"telegram:{poisoned}" in shown and "poisoned" in shown, shown
    finally:
        await _poison(empty_database_url, install=False)
