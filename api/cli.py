"""The ``tidtam`` command: argument parsing and dispatch; each command's work lives in ``api.commands``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from api import commands, flows_cli, inbox_cli, pdf_cli, plan_cli, reminders, tokens_cli, windows_cli
from api.log_setup import REDACTOR, log_to_file, setup_logging
from api.settings import Settings, SettingsError, load_settings
from models.db import is_outage, location
from models.enums import Role

log = logging.getLogger("tidtam")
EXIT_DATABASE_UNAVAILABLE = 3  # 1: the command refused what was asked; 2: a configuration error


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(prog="tidtam", description="Tidtam: eMENSCR projects and reports in chat")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("migrate", help="apply pending migrations")

    catalog = sub.add_parser("catalog", help="the plan catalog of M1").add_subparsers(
        dest="catalog_command", required=True
    )
    load = catalog.add_parser("load", help="load plans.json idempotently")
    load.add_argument("file", nargs="?", type=Path, help="catalog file (default: the bundled plans.json)")
    load.add_argument("--fiscal-year", type=int, help="the Buddhist-era fiscal year this catalog is valid from")
    search = catalog.add_parser("search", help="search by code or Thai keywords")
    search.add_argument("words", nargs="+")
    search.add_argument("--fiscal-year", type=int)

    office = sub.add_parser("office", help="offices").add_subparsers(dest="office_command", required=True)
    office_add = office.add_parser("add", help="add an office")
    office_add.add_argument("--code", required=True, help="short code used in project codes, e.g. CMI1")
    office_add.add_argument("--name", required=True)
    office_add.add_argument("--province", default="")
    office_add.add_argument("--department", default="")
    office_add.add_argument("--ministry", default="")
    office.add_parser("list", help="list offices")

    user = sub.add_parser("user", help="people").add_subparsers(dest="user_command", required=True)
    user_add = user.add_parser("add", help="add a person")
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", required=True, choices=[role.value for role in Role])
    user_add.add_argument("--office", help="office code (not needed for admins)")
    user_add.add_argument("--email", default="")
    user_add.add_argument("--phone", default="")
    user_add.add_argument("--position", default="")
    user.add_parser("list", help="list people")

    invite = sub.add_parser("invite", help="issue a one-time invite code")
    target = invite.add_mutually_exclusive_group(required=True)
    target.add_argument("--user", type=int, help="id of an existing person (see `tidtam user list`)")
    target.add_argument("--role", choices=[role.value for role in Role], help="role of a new person")
    invite.add_argument("--office", help="office code, with --role owner or director")
    invite.add_argument("--days", type=int, default=14, help="days the code stays valid (default 14)")

    windows_cli.add_parser(sub)
    reminders.add_parser(sub)
    tokens_cli.add_parser(sub)
    inbox_cli.add_parser(sub)
    flows_cli.add_parser(sub)
    pdf_cli.add_parser(sub)
    plan_cli.add_parser(sub)

    demo = sub.add_parser("demo", help="seed the demo office, people and projects")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the demo is already there")

    serve = sub.add_parser("serve", help="run the HTTP service and the configured chat channels")
    serve.add_argument("--chat-as", metavar="USER",
                       help="also chat in this terminal as that console account when no LINE/Telegram is configured")

    chat = sub.add_parser("chat", help="talk to the bot in this terminal (reads standard input)")
    chat.add_argument("--as", dest="as_user", default="console", metavar="USER",
                      help="console account to chat as, e.g. suda after `tidtam demo` (default: a new, unlinked one)")
    return parser


HANDLERS = {
    ("db", "migrate"): commands.db_migrate,
    ("catalog", "load"): commands.catalog_load,
    ("catalog", "search"): commands.catalog_search,
    ("office", "add"): commands.office_add,
    ("office", "list"): commands.office_list,
    ("user", "add"): commands.user_add,
    ("user", "list"): commands.user_list,
    ("invite", None): commands.invite,
    ("demo", None): commands.demo,
    ("chat", None): commands.chat,
    ("window", "show"): windows_cli.show,
    ("window", "set"): windows_cli.override,
    ("window", "except"): windows_cli.grant,
    ("reminders", "preview"): reminders.preview,
    ("reminders", "run-once"): reminders.run_once,
    ("token", "create"): tokens_cli.create,
    ("token", "list"): tokens_cli.list_tokens,
    ("token", "revoke"): tokens_cli.revoke,
    ("inbox", None): inbox_cli.show,
    ("pdf", None): pdf_cli.write,
    ("template", None): plan_cli.write_template,
    ("import", None): plan_cli.run_import,
}


def _handler_key(args: argparse.Namespace) -> tuple[str, str | None]:
    subcommand = getattr(args, f"{args.command}_command", None)
    return args.command, subcommand


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code (0 done, 1 refused or failed, 2 a bad
    setting, 3 the database cannot be reached)."""
    args = build_parser().parse_args(argv)
    if args.command == "flows":  # the declared machine: no settings, no database
        return flows_cli.run(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"tidtam: configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)  # before anything logs: every secret masked in every record
    if args.command == "chat":  # the terminal is the conversation: the log goes to its file from the start
        try:
            print(f"tidtam: the log is written to {log_to_file(settings.tidtam_log_file)}", flush=True)
        except OSError as exc:
            print(f"tidtam: cannot write the log file {settings.tidtam_log_file}: {exc.strerror} "
                  "(set TIDTAM_LOG_FILE to a writable path)", file=sys.stderr)
            return 2
    try:
        if args.command == "serve":
            return commands.serve(settings, args.chat_as)
        return asyncio.run(_run(settings, args))
    except KeyboardInterrupt:  # Ctrl-C in `tidtam chat`: leave quietly (the terminal is given back as it was)
        print(file=sys.stderr)
        return 130
    except Exception:  # a bug: its traceback goes through the log, masked, not straight to the terminal
        log.exception("tidtam %s failed", " ".join(filter(None, _handler_key(args))))
        return 1


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    handler = HANDLERS[_handler_key(args)]
    try:
        return await commands.with_database(settings, handler, args)
    except (commands.CommandError, windows_cli.WindowError, tokens_cli.TokenError, pdf_cli.PdfError,
            plan_cli.PlanError) as exc:
        print(f"tidtam: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        if not is_outage(exc):
            raise
        reason = REDACTOR.clean(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        print(f"tidtam: the database cannot be reached: {location(settings.database_url)} did not answer or is "
              f"busy ({reason}); try again once it is back", file=sys.stderr)
        await asyncio.sleep(0.05)  # aiosqlite stops its thread unawaited when a file fails to open: let it finish
        return EXIT_DATABASE_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
