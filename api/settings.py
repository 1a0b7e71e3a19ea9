"""Tidtam's configuration, read once from the environment; a bad value is one line naming the variable."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.inbox_worker import WorkerOptions
from bot.sending_hours import DAY_NAMES, SendingHours, parse_dates, parse_day_list, parse_days, parse_hours
from conversations.oversight.reminder_stages import ReminderSchedule
from models.days_off import DaysOff, parse_calendar
from models.window_rules import ReportingPolicy

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "asyncpg"}
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class SettingsError(Exception):
    """A missing or malformed setting; ``str()`` is one line that names the variable."""


class Settings(BaseSettings):
    """Every setting, under the name of its environment variable (see the README for each)."""

    model_config = SettingsConfigDict(case_sensitive=False, env_ignore_empty=True, extra="ignore", frozen=True)

    database_url: str = "sqlite://data/tidtam.sqlite3"
    telegram_bot_token: SecretStr | None = None
    telegram_bot_username: str | None = None
    telegram_api_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    line_channel_secret: SecretStr | None = None
    line_channel_access_token: SecretStr | None = None
    line_api_base_url: str | None = None
    tidtam_host: str = "127.0.0.1"
    tidtam_port: int = Field(default=8080, ge=1, le=65535)
    tidtam_report_due_days: int = Field(default=15, ge=1, le=120)
    tidtam_report_lock_days: int = Field(default=15, ge=0, le=365)
    tidtam_log_level: str = "INFO"
    tidtam_log_file: Path = Path("data/tidtam.log")  # the log of `serve` while the terminal is a chat
    tidtam_public_url: str | None = None
    tidtam_reminders: bool = True
    tidtam_reminder_interval: float = Field(default=60.0, ge=0.05, le=3600)
    tidtam_remind_days_before_due: str = "7,3,0"
    tidtam_remind_days_after_due: str = "1,7"
    tidtam_sending_hours: str = "08:00-20:00"
    tidtam_working_days: str = "mon-fri"
    tidtam_holiday_calendar: str = "TH"
    tidtam_holidays: str = ""
    tidtam_admin_summary_day: str = "mon"
    tidtam_telegram_rate: float = Field(default=30.0, ge=1, le=1000, description="messages a second, overall")
    tidtam_line_rate: float = Field(default=100.0, ge=1, le=2000, description="push/multicast requests a second")
    tidtam_inbox_lease: float = Field(default=30.0, ge=0.5, le=600, description="seconds an event's claim lasts")
    tidtam_inbox_concurrency: int = Field(default=32, ge=1, le=1000, description="events handled at once")

    @field_validator("database_url")
    @classmethod
    def _database_scheme(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in DATABASE_SCHEMES:
            raise ValueError("must start with sqlite:// or postgres://")
        return value

    @field_validator("telegram_api_base_url", "telegram_webhook_url", "line_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in {"http", "https"}:
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("tidtam_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme != "https":
            raise ValueError("must be an https:// URL (LINE fetches files only over HTTPS)")
        return value.rstrip("/") if value else value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1–256 characters of A–Z, a–z, 0–9, _ and -")
        return value

    @field_validator("tidtam_log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("tidtam_remind_days_before_due", "tidtam_remind_days_after_due")
    @classmethod
    def _day_list(cls, value: str) -> str:
        parse_day_list(value)
        return value

    @field_validator("tidtam_sending_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        start, end = parse_hours(value)
        SendingHours(start=start, end=end)
        return value

    @field_validator("tidtam_working_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parse_days(value)
        return value

    @field_validator("tidtam_holiday_calendar")
    @classmethod
    def _calendar(cls, value: str) -> str:
        parse_calendar(value)
        return value

    @field_validator("tidtam_holidays")
    @classmethod
    def _holidays(cls, value: str) -> str:
        parse_dates(value)
        return value

    @field_validator("tidtam_admin_summary_day")
    @classmethod
    def _weekday(cls, value: str) -> str:
        if value.lower() not in DAY_NAMES:
            raise ValueError("must be one of mon, tue, wed, thu, fri, sat, sun")
        return value.lower()

    @model_validator(mode="after")
    def _pairs(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_bot_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN: required when TELEGRAM_WEBHOOK_URL is set")
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set")
        try:
            self.reminder_schedule  # noqa: B018 - built once here so that a bad combination fails at start
        except ValueError as error:
            raise SettingsError(f"TIDTAM_REMIND_DAYS_BEFORE_DUE / TIDTAM_REMIND_DAYS_AFTER_DUE: {error}") from None
        if bool(self.line_channel_secret) != bool(self.line_channel_access_token):
            missing = "LINE_CHANNEL_SECRET" if not self.line_channel_secret else "LINE_CHANNEL_ACCESS_TOKEN"
            raise SettingsError(f"{missing}: required when the other LINE credential is set")
        return self

    @property
    def reporting_policy(self) -> ReportingPolicy:
        """The reporting defaults where no window override is configured."""
        return ReportingPolicy(due_days=self.tidtam_report_due_days, lock_days=self.tidtam_report_lock_days)

    @property
    def reminder_schedule(self) -> ReminderSchedule:
        """When reminders fall due (see the README's "Reminders")."""
        return ReminderSchedule(days_before_due=parse_day_list(self.tidtam_remind_days_before_due),
                                days_after_due=parse_day_list(self.tidtam_remind_days_after_due),
                                admin_weekday=DAY_NAMES.index(self.tidtam_admin_summary_day))

    @property
    def sending_hours(self) -> SendingHours:
        """When pushed messages may go out (Asia/Bangkok): never on the national calendar's holidays nor the
        office's own days off."""
        start, end = parse_hours(self.tidtam_sending_hours)
        days_off = DaysOff(country=parse_calendar(self.tidtam_holiday_calendar),
                           extra=parse_dates(self.tidtam_holidays))
        return SendingHours(start=start, end=end, working_days=parse_days(self.tidtam_working_days),
                            holidays=days_off)

    @property
    def inbox_options(self) -> WorkerOptions:
        """How the inbox worker paces itself."""
        return WorkerOptions(lease=self.tidtam_inbox_lease, concurrency=self.tidtam_inbox_concurrency)

    @property
    def telegram_enabled(self) -> bool:
        """Whether a Telegram bot token is configured."""
        return self.telegram_bot_token is not None

    @property
    def line_enabled(self) -> bool:
        """Whether LINE credentials are configured."""
        return self.line_channel_secret is not None


def load_settings() -> Settings:
    """Parse the environment once; raise :class:`SettingsError` naming the first bad variable."""
    try:
        return Settings()
    except SettingsError:
        raise
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        # Never echo the input: it may be a secret.
        raise SettingsError(f"{name}: {first['msg']}") from None
