"""Operational records: conversation sessions, reminder deliveries, notifications and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import DeliveryStatus, Platform, ReminderKind

if TYPE_CHECKING:
    from models.org import ChatAccount, User


class ConversationSession(Model):
    """The durable conversation state of one chat account. ``row_version`` guards concurrent writers."""

    id = fields.IntField(primary_key=True)
    chat_account: fields.OneToOneRelation[ChatAccount] = fields.OneToOneField(
        "models.ChatAccount", related_name="session", on_delete=fields.CASCADE
    )
    chat_account_id: int
    flow_id = fields.CharField(max_length=64, default="")
    state: Any = fields.JSONField(default=dict)
    row_version = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "conversation_session"


class ReminderDelivery(Model):
    """One reminder to one person, claimed once through its unique key before it is sent."""

    id = fields.IntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="deliveries", on_delete=fields.CASCADE
    )
    recipient_id: int
    kind = fields.CharEnumField(ReminderKind, max_length=32)
    fiscal_year = fields.IntField()
    quarter = fields.SmallIntField()
    subject = fields.CharField(max_length=64, default="", description="e.g. project:12 or due:7, empty if none")
    status = fields.CharEnumField(DeliveryStatus, max_length=16, default=DeliveryStatus.CLAIMED)
    attempts = fields.IntField(default=0)
    claimed_at = fields.DatetimeField(auto_now_add=True)
    claim = fields.CharField(max_length=36, default="", db_index=True, description="the run that holds the claim")
    retry_at = fields.DatetimeField(null=True, description="when a claim not yet sent may be taken over")
    platform = fields.CharEnumField(Platform, max_length=16, null=True, description="the channel it went out on")
    sent_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "reminder_delivery"
        unique_together = (("recipient", "kind", "fiscal_year", "quarter", "subject"),)
        indexes = (("status", "retry_at"),)


class Notification(Model):
    """A message for one person about something another did (a submission, a decision): an outbox row.

    Written in the same transaction as the change; shown at the top of the person's next turn and pushed
    by the reminder loop where a channel can push.
    """

    id = fields.BigIntField(primary_key=True)
    recipient: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    recipient_id: int
    kind = fields.CharEnumField(ReminderKind, max_length=32)
    key = fields.CharField(max_length=64, description="copy key of the message")
    params: Any = fields.JSONField(default=dict)
    project_id = fields.IntField(null=True)
    report_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    shown_at = fields.DatetimeField(null=True, description="shown in a turn of the recipient")
    pushed_at = fields.DatetimeField(null=True, description="pushed to a chat channel")

    class Meta:
        table = "notification"
        indexes = (("recipient_id", "shown_at"),)


class AuditEntry(Model):
    """One changed field: who changed what, when, from which value to which."""

    id = fields.BigIntField(primary_key=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    at = fields.DatetimeField(db_index=True)
    entity = fields.CharField(max_length=32, description="project, report, kpi, activity, budget_line, ...")
    entity_id = fields.IntField()
    project_id = fields.IntField(null=True, db_index=True, description="the project the change belongs to")
    field = fields.CharField(max_length=64)
    before = fields.TextField(null=True, description="the old value as JSON text")
    after = fields.TextField(null=True, description="the new value as JSON text")

    class Meta:
        table = "audit_entry"
        ordering = ("at", "id")


class SharedFile(Model):
    """A file the bot sent (an export, a chart), served at an unguessable link for platforms that fetch files
    by URL (LINE), until it expires."""

    id = fields.BigIntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)  # SHA-256 of the link token, in hex
    filename = fields.CharField(max_length=255)
    mime_type = fields.CharField(max_length=128)
    content = fields.BinaryField()
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "shared_file"


class LiveQuestion(Model):
    """The Telegram message that carries the buttons of a chat's question on screen.

    Kept in the database so that its buttons are retired however the question is answered (tapped, typed,
    skipped, left with back), also when the answer comes after a restart or to another process.
    """

    id = fields.BigIntField(primary_key=True)
    chat_id = fields.BigIntField(unique=True)
    message_id = fields.BigIntField()
    text = fields.TextField(description="the message's text as sent, to append what retired it")
    prompt = fields.CharField(max_length=16, default="", description="the question its buttons answer")

    class Meta:
        table = "telegram_live_question"
