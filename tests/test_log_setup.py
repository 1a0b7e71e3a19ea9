"""The one log redactor: every secret of the settings, API tokens, file links and URL passwords are masked in
every part of a log record, whichever logger made it (``tests/test_log_redaction.py`` runs the real processes)."""

from __future__ import annotations

import io
import logging

import pytest

from api.log_setup import Redactor, redact, secrets_of
from api.settings import Settings

TOKEN = "123456789:AAF-secret_token-0123456789abcdefghij"
FILE_TOKEN = "Qm9vbGVhbi1maWxlLXRva2VuLW9mLTMyLWJ5dGVzLXh5eg"
API_TOKEN = "tdt_Zm9yZ2VkLWFwaS10b2tlbi1mb3ItdGVzdHMtMDEyMzQ"


def redactor(**secrets: str) -> Redactor:
    """A redactor of its own (not the process's), masking each value as its name."""
    masking = Redactor()
    masking.add({value: name for name, value in secrets.items()})
    return masking


@pytest.mark.parametrize(("text", "shown"), [
    (f"POST https://api.telegram.org/bot{TOKEN}/getMe", "POST https://api.telegram.org/bot<token>/getMe"),
    (f"url-encoded: bot{TOKEN.replace(':', '%3A')}", "url-encoded: bot<token>"),
    (f"lower-case escapes: {TOKEN.replace(':', '%3a')}", "lower-case escapes: <token>"),
    (f"Authorization: Bearer {API_TOKEN}", "Authorization: Bearer tdt_…"),
    (f'"GET /files/{FILE_TOKEN}/กราฟ.png HTTP/1.1" 200', '"GET /files/Qm9v…/กราฟ.png HTTP/1.1" 200'),
    (f"https://tidtam.example.go.th/files/{FILE_TOKEN}/export.xlsx",
     "https://tidtam.example.go.th/files/Qm9v…/export.xlsx"),
    (f"url=https%3A%2F%2Fx%2Ffiles%2F{FILE_TOKEN}%2Fa.png", "url=https%3A%2F%2Fx%2Ffiles%2FQm9v…%2Fa.png"),
    ("/files/abc/x.png", "/files/abc/x.png"),  # nothing of a real token to hide
    ("postgres://tidtam:s3cret@db:5432/tidtam", "postgres://tidtam:***@db:5432/tidtam"),
    ("no secret here: /api/v1/plans?q=MP-12", "no secret here: /api/v1/plans?q=MP-12"),
])
def test_secrets_and_the_shapes_of_secrets_are_masked(text: str, shown: str) -> None:
    assert redactor(token=TOKEN).clean(text) == shown


def test_a_longer_secret_is_masked_whole_before_one_it_contains() -> None:
    masking = redactor(short="abcd1234", long="xxabcd1234yy")
    assert masking.clean("xxabcd1234yy and abcd1234") == "<long> and <short>"


def test_secrets_too_short_to_hide_are_left_alone() -> None:
    assert redactor(password="pw").clean("pw is not masked: it would mask every p-w") == (
        "pw is not masked: it would mask every p-w")


def test_the_settings_secrets_include_the_database_password_as_written_and_decoded() -> None:
    settings = Settings(database_url="postgres://tidtam:p%40ss%2Fw0rd@db:5432/tidtam", telegram_bot_token=TOKEN,
                        telegram_webhook_url="https://x/webhook/telegram", telegram_webhook_secret="hook-secret-1",
                        line_channel_secret="0123456789abcdef0123456789abcdef", line_channel_access_token="line+tok/=")
    assert secrets_of(settings) == {
        TOKEN: "telegram-bot-token", "hook-secret-1": "telegram-webhook-secret",
        "0123456789abcdef0123456789abcdef": "line-channel-secret", "line+tok/=": "line-access-token",
        "p%40ss%2Fw0rd": "database-password", "p@ss/w0rd": "database-password"}


def reject() -> None:
    raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")


def test_every_record_is_masked_in_its_message_arguments_traceback_and_stack(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # whatever a `tidtam` run in this process set it to
    settings = Settings(database_url="sqlite://x.sqlite3", telegram_bot_token=TOKEN)
    stop_masking = redact(settings)
    log = logging.getLogger("tests.redaction")
    try:
        log.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        log.debug("a file link %s and a %s", f"/files/{FILE_TOKEN}/x.xlsx", API_TOKEN)
        try:
            reject()
        except RuntimeError:
            log.exception("startup failed")
        log.warning("where: %s", TOKEN, stack_info=True)
        logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/bot%s/getMe", TOKEN)
    finally:
        stop_masking()
    log.info("after removal: %s", TOKEN)
    shown = caplog.text
    assert shown.count("<telegram-bot-token>") == 4 and "Stack (most recent call last)" in shown
    assert TOKEN not in shown.replace(f"after removal: {TOKEN}", "")  # only this process's secrets stop
    assert FILE_TOKEN not in shown and API_TOKEN not in shown and "/files/Qm9v…/x.xlsx" in shown
    assert "Traceback" in shown and "reject()" in shown


def test_a_record_s_stack_and_traceback_text_are_masked() -> None:
    record = logging.LogRecord("tests", logging.ERROR, __file__, 1, "failed", None, None)
    record.exc_text, record.stack_info = f"Traceback: bot{TOKEN}", f"Stack: {API_TOKEN}"
    redactor(token=TOKEN).scrub(record)
    assert (record.exc_text, record.stack_info) == ("Traceback: bot<token>", "Stack: tdt_…")


def test_a_malformed_log_call_is_still_only_a_logging_error(capsys: pytest.CaptureFixture[str]) -> None:
    masking = redactor(token=TOKEN)
    record = logging.LogRecord("tests", logging.ERROR, __file__, 1, "count %d of " + TOKEN, ("not a number",), None)
    masking.scrub(record)  # must not raise: logging does not catch what a record factory raises
    handler = logging.StreamHandler(io.StringIO())
    handler.handle(record)  # logging's own "--- Logging error ---" report, with the message
    reported = capsys.readouterr().err
    assert "Logging error" in reported and "<token>" in reported and TOKEN not in reported
