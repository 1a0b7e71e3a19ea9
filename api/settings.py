"""Tidtam's configuration, read once from the environment; a bad value is one line naming the variable."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.windows import ReportingPolicy

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

    @model_validator(mode="after")
    def _pairs(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_bot_token:
            raise SettingsError("TELEGRAM_BOT_TOKEN: required when TELEGRAM_WEBHOOK_URL is set")
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set")
        if bool(self.line_channel_secret) != bool(self.line_channel_access_token):
            missing = "LINE_CHANNEL_SECRET" if not self.line_channel_secret else "LINE_CHANNEL_ACCESS_TOKEN"
            raise SettingsError(f"{missing}: required when the other LINE credential is set")
        return self

    @property
    def reporting_policy(self) -> ReportingPolicy:
        """The reporting defaults where no window override is configured."""
        return ReportingPolicy(due_days=self.tidtam_report_due_days, lock_days=self.tidtam_report_lock_days)

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
