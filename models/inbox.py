"""The durable inbox of platform events, each with the replies its turn produced (the outbox) until they are sent.

A webhook (or the Telegram poller) stores each event here and only then tells the platform it arrived; turns
are run from these rows, one chat's events in the order they came, by whichever process claims them. A turn
commits its replies in ``replies`` together with the state it wrote, and they are sent after; a process that
dies in between leaves them for the next one to send. Once sent they are cleared: the row keeps no personal data.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.enums import InboxStatus, Platform


class InboxEvent(Model):
    """One event a platform delivered, from the moment it is stored until its replies went out."""

    id = fields.BigIntField(primary_key=True)
    platform = fields.CharEnumField(Platform, max_length=16)
    chat_ref = fields.CharField(max_length=128, description="the platform's id of the person who wrote")
    event_id = fields.CharField(max_length=128, description="Telegram update_id, LINE webhookEventId")
    payload = fields.TextField(description="the event as the platform sent it: JSON, non-ASCII escaped")
    received_at = fields.DatetimeField()
    status = fields.CharEnumField(InboxStatus, max_length=16, default=InboxStatus.PENDING)
    available_at = fields.DatetimeField(description="not to be tried before (a backoff after a failure)")
    claimed_by = fields.CharField(max_length=64, default="", description="the claim of the process working on it")
    claimed_until = fields.DatetimeField(null=True, description="when a claim not renewed lapses")
    claims = fields.IntField(default=0, description="claims taken over from a process that died on it")
    failures = fields.IntField(default=0, description="turns that failed with an error that is not an outage")
    delivery_failures = fields.IntField(default=0)
    set_aside = fields.BooleanField(default=False, description="its turn kept failing: only an apology is sent")
    replies = fields.TextField(null=True, description="the stored turn's replies until sent (reply_codec)")
    finished_at = fields.DatetimeField(null=True, db_index=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "inbox_event"
        unique_together = (("platform", "event_id"),)
        indexes = (("status", "platform", "chat_ref"),)
