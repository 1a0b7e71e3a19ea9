"""``tidtam flows …``: the conversation machine as declared, without a database or settings."""

from __future__ import annotations

import argparse

from conversations.engine.diagram import diagram
from conversations.engine.dialogs import ANYWHERE
from conversations.flows.registry import FLOWS, MACHINE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``flows`` subcommands."""
    flows = sub.add_parser("flows", help="the conversation machine").add_subparsers(dest="flows_command",
                                                                                   required=True)
    flows.add_parser("diagram", help="print the screens and their transitions as a Mermaid stateDiagram-v2")


def machine_diagram() -> str:
    """The Mermaid text of the whole machine (the README embeds it)."""
    return diagram(MACHINE, ANYWHERE, FLOWS)


def run(args: argparse.Namespace) -> int:
    """Print what was asked for."""
    if args.flows_command == "diagram":
        print(machine_diagram(), end="")
    return 0
