"""Settings come from the environment; a bad one is a single line naming the variable, never its value."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from api.settings import SettingsError, load_settings

ALL_VARIABLES = [
    "DATABASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_BOT_USERNAME", "TELEGRAM_API_BASE_URL", "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET", "LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL",
    "TIDTAM_HOST", "TIDTAM_PORT", "TIDTAM_REPORT_DUE_DAYS", "TIDTAM_LOG_LEVEL", "TIDTAM_HOLIDAY_CALENDAR",
    "TIDTAM_HOLIDAYS", "TIDTAM_WORKING_DAYS",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_run_on_embedded_sqlite_with_no_channels(clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite://data/tidtam.sqlite3"
    assert (settings.tidtam_host, settings.tidtam_port, settings.tidtam_report_due_days) == ("127.0.0.1", 8080, 15)
    assert not settings.telegram_enabled and not settings.line_enabled


def test_values_are_read_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tidtam")
    clean_env.setenv("TIDTAM_PORT", "9000")
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    clean_env.setenv("LINE_CHANNEL_SECRET", "s3cret")
    clean_env.setenv("LINE_CHANNEL_ACCESS_TOKEN", "t0ken")
    clean_env.setenv("TIDTAM_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.tidtam_port == 9000
    assert settings.telegram_enabled and settings.line_enabled
    assert settings.tidtam_log_level == "DEBUG"
    assert "s3cret" not in repr(settings)


def test_empty_variables_count_as_unset(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "")
    clean_env.setenv("TIDTAM_PORT", "")
    settings = load_settings()
    assert settings.telegram_bot_token is None and settings.tidtam_port == 8080


def test_days_off_are_thailands_holidays_and_the_offices_own(clean_env: pytest.MonkeyPatch) -> None:
    songkran, office_day = date(2027, 4, 13), date(2027, 4, 16)
    hours = load_settings().sending_hours
    assert not hours.is_working_day(songkran) and hours.is_working_day(office_day)
    clean_env.setenv("TIDTAM_HOLIDAYS", "2027-04-16")
    hours = load_settings().sending_hours
    assert not hours.is_working_day(songkran) and not hours.is_working_day(office_day)
    clean_env.setenv("TIDTAM_HOLIDAY_CALENDAR", "none")
    hours = load_settings().sending_hours
    assert hours.is_working_day(songkran) and not hours.is_working_day(office_day)


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TIDTAM_PORT": "eighty"}, "TIDTAM_PORT"),
        ({"TIDTAM_PORT": "70000"}, "TIDTAM_PORT"),
        ({"DATABASE_URL": "mysql://root@127.0.0.1/x"}, "DATABASE_URL"),
        ({"TELEGRAM_API_BASE_URL": "ftp://example"}, "TELEGRAM_API_BASE_URL"),
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.go.th/webhook/telegram"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://x.example/w"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has spaces and ไทย"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"LINE_CHANNEL_SECRET": "only-the-secret"}, "LINE_CHANNEL_ACCESS_TOKEN"),
        ({"LINE_CHANNEL_ACCESS_TOKEN": "only-the-token"}, "LINE_CHANNEL_SECRET"),
        ({"TIDTAM_REPORT_DUE_DAYS": "0"}, "TIDTAM_REPORT_DUE_DAYS"),
        ({"TIDTAM_LOG_LEVEL": "chatty"}, "TIDTAM_LOG_LEVEL"),
        ({"TIDTAM_HOLIDAY_CALENDAR": "Siam"}, "TIDTAM_HOLIDAY_CALENDAR"),
        ({"TIDTAM_HOLIDAYS": "13/4/2570"}, "TIDTAM_HOLIDAYS"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_variable(
    clean_env: pytest.MonkeyPatch, variables: dict[str, str], named: str
) -> None:
    for name, value in variables.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{named}:")
    assert "\n" not in message
    for value in variables.values():
        assert value not in message


@pytest.mark.process
def test_the_cli_reports_a_bad_setting_without_a_traceback(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TIDTAM_PORT", "not-a-port")
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "office", "list"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tidtam: configuration error: TIDTAM_PORT: "
        "Input should be a valid integer, unable to parse string as an integer"
    ]
    assert "Traceback" not in result.stderr
