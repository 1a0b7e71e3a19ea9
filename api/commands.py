"""What each ``tidtam`` subcommand does, given parsed arguments and an open database."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from api import http_server, reminders
from api.app import create_app
from api.demo import DEMO_PEOPLE, demo_present, seed_demo
from api.log_setup import log_to_file
from api.settings import Settings
from bot.console import ConsoleChannel
from bot.console_input import stdin_lines
from conversations.service.turns import ConversationService
from models.catalog import CatalogError, load_catalog, search_plans
from models.clock import system_clock
from models.db import MIGRATING, SERVING, Database
from models.enums import Role
from models.invites import issue_invite
from models.org import Office, User

Handler = Callable[[Settings, argparse.Namespace, Database], Awaitable[int]]
log = logging.getLogger(__name__)


class CommandError(Exception):
    """A command cannot do what was asked; the message says why, for the operator."""


async def with_database(settings: Settings, handler: Handler, args: argparse.Namespace) -> int:
    """Open the database around one command (``db migrate`` without a limit on how long a statement runs)."""
    async with Database(settings.database_url, MIGRATING if handler is db_migrate else SERVING) as database:
        if handler is not db_migrate and (pending := await database.pending_migrations()):
            raise CommandError(f"the database needs migrating first: run `tidtam db migrate` ({pending[0]} …)")
        return await handler(settings, args, database)


async def db_migrate(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Apply pending migrations."""
    applied = await database.migrate()
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


async def catalog_load(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Load the plan catalog."""
    try:
        report = await load_catalog(args.file, args.fiscal_year)
    except CatalogError as exc:
        raise CommandError(str(exc)) from exc
    print(f"catalog: {report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
          f"{report.retired} retired")
    return 0


async def catalog_search(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Print plan nodes matching the words."""
    nodes = await search_plans(" ".join(args.words), fiscal_year=args.fiscal_year)
    for node in nodes:
        flag = "" if node.confirmed else "  (unconfirmed)"
        print(f"{node.code:<22} L{node.level}  {node.title_th}{flag}")
    if not nodes:
        print("no plan matches")
    return 0


async def office_add(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Add an office."""
    if await Office.filter(code=args.code).exists():
        raise CommandError(f"office {args.code} already exists")
    office = await Office.create(code=args.code, name=args.name, province=args.province,
                                 department=args.department, ministry=args.ministry)
    print(f"office {office.code} added (id {office.id})")
    return 0


async def office_list(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """List offices."""
    for office in await Office.all().order_by("code"):
        print(f"{office.code:<10} {office.name}  [{office.province}]")
    return 0


async def _office(code: str | None) -> Office | None:
    if not code:
        return None
    office = await Office.get_or_none(code=code)
    if office is None:
        raise CommandError(f"no office with code {code} (see `tidtam office list`)")
    return office


async def user_add(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Add a person."""
    role = Role(args.role)
    office = await _office(args.office)
    if role is not Role.ADMIN and office is None:
        raise CommandError("owners and directors need --office")
    user = await User.create(name=args.name, role=role, office=office, email=args.email.lower(), phone=args.phone,
                             position=args.position)
    print(f"user {user.id} added: {user.name} ({role})")
    return 0


async def user_list(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """List people with their role and office."""
    for user in await User.all().prefetch_related("office").order_by("id"):
        office = user.office.code if user.office else "-"
        print(f"{user.id:>5}  {user.role:<9} {office:<10} {user.name}")
    return 0


async def invite(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Issue an invite code and print it once, with a Telegram deep link when the bot name is known."""
    if args.days < 1:
        raise CommandError("--days must be at least 1")
    user = None
    if args.user is not None:
        user = await User.get_or_none(id=args.user)
        if user is None:
            raise CommandError(f"no user with id {args.user} (see `tidtam user list`)")
    role = user.role if user else Role(args.role)
    office = await _office(args.office)
    try:
        _, code = await issue_invite(role=role, office=office, user=user, now=system_clock(),
                                     valid_for=timedelta(days=args.days))
    except ValueError as exc:
        raise CommandError(f"{exc}: give --office") from exc
    print(f"invite code: {code}  (role {role}, valid {args.days} days, single use)")
    if settings.telegram_bot_username:
        print(f"telegram link: https://t.me/{settings.telegram_bot_username}?start={code.replace('-', '')}")
    return 0


async def demo(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Seed the demo data once."""
    if await demo_present():
        if args.if_empty:
            return 0
        raise CommandError("the demo office is already there")
    await seed_demo()
    names = ", ".join(person.console_name for person in DEMO_PEOPLE)
    print(f"demo data seeded; chat as one of: {names}  (tidtam chat --as suda)")
    return 0


async def chat(settings: Settings, args: argparse.Namespace, database: Database) -> int:
    """Chat with the bot in this terminal until end of input (the log already goes to its file: api.cli)."""
    service = ConversationService(postgres=database.is_postgres, policy=settings.reporting_policy,
                                  outlook=reminders.push_outlook(settings))  # `tidtam serve` pushes what this says
    async with stdin_lines() as lines:
        await ConsoleChannel(service.handle, args.as_user).run(lines)
    return 0


def serve(settings: Settings, chat_as: str | None = None) -> int:
    """Run the service until interrupted (with the terminal channel when asked and no platform is set).

    With the terminal chat attached, the log goes to ``TIDTAM_LOG_FILE``, named on the first line printed, so
    that nothing but the conversation appears in the terminal.
    """
    console = bool(chat_as) and not (settings.telegram_enabled or settings.line_enabled)
    if console:
        path = log_to_file(settings.tidtam_log_file)
        print(f"tidtam: the service's log is written to {path} (this terminal is the chat; Ctrl-C stops the "
              "service)", flush=True)

    def announce(message: str) -> None:
        if console:
            log.info("%s", message.replace("\n", " "))
        else:
            print(message, flush=True)

    asyncio.run(http_server.serve(create_app(settings, console_user=chat_as), settings.tidtam_host,
                                  settings.tidtam_port, access_log=logging.getLogger("aiohttp.access"),
                                  print=announce))
    return 0
