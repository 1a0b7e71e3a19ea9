"""Identifiers shared by every layer: roles, platforms, statuses and budget classifications."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person may do in Tidtam."""

    OWNER = "owner"
    DIRECTOR = "director"
    ADMIN = "admin"


class Platform(StrEnum):
    """Where a chat account lives."""

    TELEGRAM = "telegram"
    LINE = "line"
    CONSOLE = "console"


class ProjectType(StrEnum):
    """eMENSCR distinguishes a project from a routine operation (การดำเนินงาน)."""

    PROJECT = "project"
    ROUTINE = "routine"


class ItemStatus(StrEnum):
    """Life cycle shared by project registrations and quarterly reports."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


EDITABLE = frozenset({ItemStatus.DRAFT, ItemStatus.RETURNED})  # statuses in which the owner may change an item


class FundingSource(StrEnum):
    """The three budget sources of section M5."""

    DIRECT = "direct"
    VIA_AGENCY = "via_agency"
    PROVINCE = "province"


class ExpenseCategory(StrEnum):
    """Budget Bureau expense categories (ประเภทงบรายจ่าย); งบกลาง is kept apart."""

    PERSONNEL = "personnel"
    OPERATING = "operating"
    INVESTMENT = "investment"
    SUBSIDY = "subsidy"
    OTHER = "other"
    CENTRAL = "central"


class ActivityState(StrEnum):
    """Progress of one activity in one quarter."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


class ReminderKind(StrEnum):
    """Kinds of outgoing notification, each claimed once per key."""

    WINDOW_OPENED = "window_opened"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DIRECTOR_DIGEST = "director_digest"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    ADMIN_WEEKLY = "admin_weekly"
    IMPORTED = "imported"  # a draft made for the person from the office's annual action plan


class DeliveryStatus(StrEnum):
    """Where one reminder delivery stands."""

    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class InboxStatus(StrEnum):
    """Where a received platform event stands: waiting for its turn, its replies waiting to go out, finished."""

    PENDING = "pending"  # stored, its turn not yet run
    REPLYING = "replying"  # its turn is stored, with its replies in the outbox; they are being sent
    DONE = "done"  # the replies went out (or were given up)
    SET_ASIDE = "set_aside"  # its turn failed the same way every time; the person was told once
