"""The flows Tidtam runs, validated once when this module is imported."""

from __future__ import annotations

from conversations.copy import COPY
from conversations.engine.dialogs import ANYWHERE, SCREENS
from conversations.engine.machine_check import check
from conversations.flows.checks import CHECKS
from conversations.flows.flow import Flow
from conversations.flows.flow_check import validate
from conversations.flows.registration import REGISTRATION
from conversations.flows.reporting import REPORT
from conversations.flows.sources import PREFILLS, SOURCES
from conversations.notes import NOTES


def build(flow: Flow) -> Flow:
    """Validate a flow against the copy catalog and the known sources, checks, prefills and notes."""
    return validate(flow, frozenset(COPY), frozenset(SOURCES), frozenset(CHECKS), frozenset(PREFILLS),
                    frozenset(NOTES))


REGISTRATION_FLOW = build(REGISTRATION)
REPORT_FLOW = build(REPORT)
FLOWS: dict[str, Flow] = {REGISTRATION_FLOW.id: REGISTRATION_FLOW, REPORT_FLOW.id: REPORT_FLOW}
# the conversation machine around the flows: its screens, buttons and targets, checked against them and the copy
MACHINE = check(SCREENS, ANYWHERE, FLOWS, frozenset(COPY))
