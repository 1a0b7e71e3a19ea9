"""The history records what changed, not how a value happened to be written: an amount typed again equal to the
stored one ("0" after "0.00" was loaded) is no change; a different amount is."""

from __future__ import annotations

from conversations.flows.reporting import REPORT
from conversations.service.audit import changes


def test_an_amount_typed_again_equal_is_no_change() -> None:
    assert changes(REPORT, {"disbursed_amount": "0.00"}, {"disbursed_amount": "0"}) == []
    assert changes(REPORT, {"disbursed_amount": "98500.00"}, {"disbursed_amount": "98500"}) == []
    [changed] = changes(REPORT, {"disbursed_amount": "0.00"}, {"disbursed_amount": "150000"})
    assert (changed.field, changed.before, changed.after) == ("disbursed_amount", '"0.00"', '"150000"')
    [cleared] = changes(REPORT, {"disbursed_amount": "0.00"}, {"disbursed_amount": None})
    assert cleared.after == "null"
