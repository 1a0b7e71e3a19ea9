"""The flows Tidtam runs, validated once when this module is imported."""

from __future__ import annotations

from conversations.checks import CHECKS
from conversations.copy import COPY
from conversations.flow import Flow, validate
from conversations.registration import REGISTRATION
from conversations.sources import PREFILLS, SOURCES


def build(flow: Flow) -> Flow:
    """Validate a flow against the copy catalog and the known sources, checks and prefills."""
    return validate(flow, frozenset(COPY), frozenset(SOURCES), frozenset(CHECKS), frozenset(PREFILLS))


REGISTRATION_FLOW = build(REGISTRATION)
