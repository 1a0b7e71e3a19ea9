"""Tidtam's data layer: the ORM models, the fiscal calendar, the plan catalog and database access.

This is the bottom layer: it imports nothing from ``conversations``, ``bot`` or ``api``.
"""

from models.inbox import InboxEvent
from models.numbering import ProjectCodeCounter
from models.org import ChatAccount, Invite, Office, User
from models.plans import PlanNode
from models.project import Activity, BudgetLine, Kpi, Project, ProjectPlanLink
from models.report import (
    ActivityProgress,
    KpiValue,
    QuarterReport,
    ReportAttachment,
    ReportingWindow,
    WindowException,
)
from models.runtime import AuditEntry, ConversationSession, Notification, ReminderDelivery
from models.tallies import QuarterTally, TallyMark

MODEL_MODULES = [
    "models.inbox", "models.org", "models.plans", "models.project", "models.report", "models.runtime", "models.tallies",
    "models.numbering",
]

__all__ = [
    "MODEL_MODULES",
    "Activity",
    "ActivityProgress",
    "AuditEntry",
    "BudgetLine",
    "ChatAccount",
    "ConversationSession",
    "InboxEvent",
    "Invite",
    "Kpi",
    "KpiValue",
    "Notification",
    "Office",
    "PlanNode",
    "Project",
    "ProjectCodeCounter",
    "ProjectPlanLink",
    "QuarterReport",
    "QuarterTally",
    "ReminderDelivery",
    "ReportAttachment",
    "ReportingWindow",
    "TallyMark",
    "User",
    "WindowException",
]
