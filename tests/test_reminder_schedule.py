"""The reminder ladder and the sending hours, as pure functions over days and moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.sending_hours import SendingHours, parse_dates, parse_day_list, parse_days, parse_hours
from conversations.oversight.reminder_stages import ReminderSchedule, StageKind, ladder, stage_on
from models.days_off import DayOff, DaysOff, parse_calendar
from models.fiscal import BANGKOK, FiscalQuarter
from models.window_rules import QuarterWindow

Q1 = FiscalQuarter(2570, 1)
WINDOW = QuarterWindow(Q1, opens=date(2027, 1, 1), due=date(2027, 1, 15), locks=date(2027, 1, 30))
SCHEDULE = ReminderSchedule()


def test_the_default_ladder_of_a_quarter() -> None:
    assert [(stage.kind, stage.day, stage.days) for stage in ladder(WINDOW, SCHEDULE, WINDOW.locks)] == [
        (StageKind.OPENED, date(2027, 1, 1), 0),
        (StageKind.DUE_SOON, date(2027, 1, 8), 7),
        (StageKind.DUE_SOON, date(2027, 1, 12), 3),
        (StageKind.DUE_SOON, date(2027, 1, 15), 0),
        (StageKind.OVERDUE, date(2027, 1, 16), 1),
        (StageKind.OVERDUE, date(2027, 1, 22), 7),
    ]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 12, 31), None),  # the quarter's last day: nothing yet
    (date(2027, 1, 1), (StageKind.OPENED, 0)),
    (date(2027, 1, 7), (StageKind.OPENED, 0)),
    (date(2027, 1, 8), (StageKind.DUE_SOON, 7)),
    (date(2027, 1, 14), (StageKind.DUE_SOON, 3)),
    (date(2027, 1, 15), (StageKind.DUE_SOON, 0)),
    (date(2027, 1, 16), (StageKind.OVERDUE, 1)),
    (date(2027, 1, 30), (StageKind.OVERDUE, 7)),
    (date(2027, 1, 31), None),  # locked: no report is taken, so no reminder either
])
def test_the_latest_rung_reached_is_the_one_due(day: date, expected: tuple[StageKind, int] | None) -> None:
    stage = stage_on(WINDOW, day, SCHEDULE)
    assert (None if stage is None else (stage.kind, stage.days)) == expected


def test_a_lock_exception_keeps_late_rungs_alive() -> None:
    schedule = ReminderSchedule(days_after_due=(1, 7, 20))
    assert stage_on(WINDOW, date(2027, 2, 4), schedule) is None
    stage = stage_on(WINDOW, date(2027, 2, 4), schedule, last_day=date(2027, 2, 28))
    assert stage is not None and (stage.kind, stage.days) == (StageKind.OVERDUE, 20)


def test_rungs_before_the_opening_are_left_to_the_opening_reminder() -> None:
    short = QuarterWindow(Q1, opens=date(2027, 1, 1), due=date(2027, 1, 5), locks=date(2027, 1, 10))
    kinds = [(stage.kind, stage.days) for stage in ladder(short, SCHEDULE, short.locks)]
    assert kinds == [(StageKind.OPENED, 0), (StageKind.DUE_SOON, 3), (StageKind.DUE_SOON, 0),
                     (StageKind.OVERDUE, 1)]


def test_each_rung_has_its_own_key() -> None:
    subjects = [stage.subject for stage in ladder(WINDOW, SCHEDULE, WINDOW.locks)]
    assert len(set(subjects)) == len(subjects)


@pytest.mark.parametrize(("bad", "says"), [({"days_before_due": (-1,)}, "0 or more"),
                                           ({"days_after_due": (0,)}, "1 or more"), ({"admin_weekday": 7}, "Monday")])
def test_a_bad_schedule_is_refused(bad: dict[str, object], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        ReminderSchedule(**bad)  # type: ignore[arg-type]


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


HOURS = SendingHours(holidays=DaysOff(country=None, extra=frozenset({date(2027, 1, 1)})))


@pytest.mark.parametrize(("moment", "allowed", "next_at"), [
    (local(2027, 1, 4, 9), True, local(2027, 1, 4, 9)),  # Monday morning
    (local(2027, 1, 4, 7, 59), False, local(2027, 1, 4, 8)),  # before the day starts
    (local(2027, 1, 4, 20), False, local(2027, 1, 5, 8)),  # the evening: tomorrow
    (local(2027, 1, 8, 21), False, local(2027, 1, 11, 8)),  # Friday night: Monday
    (local(2027, 1, 9, 10), False, local(2027, 1, 11, 8)),  # Saturday
    (local(2026, 12, 31, 22), False, local(2027, 1, 4, 8)),  # New Year's Eve: past the holiday and the weekend
])
def test_sending_hours(moment: datetime, allowed: bool, next_at: datetime) -> None:
    assert HOURS.allows(moment) is allowed
    assert HOURS.next_allowed(moment) == next_at


def test_sending_hours_read_utc_moments_in_bangkok_time() -> None:
    assert HOURS.allows(datetime(2027, 1, 4, 1, 0, tzinfo=UTC))  # 08:00 in Bangkok
    assert not HOURS.allows(datetime(2027, 1, 4, 0, 59, tzinfo=UTC))


def test_settings_text_forms() -> None:
    assert parse_hours("08:30-17:00") == (time(8, 30), time(17, 0))
    assert parse_days("mon-fri") == frozenset(range(5))
    assert parse_days("mon,wed, sat") == frozenset({0, 2, 5})
    assert parse_day_list("7, 3,0") == (7, 3, 0)
    assert parse_dates("2027-01-01,2027-04-13") == frozenset({date(2027, 1, 1), date(2027, 4, 13)})
    for bad, parse, says in (("8-5", parse_hours, "Invalid isoformat"), ("fri-mon", parse_days, "forward"),
                             ("monday", parse_days, "unknown day"), ("7;3", parse_day_list, "whole numbers"),
                             ("1/1/2570", parse_dates, "YYYY-MM-DD")):
        with pytest.raises(ValueError, match=says):
            parse(bad)  # type: ignore[operator]
    with pytest.raises(ValueError, match="start before they end"):
        SendingHours(start=time(20), end=time(8))


THAILAND = SendingHours()  # by default Thailand's public holidays, from the holidays package


@pytest.mark.parametrize(("moment", "next_at"), [
    (local(2027, 4, 13, 9), local(2027, 4, 16, 8)),  # Songkran, 13–15 April: the Friday after
    (local(2027, 4, 12, 20), local(2027, 4, 16, 8)),  # the evening before it
    (local(2028, 4, 14, 10), local(2028, 4, 18, 8)),  # 2028: Songkran's Saturday is made up on Monday the 17th
    (local(2027, 5, 3, 9), local(2027, 5, 5, 8)),  # Labour Day's substitute, then Coronation Day
    (local(2026, 12, 31, 9), local(2027, 1, 4, 8)),  # New Year's Eve, New Year's Day, the weekend
])
def test_thailands_holidays_are_not_sending_days(moment: datetime, next_at: datetime) -> None:
    assert not THAILAND.allows(moment)
    assert THAILAND.next_allowed(moment) == next_at
    assert THAILAND.allows(next_at)


def test_the_calendar_names_the_day_in_thai_and_adds_the_offices_own_days() -> None:
    songkran = DaysOff().why(date(2027, 4, 13))
    assert songkran == DayOff(("วันสงกรานต์",), office=False)
    substitute = DaysOff().why(date(2028, 4, 17))
    assert substitute is not None and substitute.names == ("ชดเชยวันสงกรานต์",)
    assert DaysOff().why(date(2027, 4, 16)) is None and date(2027, 4, 16) not in DaysOff()
    office = DaysOff(extra=frozenset({date(2027, 4, 16)}))
    assert office.why(date(2027, 4, 16)) == DayOff((), office=True)
    assert SendingHours(holidays=office).next_allowed(local(2027, 4, 13, 9)) == local(2027, 4, 19, 8)
    assert date(2027, 4, 13) not in DaysOff(country=None)  # an office that keeps no national calendar


def test_the_calendar_setting() -> None:
    assert parse_calendar("TH") == parse_calendar(" th ") == "TH"
    assert parse_calendar("none") is None
    with pytest.raises(ValueError, match="no holiday calendar"):
        parse_calendar("Thailand")


def test_a_due_date_rung_on_a_holiday_moves_to_the_working_day_before() -> None:
    q3 = FiscalQuarter(2570, 3)
    window = QuarterWindow(q3, opens=date(2027, 4, 20), due=date(2027, 5, 4), locks=date(2027, 5, 19))
    rungs = [(stage.kind, stage.day, stage.days) for stage in ladder(window, SCHEDULE, window.locks,
                                                                      THAILAND.is_working_day)]
    assert rungs == [
        (StageKind.OPENED, date(2027, 4, 20), 0),
        (StageKind.DUE_SOON, date(2027, 4, 27), 7),
        # due 4 May, Coronation Day; 3 May is Labour Day's substitute, 1 May Labour Day itself on a Saturday:
        # "3 days left" and "the last day" both go back to Friday 30 April, where the later one is kept
        (StageKind.DUE_SOON, date(2027, 4, 30), 0),
        (StageKind.OVERDUE, date(2027, 5, 5), 1),
        (StageKind.OVERDUE, date(2027, 5, 11), 7),
    ]
