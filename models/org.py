"""Who uses Tidtam: offices, people, their chat accounts and the invites that link them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.enums import Platform, Role

if TYPE_CHECKING:
    from models.project import Project


class Office(Model):
    """An agency that registers projects, e.g. สพป.เชียงใหม่ เขต 1."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True, description="short code used in project codes")
    name = fields.CharField(max_length=255)
    province = fields.CharField(max_length=64, default="")
    department = fields.CharField(max_length=255, default="", description="parent department, e.g. สพฐ.")
    ministry = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    users: fields.ReverseRelation[User]
    projects: fields.ReverseRelation[Project]

    class Meta:
        table = "office"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class User(Model):
    """A person with one role. Owners and directors belong to an office, admins may not."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255)
    email = fields.CharField(max_length=255, default="")
    phone = fields.CharField(max_length=32, default="")
    role = fields.CharEnumField(Role, max_length=16)
    office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="users", null=True, on_delete=fields.RESTRICT
    )
    office_id: int | None
    position = fields.CharField(max_length=255, default="", description="work group, e.g. กลุ่มนโยบายและแผน")
    active = fields.BooleanField(default=True)
    profile_asks: Any = fields.JSONField(
        null=True, description="own details still to ask (name, phone, email): joined by a role invite, else empty")
    created_at = fields.DatetimeField(auto_now_add=True)

    chat_accounts: fields.ReverseRelation[ChatAccount]

    class Meta:
        table = "app_user"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class ChatAccount(Model):
    """The identity of one person on one chat platform, unlinked until an invite code is accepted."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharEnumField(Platform, max_length=16)
    external_id = fields.CharField(max_length=128)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="chat_accounts", null=True, on_delete=fields.SET_NULL
    )
    user_id: int | None
    display_name = fields.CharField(max_length=255, default="")
    active = fields.BooleanField(default=True, description="false once the user blocked or unfollowed us")
    failed_link_attempts = fields.IntField(default=0)
    link_blocked_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(null=True)

    class Meta:
        table = "chat_account"
        unique_together = (("platform", "external_id"),)


class Invite(Model):
    """A one-time, expiring code that links a chat account to a user. Only its hash is stored."""

    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(Role, max_length=16)
    office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    office_id: int | None
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites", null=True, on_delete=fields.CASCADE,
        description="the person this invite is for, empty: a new user is created on use",
    )
    user_id: int | None
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    used_by: fields.ForeignKeyNullableRelation[ChatAccount] = fields.ForeignKeyField(
        "models.ChatAccount", related_name="used_invites", null=True, on_delete=fields.SET_NULL
    )
    used_by_id: int | None
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="issued_invites", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invite"


class ApiToken(Model):
    """A bearer token for the HTTP API. It acts as a person (``user``), or as a role over an office (a
    director's or an admin's view for a dashboard), and that scopes every answer.

    Only the SHA-256 of the token is stored: the token itself is printed once, when it is created.
    """

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=255, default="", description="what the token is for")
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_tokens", null=True, on_delete=fields.CASCADE
    )
    user_id: int | None
    role = fields.CharEnumField(Role, max_length=16, null=True, description="without a user: the role it has")
    office: fields.ForeignKeyNullableRelation[Office] = fields.ForeignKeyField(
        "models.Office", related_name="api_tokens", null=True, on_delete=fields.CASCADE
    )
    office_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
