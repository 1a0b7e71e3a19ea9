"""The ``tidtam`` command against a fresh SQLite file (in-process here; test_settings runs it as a process)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from api.cli import main
from models.clock import system_clock
from models.fiscal import fiscal_quarter_of, local_day

pytestmark = pytest.mark.db  # each command opens a SQLite file of its own


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


Tidtam = Callable[..., Result]


@pytest.fixture
def tidtam(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Tidtam:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "LINE_")):
            monkeypatch.delenv(name)

    def run(*args: str, database: Path, env: dict[str, str] | None = None) -> Result:
        with monkeypatch.context() as scoped:
            scoped.setenv("DATABASE_URL", f"sqlite://{database}")
            for name, value in (env or {}).items():
                scoped.setenv(name, value)
            code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "cli.sqlite3"


def test_commands_refuse_an_unmigrated_database(tidtam: Tidtam, sqlite_file: Path) -> None:
    result = tidtam("office", "list", database=sqlite_file)
    assert result.returncode == 1
    assert "tidtam db migrate" in result.stderr and "Traceback" not in result.stderr


def test_a_newcomer_session_from_migrate_to_invite(tidtam: Tidtam, sqlite_file: Path) -> None:
    migrate = tidtam("db", "migrate", database=sqlite_file)
    assert migrate.returncode == 0, migrate.stderr
    assert "0001_initial" in migrate.stdout and sqlite_file.exists()
    assert "applied 0 migration(s)" in tidtam("db", "migrate", database=sqlite_file).stdout

    demo = tidtam("demo", database=sqlite_file)
    assert demo.returncode == 0 and "tidtam chat --as suda" in demo.stdout
    again = tidtam("demo", database=sqlite_file)
    assert again.returncode == 1 and "already there" in again.stderr
    assert tidtam("demo", "--if-empty", database=sqlite_file).returncode == 0

    reload = tidtam("catalog", "load", database=sqlite_file)
    assert reload.returncode == 0 and " 0 created, 0 updated" in reload.stdout

    search = tidtam("catalog", "search", "การศึกษา", database=sqlite_file)
    assert "RF-12" in search.stdout and "(unconfirmed)" in search.stdout

    added = tidtam("office", "add", "--code", "CMI2", "--name", "สพป.เชียงใหม่ เขต 2", "--province", "เชียงใหม่",
                   database=sqlite_file)
    assert added.returncode == 0
    assert "CMI2" in tidtam("office", "list", database=sqlite_file).stdout
    duplicate = tidtam("office", "add", "--code", "CMI2", "--name", "x", database=sqlite_file)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr

    user = tidtam("user", "add", "--name", "นางมาลี ดีงาม", "--role", "owner", "--office", "CMI2",
                  "--email", "Malee@Example.go.th", database=sqlite_file)
    assert user.returncode == 0
    user_id = re.search(r"user (\d+) added", user.stdout)
    assert user_id is not None
    listing = tidtam("user", "list", database=sqlite_file).stdout
    assert "นางมาลี ดีงาม" in listing and "CMI2" in listing
    no_office = tidtam("user", "add", "--name", "x", "--role", "director", database=sqlite_file)
    assert no_office.returncode == 1 and "--office" in no_office.stderr

    invite = tidtam("invite", "--user", user_id.group(1), database=sqlite_file,
                    env={"TELEGRAM_BOT_USERNAME": "tidtam_demo_bot"})
    assert invite.returncode == 0, invite.stderr
    code = re.search(r"invite code: ([A-Z0-9]{5}-[A-Z0-9]{5})", invite.stdout)
    assert code is not None
    assert f"https://t.me/tidtam_demo_bot?start={code.group(1).replace('-', '')}" in invite.stdout
    new_person = tidtam("invite", "--role", "director", "--office", "CMI2", "--days", "3", database=sqlite_file)
    assert new_person.returncode == 0 and "valid 3 days" in new_person.stdout and "t.me" not in new_person.stdout
    unknown = tidtam("invite", "--role", "owner", "--office", "NOPE", database=sqlite_file)
    assert unknown.returncode == 1 and "no office with code NOPE" in unknown.stderr


def test_catalog_load_with_a_missing_file_is_a_clear_error(tidtam: Tidtam, sqlite_file: Path, tmp_path: Path) -> None:
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    result = tidtam("catalog", "load", str(tmp_path / "nope.json"), "--fiscal-year", "2570", database=sqlite_file)
    assert result.returncode == 1 and "cannot read the catalog" in result.stderr


def test_reminders_preview_lists_the_quarter_opening_after_the_demo(tidtam: Tidtam, sqlite_file: Path) -> None:
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    assert tidtam("demo", database=sqlite_file).returncode == 0
    no_national = {"TIDTAM_HOLIDAY_CALENDAR": "none"}  # at work on New Year's Day: the opening rung is due then
    preview = tidtam("reminders", "preview", "--at", "2027-01-01", database=sqlite_file, env=no_national)
    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout
    assert "reminders due at 2027-01-01 08:00 (Asia/Bangkok): 3" in lines
    assert "window_opened → นางสาวสุดา ศรีสุข [console:suda] Q1/2570" in lines
    assert "window_opened → นายวีระ แก้วมณี [console:weera] Q1/2570" in lines
    assert "กำหนดส่ง 15 ม.ค. 2570 (เหลือ 14 วัน)" in lines
    assert "admin_weekly → เจ้าหน้าที่ติดตามผล สพฐ." in lines
    again = tidtam("reminders", "preview", "--at", "2027-01-01", database=sqlite_file, env=no_national)
    assert "(already sent)" not in again.stdout  # a preview claims and sends nothing
    night = tidtam("reminders", "preview", "--at", "2027-01-02T22:00", database=sqlite_file)
    assert "outside sending hours, they go out 2027-01-04 08:00" in night.stdout
    with pytest.raises(SystemExit) as refused:
        tidtam("reminders", "preview", "--at", "1/1/2570", database=sqlite_file)
    assert refused.value.code == 2


def test_reminders_preview_on_a_holiday_names_it_and_when_messages_go_out(tidtam: Tidtam, sqlite_file: Path) -> None:
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    assert tidtam("demo", database=sqlite_file).returncode == 0
    songkran = tidtam("reminders", "preview", "--at", "2027-04-13", database=sqlite_file)
    assert songkran.returncode == 0, songkran.stderr
    first = songkran.stdout.splitlines()[0]
    assert first.startswith("reminders due at 2027-04-13 00:00 (Asia/Bangkok): ")
    assert first.endswith("; 2027-04-13 is a holiday: วันสงกรานต์, they go out 2027-04-16 08:00")
    office = tidtam("reminders", "preview", "--at", "2027-04-16T09:00", database=sqlite_file,
                    env={"TIDTAM_HOLIDAYS": "2027-04-16"})
    assert ("2027-04-16 is a holiday: the office's day off (TIDTAM_HOLIDAYS), they go out 2027-04-19 08:00"
            in office.stdout)
    working = tidtam("reminders", "preview", "--at", "2027-04-16", database=sqlite_file)
    assert "reminders due at 2027-04-16 08:00 (Asia/Bangkok): " in working.stdout and "go out" not in working.stdout


def test_reminders_run_once_prints_terminal_accounts_messages_once(tidtam: Tidtam, sqlite_file: Path) -> None:
    today = local_day(system_clock())
    period = fiscal_quarter_of(today)
    assert tidtam("db", "migrate", database=sqlite_file).returncode == 0
    assert tidtam("demo", database=sqlite_file).returncode == 0
    opened = tidtam("window", "set", "--fiscal-year", str(period.fiscal_year), "--quarter", str(period.quarter),
                    "--opens", str(today), "--due", str(today + timedelta(days=10)), database=sqlite_file)
    assert opened.returncode == 0, opened.stderr
    always = {"TIDTAM_SENDING_HOURS": "00:00-23:59:59", "TIDTAM_WORKING_DAYS": "mon-sun",
              "TIDTAM_HOLIDAY_CALENDAR": "none"}
    first = tidtam("reminders", "run-once", database=sqlite_file, env=always)
    assert first.returncode == 0, first.stderr
    if period.fiscal_year == 2570:  # the demo's projects are of fiscal year 2570
        assert "── console:suda ──" in first.stdout and "เหลือ 10 วัน" in first.stdout
        assert "sent 2" in first.stdout or "sent 3" in first.stdout
    second = tidtam("reminders", "run-once", database=sqlite_file, env=always)
    assert "── console:suda ──" not in second.stdout and "sent 0" in second.stdout
    closed = tidtam("reminders", "run-once", database=sqlite_file, env={
        "TIDTAM_WORKING_DAYS": "mon", "TIDTAM_SENDING_HOURS": "00:00-00:01", "TIDTAM_HOLIDAY_CALENDAR": "none"})
    assert closed.returncode == 0 and "outside sending hours: nothing sent" in closed.stdout
