"""``tidtam token …``: issue, list and revoke HTTP API bearer tokens."""

from __future__ import annotations

import argparse

from api.settings import Settings
from models.api_tokens import issue_token
from models.clock import system_clock
from models.db import Database
from models.enums import Role
from models.org import ApiToken, Office, User


class TokenError(Exception):
    """A token command cannot do what was asked; the message says why."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``token`` subcommands."""
    token = sub.add_parser("token", help="HTTP API bearer tokens").add_subparsers(dest="token_command",
                                                                                 required=True)
    create = token.add_parser("create", help="issue a token (printed once): as a person, or as a role")
    create.add_argument("--role", choices=[Role.DIRECTOR.value, Role.ADMIN.value],
                        help="see as a director of --office, or as an admin (everything)")
    create.add_argument("--office", help="office code, with --role director")
    create.add_argument("--user", type=int, help="act as this existing person (see `tidtam user list`)")
    create.add_argument("--name", default="", help="what the token is for, e.g. the dashboard of สพฐ.")
    token.add_parser("list", help="tokens with their account, last use and state")
    revoke = token.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id", type=int)


async def create(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Issue a token as an existing person (``--user``) or as a role (``--role`` [``--office``])."""
    if (args.user is None) == (args.role is None):
        raise TokenError("give --user ID, or --role director --office CODE, or --role admin")
    if args.user is not None:
        user = await User.get_or_none(id=args.user, active=True)
        if user is None:
            raise TokenError(f"no active user with id {args.user} (see `tidtam user list`)")
        row, token = await issue_token(user=user, name=args.name)
        who = f"{user.name} ({user.role})"
    else:
        office = await Office.get_or_none(code=args.office.upper()) if args.office else None
        if args.office and office is None:
            raise TokenError(f"no office with code {args.office}")
        try:
            row, token = await issue_token(role=Role(args.role), office=office, name=args.name)
        except ValueError as error:
            raise TokenError(str(error)) from None
        who = f"a {args.role}" + (f" of {office.code}" if office and args.role == Role.DIRECTOR else "")
    print(f"token {row.id} acting as {who}: {token}")
    print("it is shown once; send it as the header  Authorization: Bearer <token>")
    return 0


async def list_tokens(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Print every token (never the token itself)."""
    for row in await ApiToken.all().order_by("id").prefetch_related("user", "office"):
        state = "revoked" if row.revoked_at else "active"
        used = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never"
        office = row.office.code if row.office else ""
        who = f"{row.user.name} ({row.user.role})" if row.user else f"{row.role} {office}"
        print(f"{row.id}\t{state}\t{who.strip()}\tlast used {used}\t{row.name}")
    return 0


async def revoke(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Revoke one token."""
    if not await ApiToken.filter(id=args.id, revoked_at__isnull=True).update(revoked_at=system_clock()):
        raise TokenError(f"no active token {args.id}")
    print(f"token {args.id} revoked")
    return 0
