"""Logging of every Tidtam process: one format and level, and no secret in any log record at any level.

Libraries log what they are given: httpx each request's URL (the Telegram bot token is part of it),
python-telegram-bot every Bot API call's parameters at DEBUG (``setWebhook``'s secret among them), aiohttp each
request line (a file link's token is part of it). So rather than trusting each library, one :class:`Redactor`
rewrites every record as it is made, whatever logger made it and whichever handler prints it: its message and
arguments, its traceback and its stack. It masks

- the secrets of the settings (the Telegram bot token and webhook secret, the LINE channel secret and access
  token, the database password), also URL-encoded, each as ``<name>``;
- by their shape, whatever the settings: API tokens (``tdt_…``), file-link tokens (``/files/AbCd…/name``: four
  characters kept, so that an operator can tell two links apart) and the password of any ``scheme://user:pw@``.

Secrets shorter than :data:`MIN_SECRET` characters are not masked: they would turn every log line into masks.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

from api.settings import Settings

MIN_SECRET = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY_LOGGERS = ("httpx",)  # one INFO line per request: shown at DEBUG only
API_TOKEN = re.compile(r"tdt_[A-Za-z0-9_-]+")
FILE_LINK = re.compile(r"(?P<head>(?:/|%2[Ff])files(?:/|%2[Ff]))(?P<token>[A-Za-z0-9_-]+)")
URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@")
FILE_TOKEN_SHOWN = 4


class Redactor:
    """Masks secrets in text and in log records; secrets come and go (an app adds its own while it runs)."""

    def __init__(self) -> None:
        self._held: Counter[tuple[str, str]] = Counter()  # (secret, label) → how many holders added it
        self._lock = threading.Lock()
        self._literal: tuple[dict[str, str], re.Pattern[str] | None] = ({}, None)  # replaced whole, never changed

    def add(self, secrets: Mapping[str, str]) -> Callable[[], None]:
        """Mask each secret (key) as its label (value), URL-encoded forms included; return the undo."""
        pairs = [(form, label) for secret, label in secrets.items() if len(secret) >= MIN_SECRET
                 for form in _forms(secret)]
        with self._lock:
            self._held.update(pairs)
            self._rebuild()

        def remove() -> None:
            with self._lock:
                self._held.subtract(pairs)
                self._held = +self._held
                self._rebuild()

        return remove

    def _rebuild(self) -> None:
        labels = dict(self._held.keys())  # (secret, label) pairs
        ordered = sorted(labels, key=len, reverse=True)  # a longer secret wins over one it contains
        self._literal = labels, re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def clean(self, text: str) -> str:
        """``text`` with every secret masked."""
        labels, literal = self._literal  # one consistent pair, whatever another thread adds meanwhile
        if literal is not None:
            text = literal.sub(lambda match: f"<{labels[match.group()]}>", text)
        text = API_TOKEN.sub("tdt_…", text)
        text = FILE_LINK.sub(_short_file_token, text)
        return URL_PASSWORD.sub(r"\g<head>***@", text)

    def scrub(self, record: logging.LogRecord) -> None:
        """Rewrite a record in place: message (its arguments merged in), traceback and stack; never raises."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed call ("%d" given a str): left for the handler to report, masked
            record.msg = self.clean(str(record.msg))
            record.args = _clean_args(record.args, self.clean)
        else:  # merged once here rather than again by every handler
            record.msg, record.args = self.clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)


def _forms(secret: str) -> Iterable[str]:
    encoded = quote(secret, safe="")
    return {secret, encoded, re.sub(r"%[0-9A-F]{2}", lambda match: match.group().lower(), encoded),
            quote_plus(secret, safe="")}


def _short_file_token(match: re.Match[str]) -> str:
    token = match.group("token")
    return match.group() if len(token) <= FILE_TOKEN_SHOWN else f"{match.group('head')}{token[:FILE_TOKEN_SHOWN]}…"


def _clean_args(args: Any, clean: Callable[[str], str]) -> Any:
    if isinstance(args, Mapping):
        return {key: clean(str(value)) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(clean(str(value)) for value in args)
    return args


REDACTOR = Redactor()
_installed = False


def _install() -> None:
    """Make every log record of this process pass through :data:`REDACTOR` as it is created (once)."""
    global _installed
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        REDACTOR.scrub(record)
        return record

    logging.setLogRecordFactory(redacted_record)
    _installed = True


def secrets_of(settings: Settings) -> dict[str, str]:
    """The secrets of these settings, each with the name it is masked as."""
    found = {value.get_secret_value(): name for name, value in (
        ("telegram-bot-token", settings.telegram_bot_token),
        ("telegram-webhook-secret", settings.telegram_webhook_secret),
        ("line-channel-secret", settings.line_channel_secret),
        ("line-access-token", settings.line_channel_access_token)) if value is not None}
    password = urlsplit(settings.database_url).password
    if password:
        found |= {password: "database-password", unquote(password): "database-password"}
    return found


def redact(settings: Settings) -> Callable[[], None]:
    """Mask these settings' secrets (and, always, the shapes above) in every log record from now on.

    Returns the function that stops masking these settings' secrets (the shapes stay masked).
    """
    _install()
    return REDACTOR.add(secrets_of(settings))


def setup_logging(settings: Settings) -> Callable[[], None]:
    """What every entry point does first: log at ``TIDTAM_LOG_LEVEL`` to standard error, every secret masked,
    httpx's line per request shown only at DEBUG. Returns the function that stops masking the settings' secrets."""
    remove = redact(settings)
    logging.basicConfig(level=settings.tidtam_log_level, format=FORMAT)
    if settings.tidtam_log_level != "DEBUG":
        for name in CHATTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    return remove


def log_to_file(path: Path) -> Path:
    """Send this process's log to ``path`` (appended, in the same format) instead of standard error, for when
    the terminal is a chat: an ERROR and its traceback must not land between a question and its answer.

    Returns the file's absolute path, for the operator to be told where the log is.
    """
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in [handler for handler in root.handlers if isinstance(handler, logging.StreamHandler)
                    and not isinstance(handler, logging.FileHandler)]:
        root.removeHandler(handler)
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    return path
